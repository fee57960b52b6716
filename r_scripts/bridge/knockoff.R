# Knockoff statistics bridge for statprune/knockoff.py (prefix spk_). The glmnet fits behind
# knockoff's stat.glmnet_coefdiff / stat.glmnet_lambdasmax / stat.glmnet_lambdadiff (knockoff
# 0.3.6): the columns [X.swap, Xk.swap] are scaled with scale(), and for gaussian the lambda
# grid is lambda_max * (1/2000)^(k/nlambda), k = 0..nlambda-1, lambda_max = max|x'y|/n;
# other families use glmnet's own grid. The swap is drawn (or given) on the Python side.

spk_scaled_grid <- function(x, y, family, nlambda) {
  x <- scale(x)
  lambda <- NULL
  if (identical(family, "gaussian")) {
    n <- nrow(x)
    lambda_max <- max(abs(t(x) %*% y)) / n
    lambda_min <- lambda_max / 2e3
    k <- (0:(nlambda - 1)) / nlambda
    lambda <- lambda_max * (lambda_min / lambda_max)^k
  }
  list(x = x, lambda = lambda)
}

# lambda at which each column first enters the lasso path, times n (0 if it never does)
spk_max_lambda <- function(x, y, family = "gaussian", nlambda = 500L) {
  y <- as.vector(y)
  g <- spk_scaled_grid(x, y, family, nlambda)
  fit <- glmnet::glmnet(g$x, y, lambda = g$lambda, intercept = TRUE, standardize = FALSE,
                        standardize.response = FALSE, family = family)
  first <- apply(as.matrix(fit$beta), 1, function(b) match(TRUE, abs(b) > 0))
  as.array(ifelse(is.na(first), 0, fit$lambda[first] * nrow(x)))
}

# coef(cv.glmnet(...), s = "lambda.min") without the intercept
spk_cv_coef <- function(x, y, foldid, family = "gaussian", nlambda = 500L) {
  y <- as.vector(y)
  g <- spk_scaled_grid(x, y, family, nlambda)
  fit <- glmnet::cv.glmnet(g$x, y, lambda = g$lambda, intercept = TRUE, standardize = FALSE,
                           standardize.response = FALSE, family = family, foldid = as.integer(foldid))
  as.array(as.numeric(as.matrix(coef(fit, s = "lambda.min")))[-1])
}
