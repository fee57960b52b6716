# Pure-R twin of `statprune selective`: selectiveInference's fixedLassoInf, fsInf or larInf on a CSV.
#
# Usage: R_LIBS=/path/to/rlib Rscript r_scripts/selective_inf.R DATA.csv --target Y
#          [--method fixed-lasso|forward-stepwise|lar] [--lambda GLMNET_LAMBDA] [--sigma S]
#          [--family gaussian|binomial] [--type active|all|aic] [--k K] [--alpha A]
# fixed-lasso: glmnet(x, y, standardize = FALSE, thresh = 1e-14), beta = coef(fit, s = lambda,
# exact = TRUE) and fixedLassoInf(x, y, beta, n * lambda): --lambda is on glmnet's scale.
# Prints JSON: vars (1-based), pv, ci, tailarea, vlo, vup, sigma, khat, beta, lambda, versions.
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "_args.R"))  # ref_args(): "data.csv --key value ..." -> named list (optparse)
opt <- ref_args("Rscript r_scripts/selective_inf.R DATA.csv --target Y [options] > r.json",
                list(method = "fixed-lasso, forward-stepwise or lar",
                     lambda = "fixed-lasso: the lambda on glmnet's scale (fixedLassoInf gets n * lambda)",
                     sigma = "the noise sd (default: R's estimate)",
                     family = "gaussian or binomial (fixed-lasso)",
                     type = "forward-stepwise/lar: active, all or aic",
                     k = "forward-stepwise/lar: the number of steps",
                     alpha = "miscoverage of the intervals"),
                defaults = list(method = "fixed-lasso", family = "gaussian", type = "active", alpha = "0.1"),
                description = "selectiveInference's fixedLassoInf, fsInf or larInf on a CSV, JSON out.")
suppressPackageStartupMessages({library(selectiveInference); library(glmnet); library(jsonlite)})
dat <- read.csv(opt$data, check.names = FALSE)
y <- dat[[opt$target]]
x <- as.matrix(dat[, setdiff(names(dat), opt$target), drop = FALSE])
n <- nrow(x)
sigma <- if (is.null(opt$sigma)) NULL else as.numeric(opt$sigma)
alpha <- as.numeric(opt$alpha)
k <- if (is.null(opt$k)) NULL else as.integer(opt$k)
beta <- NULL; lam <- NULL
if (opt$method == "fixed-lasso") {
  lam_g <- as.numeric(opt$lambda)
  fit <- glmnet(x, y, standardize = FALSE, family = opt$family, thresh = 1e-14)
  cf <- as.numeric(coef(fit, x = x, y = y, s = lam_g, exact = TRUE, family = opt$family, thresh = 1e-14))
  beta <- if (opt$family == "binomial") cf else cf[-1]
  lam <- n * lam_g
  out <- fixedLassoInf(x, y, beta, lam, family = opt$family, sigma = sigma, alpha = alpha)
} else if (opt$method == "forward-stepwise") {
  out <- fsInf(fs(x, y), sigma = sigma, alpha = alpha, k = k, type = opt$type)
} else if (opt$method == "lar") {
  out <- larInf(lar(x, y), sigma = sigma, alpha = alpha, k = k, type = opt$type)
} else stop("unknown --method ", opt$method)
res <- list(terms = colnames(x)[out$vars], vars = out$vars, pv = out$pv, ci = unname(out$ci),
            tailarea = unname(out$tailarea), vlo = out$vlo, vup = out$vup, sigma = out$sigma,
            khat = out$khat, beta = beta, lambda = lam,
            versions = list(r = R.version.string,
                            selectiveInference = as.character(packageVersion("selectiveInference")),
                            glmnet = as.character(packageVersion("glmnet"))))
cat(toJSON(res, digits = NA, auto_unbox = FALSE, matrix = "rowmajor", null = "null", na = "string"))
