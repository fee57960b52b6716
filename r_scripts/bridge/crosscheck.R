# statprune crosscheck bridge (issue 9): R's side of statprune.crosscheck,
# called only from statprune/lasso/_backend_r.py (glmnet) and statprune/_backend_r.py
# (lm/glm, step, prcomp). Sourced once by statprune/_r.py;
# every function takes R objects (matrices, vectors, factors) and returns plain
# lists. No R code is ever built from user strings: models are fitted on a model
# matrix built in Python, with column names made here ("x1", "x2", ...), so no
# user text reaches a formula. Folds always come from Python (statprune's one
# fold policy, via GlmnetCV or the caller's foldid): nothing here draws them.

# A factor passed from Python, rebuilt at R level (see cc_rebuild_df); other
# vectors unchanged.
cc_y <- function(y) {
  lev <- attr(y, "levels")
  if (is.null(lev) || is.matrix(y)) return(y)
  factor(lev[as.integer(unclass(y))], levels = lev)
}

# glmnet at fixed lambda value(s), run to a tight tolerance. `lambda` may be a
# single value or a decreasing sequence (the whole path). Coefficients come back
# on the original x scale, as glmnet reports them.
cc_glmnet_fit <- function(x, y, family = "gaussian", alpha = 1, lambda,
                          weights = NULL, penalty_factor = NULL,
                          standardize = TRUE, intercept = TRUE,
                          thresh = 1e-14, maxit = 1e7,
                          type_multinomial = "ungrouped", offset = NULL) {
  y <- cc_y(y)
  if (is.null(weights)) weights <- rep(1, nrow(x))
  if (is.null(penalty_factor)) penalty_factor <- rep(1, ncol(x))
  args <- list(x = x, y = y, family = family, alpha = alpha, lambda = lambda,
               weights = weights, penalty.factor = penalty_factor,
               standardize = standardize, intercept = intercept,
               thresh = thresh, maxit = maxit)
  if (identical(family, "multinomial")) args$type.multinomial <- type_multinomial
  if (!is.null(offset)) args$offset <- as.vector(offset)
  fit <- do.call(glmnet::glmnet, args)
  path <- cc_path_arrays(fit, family, ncol(x), classes = NULL)
  list(lambda = as.array(fit$lambda), a0 = path$a0, beta = path$beta,
       dev_ratio = as.array(fit$dev.ratio), nulldev = fit$nulldev,
       deviance = as.array(stats::deviance(fit)), npasses = fit$npasses,
       classes = path$classes)
}

# Coefficients of a glmnet fit `g` as arrays: beta (p x L; K x p x L for
# multinomial), a0 (L; K x L) and the class names (names(g$beta) for multinomial,
# else `classes`).
cc_path_arrays <- function(g, family, p, classes) {
  if (identical(family, "multinomial")) {
    K <- length(g$beta)
    beta <- array(0, c(K, p, length(g$lambda)))
    for (k in seq_len(K)) beta[k, , ] <- as.matrix(g$beta[[k]])
    return(list(beta = beta, a0 = as.matrix(g$a0), classes = names(g$beta)))
  }
  list(beta = as.matrix(g$beta), a0 = as.array(g$a0), classes = classes)
}

# glmnet's cross-validation recomputed at a FIXED lambda sequence, every fold
# fitted to `thresh`, each fold standardized on its own training rows (as
# cv.glmnet does), predictions at exactly these lambdas (no interpolation).
# Returns the per-fold weighted mean squared errors (K x L) and cvm/cvsd
# aggregated exactly as glmnet:::cvcompute / cvstats do (gaussian, mse).
cc_glmnet_folds <- function(x, y, foldid, alpha = 1, lambda, weights = NULL,
                            standardize = TRUE, intercept = TRUE,
                            thresh = 1e-14, maxit = 1e7) {
  if (is.null(weights)) weights <- rep(1, nrow(x))
  K <- max(foldid)
  L <- length(lambda)
  fold_mse <- matrix(NA_real_, K, L)
  wsum <- numeric(K)
  for (k in seq_len(K)) {
    test <- foldid == k
    fit <- glmnet::glmnet(x[!test, , drop = FALSE], y[!test], family = "gaussian",
                          alpha = alpha, lambda = lambda, weights = weights[!test],
                          standardize = standardize, intercept = intercept,
                          thresh = thresh, maxit = maxit)
    pred <- stats::predict(fit, x[test, , drop = FALSE], s = lambda, exact = FALSE)
    err <- (y[test] - pred)^2
    fold_mse[k, ] <- apply(err, 2, stats::weighted.mean, w = weights[test])
    wsum[k] <- sum(weights[test])
  }
  cvm <- apply(fold_mse, 2, stats::weighted.mean, w = wsum)
  cvsd <- sqrt(apply(sweep(fold_mse, 2, cvm)^2, 2, stats::weighted.mean, w = wsum) / (K - 1))
  list(fold_mse = fold_mse, fold_weight = as.array(wsum), cvm = as.array(cvm),
       cvsd = as.array(cvsd), lambda = as.array(lambda))
}

