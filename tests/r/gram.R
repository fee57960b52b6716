# Test-only R functions for the fast engines' parity tests (statprune.engines.gram / glmpath) and
# benchmarks/bench_glmnet.py, called through tests/helpers.call_test_r (not shipped). Prefix: gram_

# cv.glmnet(family = "gaussian" | "binomial" | "poisson") on the same data/folds, returning the
# pieces the fast engines reproduce.
# `args` is a named list of extra glmnet arguments (alpha, thresh, ...).
# `offset` (optional) is passed as cv.glmnet's offset (binomial/poisson engine tests).
gram_cv_reference <- function(x, y, foldid, weights = NULL, args = list(), offset = NULL) {
  suppressPackageStartupMessages(library(glmnet))
  t0 <- proc.time()[["elapsed"]]
  base <- list(x = x, y = y, weights = weights, foldid = foldid)
  if (!is.null(offset)) base$offset <- as.double(offset)
  cv <- do.call(glmnet::cv.glmnet, c(base, args))
  elapsed <- proc.time()[["elapsed"]] - t0
  fit <- cv$glmnet.fit
  list(
    lambda = as.array(cv$lambda), cvm = as.array(cv$cvm), cvsd = as.array(cv$cvsd),
    nzero = as.array(as.numeric(cv$nzero)),
    lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se,
    index_min = as.integer(cv$index[1]), index_1se = as.integer(cv$index[2]),
    name = unname(cv$name), a0 = as.array(as.numeric(fit$a0)),
    beta = as.matrix(fit$beta), dev_ratio = as.array(fit$dev.ratio), nulldev = fit$nulldev,
    elapsed = elapsed
  )
}

# The fold ids cv.glmnet itself draws for `seed` (keep = TRUE), to check statprune._glmnet.folds.r_foldid.
gram_cv_foldid_check <- function(x, y, nfolds, seed) {
  suppressPackageStartupMessages(library(glmnet))
  set.seed(seed)
  cv <- glmnet::cv.glmnet(x, y, nfolds = nfolds, keep = TRUE, nlambda = 5)
  as.array(as.integer(cv$foldid))
}
