# Reference numbers for statprune's glmnet plots (CVPathDisplay, CoefPathDisplay).
# Pure R, independent of statprune's bridge. Usage:
#   Rscript r_scripts/plot_reference.R DATA.csv TARGET FAMILY SEED  > out.json
# Fits set.seed(SEED); cv.glmnet(x, y, family = FAMILY) on every other column and prints
# what plot.cv.glmnet and plotCoef() (plot.glmnet / plot.multnet) draw: the CV curve
# and, per panel and xvar, the x index, pretty(index) and the df labels approx()-ed there.
suppressPackageStartupMessages({ library(glmnet); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
target <- args[2]; family <- args[3]; seed <- as.integer(args[4])
x <- as.matrix(d[, setdiff(names(d), target)])
y <- d[[target]]
if (family == "multinomial") y <- factor(y)
set.seed(seed)
cv <- cv.glmnet(x, y, family = family)
fit <- cv$glmnet.fit
betas <- if (is.list(fit$beta)) lapply(fit$beta, as.matrix) else list(as.matrix(fit$beta))
dfs <- if (is.null(fit$dfmat)) list(fit$df) else lapply(seq_len(nrow(fit$dfmat)), function(i) fit$dfmat[i, ])
norm_multi <- if (length(betas) > 1) Reduce(`+`, lapply(betas, function(b) colSums(abs(b)))) else NULL
panels <- lapply(seq_along(betas), function(i) {
  b <- betas[[i]]
  out <- list()
  for (xvar in c("norm", "lambda", "dev")) {
    index <- switch(xvar, norm = if (is.null(norm_multi)) colSums(abs(b[glmnet:::nonzeroCoef(b), , drop = FALSE])) else norm_multi,
                    lambda = log(fit$lambda), dev = fit$dev.ratio)
    f <- if (xvar == "lambda") 0 else 1
    atdf <- pretty(index)
    prettydf <- suppressWarnings(approx(x = index, y = dfs[[i]], xout = atdf, rule = 2, method = "constant", f = f)$y)
    out[[xvar]] <- list(index = index, atdf = atdf, prettydf = prettydf)
  }
  out$which <- as.array(glmnet:::nonzeroCoef(b))
  out$beta <- unname(b)
  out
})
res <- list(
  family = family, seed = seed, lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd, cvup = cv$cvup,
  cvlo = cv$cvlo, nzero = unname(cv$nzero), lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se,
  name = unname(cv$name), dev_ratio = fit$dev.ratio, feature_names = colnames(x),
  class_names = if (length(betas) > 1) names(fit$beta) else NULL, panels = panels,
  r_version = R.version.string, glmnet_version = as.character(packageVersion("glmnet"))
)
cat(toJSON(res, digits = NA, auto_unbox = TRUE, matrix = "rowmajor"))