# lm / glm on a numeric model matrix (no intercept column: R adds it). The
# column names are generic so that no user-supplied name reaches a formula.
cc_lm_glm <- function(x, y, family = "gaussian", weights = NULL) {
  x <- as.matrix(x)
  p <- ncol(x)
  nm <- if (p > 0) paste0("x", seq_len(p)) else character(0)
  colnames(x) <- nm
  df <- data.frame(.y = y, x, check.names = FALSE)
  if (is.null(weights)) weights <- rep(1, nrow(x))
  df$.w <- weights
  rhs <- if (p > 0) paste(nm, collapse = " + ") else "1"
  fml <- stats::as.formula(paste(".y ~", rhs))  # only the generic names x1..xp
  if (identical(family, "gaussian")) {
    fit <- stats::lm(fml, data = df, weights = .w)
    tab <- summary(fit)$coefficients
    test <- "t"
  } else {
    fam <- switch(family, binomial = stats::binomial(), poisson = stats::poisson(),
                  stop("family must be gaussian, binomial or poisson"))
    ctl <- stats::glm.control(epsilon = 1e-14, maxit = 100)
    fit <- stats::glm(fml, data = df, family = fam, weights = .w, control = ctl)
    # polish: one more IRLS pass started at the estimate, so that the standard
    # errors use the working weights AT the estimate (glm's last QR uses the
    # previous iterate's weights)
    fit <- stats::glm(fml, data = df, family = fam, weights = .w, control = ctl,
                      start = stats::coef(fit))
    tab <- summary(fit)$coefficients
    test <- "z"
  }
  est <- stats::coef(fit)
  se <- rep(NA_real_, length(est)); pv <- se
  se[match(rownames(tab), names(est))] <- tab[, 2]
  pv[match(rownames(tab), names(est))] <- tab[, 4]
  list(coef = as.array(unname(est)), se = as.array(se), pvalue = as.array(pv),
       deviance = stats::deviance(fit), aic = stats::AIC(fit),
       loglik = as.numeric(stats::logLik(fit)), df_residual = fit$df.residual,
       test = test)
}

# prcomp with the sign of each loading vector normalised so that its entry of
# largest absolute value is positive.
cc_prcomp <- function(x, scale = FALSE) {
  pc <- stats::prcomp(x, center = TRUE, scale. = scale)
  rot <- pc$rotation
  for (j in seq_len(ncol(rot))) {
    i <- which.max(abs(rot[, j]))
    if (rot[i, j] < 0) rot[, j] <- -rot[, j]
  }
  list(sdev = as.array(pc$sdev), rotation = unname(rot))
}

# Check that a model formula given as text only uses the data's columns, ".",
# numbers and the formula operators; nothing is evaluated while checking. Returns
# the formula object. Anything else (a function call such as log(), I(), or a
# name that is not a column) is refused, so no user text is ever evaluated.
cc_safe_formula <- function(text, columns) {
  if (!is.character(text) || length(text) != 1L) stop("the formula must be one string")
  expr <- tryCatch(str2lang(text), error = function(e) stop("cannot parse the formula: ", conditionMessage(e)))
  ops <- c("~", "+", "-", "*", ":", "^", "(", "/", "%in%")
  walk <- function(e) {
    if (is.name(e)) {
      nm <- as.character(e)
      if (!(nm %in% c(columns, "."))) stop("the formula refers to '", nm, "', which is not a column of the data")
    } else if (is.call(e)) {
      fn <- e[[1L]]
      if (!is.name(fn) || !(as.character(fn) %in% ops))
        stop("the formula may only use column names, '.', numbers and the operators ", paste(ops, collapse = " "))
      for (a in as.list(e)[-1L]) walk(a)
    } else if (!(is.numeric(e) && length(e) == 1L)) {
      stop("unexpected element in the formula")
    }
  }
  walk(expr)
  if (!is.call(expr) || !identical(expr[[1L]], as.name("~")) || length(expr) != 3L)
    stop("the formula needs a response: 'y ~ terms'")
  stats::as.formula(expr, env = baseenv())
}

