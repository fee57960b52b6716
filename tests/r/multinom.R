# Test-only R functions for the fast multinomial engine's parity tests (statprune.engines.multinomial),
# called through tests/helpers.call_test_r (not shipped). Prefix: multinom_

# cv.glmnet(family = "multinomial") on the same data and folds. `y` is numeric or character: R makes
# the factor itself (its level order is the one under test). `offset` is an n x K matrix or NULL;
# `args` a named list of extra arguments (alpha, thresh, type.measure, type.multinomial = "grouped",
# penalty.factor, exclude, lower.limits ...).
multinom_cv_reference <- function(x, y, foldid, weights = NULL, args = list(), offset = NULL) {
  suppressPackageStartupMessages(library(glmnet))
  base <- list(x = x, y = y, weights = weights, foldid = foldid, family = "multinomial")
  if (!is.null(offset)) base$offset <- offset
  t0 <- proc.time()[["elapsed"]]
  cv <- do.call(glmnet::cv.glmnet, c(base, args))
  elapsed <- proc.time()[["elapsed"]] - t0
  fit <- cv$glmnet.fit
  beta <- simplify2array(lapply(fit$beta, function(b) as.matrix(b)))  # p x L x K
  list(
    lambda = as.array(cv$lambda), cvm = as.array(cv$cvm), cvsd = as.array(cv$cvsd),
    nzero = as.array(as.numeric(cv$nzero)),
    lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se,
    index_min = as.integer(cv$index[1]), index_1se = as.integer(cv$index[2]),
    name = unname(cv$name), a0 = unname(as.matrix(fit$a0)),
    beta = aperm(beta, c(3, 1, 2)), dev_ratio = as.array(fit$dev.ratio), nulldev = fit$nulldev,
    classnames = as.array(fit$classnames), elapsed = elapsed
  )
}
