#!/usr/bin/env Rscript
# Pure-R reference for statprune's GlmnetCV: cross-validated glmnet on a CSV, JSON out.
# Independent of statprune (no bridge code): this is what an R user would type.
#
# Usage:
#   Rscript r_scripts/cv_glmnet.R data.csv --target medv [--seed 42] [--family F] [--alpha A]
#       [--nfolds K] [--foldid-column C] [--weights-column C] [--type-measure M] [--thresh T]
#       [--nlambda N] [--type-multinomial grouped] [--penalty-factor name=v,name=v]
#       [--exclude name,name] [--s lambda.min|lambda.1se|NUMBER] > r.json
# Every column other than the target, fold and weight columns is a predictor, in file order.
# Cox: --target time,status (two columns). Classes (binomial/multinomial) are ordered
# as sorted strings (C locale), as statprune orders them.

suppressPackageStartupMessages({
  library(glmnet)
  library(jsonlite)
})

here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "_args.R"))  # ref_args(): "data.csv --key value ..." -> named list (optparse)
opt <- ref_args(
  "Rscript r_scripts/cv_glmnet.R data.csv --target Y [options] > r.json",
  list(seed = "set.seed(SEED) before cv.glmnet draws the folds",
       family = "glmnet's family (cox: --target time,status)",
       alpha = "the elastic-net mixing parameter",
       nfolds = "number of folds (ignored with --foldid-column)",
       `foldid-column` = "column holding cv.glmnet's foldid",
       `weights-column` = "column holding the observation weights",
       `type-measure` = "cv.glmnet's type.measure",
       thresh = "glmnet's convergence threshold",
       nlambda = "length of the lambda sequence",
       `type-multinomial` = "multinomial: ungrouped or grouped",
       `penalty-factor` = "name=v,name=v: penalty factors (others 1)",
       exclude = "name,name: columns that are no predictors",
       s = "lambda.min, lambda.1se or a number: the lambda of the coefficients"),
  defaults = list(family = "gaussian", alpha = 1, nfolds = 10L, `type-measure` = "default", s = "lambda.min"),
  description = "Cross-validated glmnet on a CSV (every other column a predictor, in file order), JSON out.")

d <- read.csv(opt$data, check.names = FALSE, stringsAsFactors = FALSE)
targets <- strsplit(opt$target, ",", fixed = TRUE)[[1]]
drop_cols <- c(targets, opt[["foldid-column"]], opt[["weights-column"]])
feats <- setdiff(names(d), drop_cols)
x <- as.matrix(d[, feats, drop = FALSE])
storage.mode(x) <- "double"
family <- opt$family

if (family == "cox") {
  y <- survival::Surv(as.numeric(d[[targets[1]]]), as.numeric(d[[targets[2]]]))
} else if (family == "mgaussian") {
  y <- as.matrix(d[, targets, drop = FALSE])
} else if (family %in% c("binomial", "multinomial")) {
  yy <- as.character(d[[targets[1]]])
  y <- factor(yy, levels = sort(unique(yy), method = "radix"))
} else {
  y <- as.numeric(d[[targets[1]]])
}

cv_args <- list(x = x, y = y, family = family, alpha = as.numeric(opt$alpha),
                type.measure = opt[["type-measure"]])
if (!is.null(opt[["weights-column"]])) cv_args$weights <- as.numeric(d[[opt[["weights-column"]]]])
if (!is.null(opt[["foldid-column"]])) {
  cv_args$foldid <- as.integer(d[[opt[["foldid-column"]]]])
} else {
  cv_args$nfolds <- as.integer(opt$nfolds)
}
if (!is.null(opt$thresh)) cv_args$thresh <- as.numeric(opt$thresh)
if (!is.null(opt$nlambda)) cv_args$nlambda <- as.integer(opt$nlambda)
if (!is.null(opt[["type-multinomial"]])) cv_args$type.multinomial <- opt[["type-multinomial"]]
if (!is.null(opt[["penalty-factor"]])) {
  pf <- rep(1, length(feats))
  names(pf) <- feats
  for (kv in strsplit(opt[["penalty-factor"]], ",", fixed = TRUE)[[1]]) {
    p2 <- strsplit(kv, "=", fixed = TRUE)[[1]]
    if (!(p2[1] %in% feats)) stop("unknown column in --penalty-factor: ", p2[1])
    pf[[p2[1]]] <- as.numeric(p2[2])
  }
  cv_args$penalty.factor <- unname(pf)
}
if (!is.null(opt$exclude)) {
  ex <- strsplit(opt$exclude, ",", fixed = TRUE)[[1]]
  cv_args$exclude <- match(ex, feats)
}

seed <- if (is.null(opt$seed)) NULL else as.integer(opt$seed)
if (!is.null(seed)) set.seed(seed)
fit <- do.call(cv.glmnet, cv_args)

coef_list <- function(s) {
  cf <- coef(fit, s = s)
  one <- function(m) { v <- as.numeric(as.matrix(m)); names(v) <- rownames(m); as.list(v) }
  if (is.list(cf)) lapply(cf, one) else one(cf)
}
s_arg <- opt$s
s_val <- suppressWarnings(as.numeric(s_arg))
s_use <- if (is.na(s_val)) s_arg else s_val

g <- fit$glmnet.fit
out <- list(
  family = family,
  alpha = as.numeric(opt$alpha),
  seed = seed,
  features = feats,
  lambda = fit$lambda,
  cvm = unname(fit$cvm),
  cvsd = unname(fit$cvsd),
  cvup = unname(fit$cvup),
  cvlo = unname(fit$cvlo),
  nzero = unname(fit$nzero),
  lambda_min = fit$lambda.min,
  lambda_1se = fit$lambda.1se,
  index_min = fit$index[1, 1],
  index_1se = fit$index[2, 1],
  name = unname(fit$name),
  s = s_arg,
  coefficients = coef_list(s_use),
  coef_min = coef_list("lambda.min"),
  coef_1se = coef_list("lambda.1se"),
  dev_ratio = g$dev.ratio,
  nulldev = g$nulldev,
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  glmnet_version = as.character(packageVersion("glmnet"))
)
cat(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null"), "\n")
