# Reference values for tests/test_lasso_coverage.py: glmnet's own example data sets
# (data(package = "glmnet")), fitted by cv.glmnet in plain R after set.seed(1).
# Usage: Rscript tests/r/glmnet_coverage.R CASE OUT.csv  -> JSON on stdout; the data as CSV.
suppressPackageStartupMessages(library(glmnet))
a <- commandArgs(TRUE)
case <- a[1]
csv <- a[2]
ex <- function(name) { e <- new.env(); utils::data(list = name, package = "glmnet", envir = e); e[[name]] }
res <- list()
cf <- function(f, s = "lambda.min") {
  cc <- coef(f, s = s)
  if (is.list(cc)) unlist(lapply(cc, as.numeric)) else as.numeric(cc)
}
if (case == "sparse") {
  d <- ex("SparseExample"); x <- d$x; y <- d$y
  stopifnot(inherits(x, "dgCMatrix"))
  set.seed(1); f <- cv.glmnet(x, y, nfolds = 5)
  write.csv(data.frame(as.matrix(x), y = y), csv, row.names = FALSE)
} else if (case == "cox_startstop") {
  d <- ex("CoxExample"); x <- d$x; y <- d$y
  n <- nrow(x)
  start <- y[, 1] * 0.3; stop <- y[, 1]; status <- y[, 2]; strata <- rep(1:2, length.out = n)
  yy <- stratifySurv(survival::Surv(start, stop, status), strata)
  set.seed(1); f <- cv.glmnet(x, yy, family = "cox", nfolds = 5)
  write.csv(data.frame(x, start = start, stop = stop, status = status, strata = strata), csv, row.names = FALSE)
} else if (case == "binomial2col") {
  d <- ex("BinomialExample"); x <- d$x
  set.seed(2)
  nt <- 1 + rpois(nrow(x), 3)
  succ <- rbinom(nrow(x), nt, plogis(drop(x[, 1:3] %*% c(1, -1, 0.5))))
  y <- cbind(failures = nt - succ, successes = succ)
  set.seed(1); f <- cv.glmnet(x, y, family = "binomial", nfolds = 5)
  write.csv(data.frame(x, failures = nt - succ, successes = succ), csv, row.names = FALSE)
} else if (case == "keep_grouped") {
  d <- ex("BinomialExample"); x <- d$x; y <- d$y
  set.seed(1); f <- cv.glmnet(x, y, family = "binomial", nfolds = 5, keep = TRUE, grouped = FALSE)
  rocs <- roc.glmnet(f$fit.preval, newy = y)
  r <- rocs[[f$index["min", 1]]]
  res$roc_fpr <- as.numeric(r[, "FPR"]); res$roc_tpr <- as.numeric(r[, "TPR"])
  res$preval <- as.numeric(f$fit.preval[1:5, f$index["min", 1]])
  write.csv(data.frame(x, y = y), csv, row.names = FALSE)
} else if (case == "binomial_opts") {
  d <- ex("BinomialExample"); x <- d$x; y <- d$y
  set.seed(1); f <- cv.glmnet(x, y, family = "binomial", nfolds = 5, alignment = "fraction", dfmax = 10, pmax = 15,
                              type.logistic = "modified.Newton")
  write.csv(data.frame(x, y = y), csv, row.names = FALSE)
} else if (case == "mgaussian_sr") {
  d <- ex("MultiGaussianExample"); x <- d$x; y <- d$y
  colnames(y) <- paste0("y", seq_len(ncol(y)))
  set.seed(1); f <- cv.glmnet(x, y, family = "mgaussian", nfolds = 5, standardize.response = TRUE)
  write.csv(data.frame(x, y), csv, row.names = FALSE)
} else if (case == "cli_opts") {
  d <- ex("QuickStartExample"); x <- d$x; y <- d$y
  off <- seq(-1, 1, length.out = nrow(x))
  set.seed(1); f <- cv.glmnet(x, y, nfolds = 5, offset = off, lambda.min.ratio = 0.01, standardize = FALSE,
                              thresh = 1e-10, maxit = 50000, lower.limits = -1, upper.limits = 2, intercept = TRUE)
  write.csv(data.frame(x, off = off, y = y), csv, row.names = FALSE)
} else if (case == "exclude_fn") {
  d <- ex("QuickStartExample"); x <- d$x; y <- d$y
  colnames(x) <- paste0("V", seq_len(ncol(x)))
  weak <- function(x, y, weights) which(abs(cor(x, y))[, 1] < 0.15)
  res$full <- as.integer(weak(x, y, NULL))
  set.seed(1); f <- cv.glmnet(x, y, nfolds = 5, exclude = weak)
  write.csv(data.frame(x, y = y), csv, row.names = FALSE)
} else stop("unknown case ", case)
res$lambda <- f$lambda
res$cvm <- f$cvm
res$lambda_min <- f$lambda.min
res$coef <- cf(f)
res$names <- rownames(if (is.list(coef(f))) coef(f)[[1]] else coef(f))
res$glmnet <- as.character(packageVersion("glmnet"))
cat(jsonlite::toJSON(res, digits = NA))
