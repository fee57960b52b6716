# Stability selection bridge for statprune/stability (prefix sps_), called only through
# statprune/lasso/_backend_r.py (subsample_lasso_paths); sourced once per (worker) process by
# statprune/_r.py. The base learner is stabs::glmnet.lasso
# (stabs 0.7-1, R/fitfuns.R) applied to each subsample column of `folds`.

# One subsample: glmnet(x, y, pmax = q) ("conservative", stabs' default) or
# glmnet(x, y, dfmax = q - 1) ("anticonservative"); selected = nonzero at the last lambda.
sps_glmnet_lasso <- function(x, y, q, opts) {
  type <- if (is.null(opts$type)) "conservative" else opts$type
  args <- list(x = x, y = y)
  if (!is.null(opts$family)) args$family <- opts$family
  if (!is.null(opts$alpha)) args$alpha <- opts$alpha
  if (!is.null(opts$standardize)) args$standardize <- opts$standardize
  if (!is.null(opts$intercept)) args$intercept <- opts$intercept
  if (!is.null(opts$penalty_factor)) args$penalty.factor <- opts$penalty_factor
  if (!is.null(opts$nlambda)) args$nlambda <- opts$nlambda
  if (!is.null(opts$lambda_min_ratio)) args$lambda.min.ratio <- opts$lambda_min_ratio
  if (type == "conservative") {
    args$pmax <- q
    fit <- suppressWarnings(do.call(glmnet::glmnet, args))
  } else {
    args$dfmax <- q - 1
    fit <- do.call(glmnet::glmnet, args)
  }
  path <- as.matrix(fit$beta != 0) * 1
  list(path = path, lambda = as.array(fit$lambda))
}

# All subsamples of one chunk in one call (folds: n x k 0/1 matrix); a failing
# subsample returns its error message (stabs drops it with a warning).
sps_glmnet_lasso_many <- function(x, y, folds, q, opts) {
  y <- if (is.matrix(y)) y else as.vector(y)
  out <- vector("list", ncol(folds))
  for (i in seq_len(ncol(folds))) {
    inbag <- as.logical(folds[, i])
    yy <- if (is.matrix(y)) y[inbag, , drop = FALSE] else y[inbag]
    out[[i]] <- tryCatch(sps_glmnet_lasso(x[inbag, , drop = FALSE], yy, q, opts),
                         error = function(e) conditionMessage(e))
  }
  out
}