# Rebuild a data.frame (and its factors) at R level: objects assembled by the
# Python side carry the class attribute but not R's internal "object" flag, which
# C code (terms.formula, model.matrix) and S3 dispatch rely on.
cc_rebuild_df <- function(d) {
  cols <- lapply(unclass(d), function(v) {
    lev <- attr(v, "levels")
    if (!is.null(lev)) factor(lev[as.integer(unclass(v))], levels = lev) else as.vector(unclass(v))
  })
  names(cols) <- names(d)
  as.data.frame(cols, check.names = FALSE, stringsAsFactors = FALSE)
}

# R's step() on lm/glm with AIC penalty k; the path (anova table) and the final
# model's coefficients and AIC.
cc_step <- function(data, formula, family = "gaussian", direction = "backward", k = 2) {
  data <- cc_rebuild_df(data)
  fml <- cc_safe_formula(formula, names(data))
  # step() refits through update() and eval.parent(): the model call must be
  # evaluable in THIS frame, so it names these two local variables
  .data <- data
  .family <- switch(family, gaussian = NULL, binomial = stats::binomial(), poisson = stats::poisson(),
                    Gamma = stats::Gamma(), stop("unknown family"))
  here <- environment()
  environment(fml) <- here
  fit_fun <- function(f) {
    cl <- if (identical(family, "gaussian")) bquote(stats::lm(.(f), data = .data))
          else bquote(stats::glm(.(f), data = .data, family = .family))
    eval(cl, here)
  }
  if (identical(direction, "forward")) {
    start <- stats::update(fml, . ~ 1)
    full <- stats::terms(fml, data = data)
    upper <- stats::reformulate(attr(full, "term.labels"), response = NULL)
    fit0 <- fit_fun(start)
    res <- stats::step(fit0, scope = list(lower = ~1, upper = upper), direction = "forward", k = k, trace = 0)
  } else {
    fit0 <- fit_fun(fml)
    res <- stats::step(fit0, direction = direction, k = k, trace = 0)
  }
  an <- res$anova
  cf <- stats::coef(res)
  list(step = as.character(an$Step), aic = as.array(an$AIC),
       final_terms = attr(stats::terms(res), "term.labels"),
       coef = as.array(unname(cf)), coef_names = names(cf),
       final_aic = stats::extractAIC(res, k = k)[2L])
}

# cv.glmnet at a FIXED lambda sequence (every fold fitted at exactly these lambdas,
# so no interpolation), each fold to `thresh`, with glmnet's default measure for
# the family (mse; deviance for binomial, poisson, multinomial) and the
# prevalidated linear predictors (keep = TRUE). Issue 14: the CV stage of the
# certified crosscheck, every family.
cc_cv_fixed <- function(x, y, family = "gaussian", alpha = 1, lambda, foldid,
                        weights = NULL, penalty_factor = NULL, standardize = TRUE,
                        intercept = TRUE, thresh = 1e-14, maxit = 1e7,
                        type_multinomial = "ungrouped", offset = NULL) {
  y <- cc_y(y)
  if (is.null(weights)) weights <- rep(1, nrow(x))
  if (is.null(penalty_factor)) penalty_factor <- rep(1, ncol(x))
  args <- list(x = x, y = y, family = family, alpha = alpha, lambda = lambda,
               foldid = as.integer(foldid), weights = weights,
               penalty.factor = penalty_factor, standardize = standardize,
               intercept = intercept, thresh = thresh, maxit = maxit, keep = TRUE)
  if (identical(family, "multinomial")) args$type.multinomial <- type_multinomial
  if (!is.null(offset)) args$offset <- as.vector(offset)
  fit <- do.call(glmnet::cv.glmnet, args)
  list(lambda = as.array(fit$lambda), cvm = as.array(fit$cvm), cvsd = as.array(fit$cvsd),
       lambda_min = fit$lambda.min, lambda_1se = fit$lambda.1se, name = unname(fit$name),
       preval = fit$fit.preval)
}
