# glmnet bridge for statprune/lasso/ (prefix spg_). Sourced once by statprune/_r.py; called only
# from statprune/lasso/_backend_r.py.
# Every function takes R objects; no R code is ever built from user strings.
# The cv.glmnet call is built so that the stored `call` reads like what an R user
# types (cv.glmnet(x = x, y = y, family = "binomial", alpha = 0.5)): data are
# symbols bound in an evaluation environment, scalar options are literal values.

spg_make_y <- function(y, family, strata = NULL) {
  if (identical(family, "cox")) {
    if (!inherits(y, "Surv")) {
      y <- as.matrix(y)
      y <- if (ncol(y) == 3) survival::Surv(as.numeric(y[, 1]), as.numeric(y[, 2]), as.numeric(y[, 3]))
           else survival::Surv(as.numeric(y[, 1]), as.numeric(y[, 2]))
    }
    if (!is.null(strata)) y <- glmnet::stratifySurv(y, strata)
    return(y)
  }
  y
}

# x as glmnet takes it: a dense matrix, or a dgCMatrix built from the CSC parts statprune sends
# (list(spg.sparse = TRUE, i, p, x, dim), 0-based i/p as scipy.sparse holds them; never densified).
spg_x <- function(x) {
  if (is.list(x) && isTRUE(x$spg.sparse)) {
    return(Matrix::sparseMatrix(i = as.integer(x$i), p = as.integer(x$p), x = as.numeric(x$x),
                                dims = as.integer(x$dim), index1 = FALSE))
  }
  x
}

# glmnet's GLM families as R family objects (glmnet.path): the *call* that builds one,
# from a fixed set of family names, a link name and theta passed as R values (never
# pasted code), e.g. binomial(link = "probit") or MASS::negative.binomial(theta = 3).
SPG_GLM_FAMILIES <- c("gaussian", "binomial", "poisson", "quasipoisson", "quasibinomial",
                      "Gamma", "inverse.gaussian", "negative.binomial")
spg_family_call <- function(name, link = NULL, theta = NULL) {
  if (!name %in% SPG_GLM_FAMILIES) stop("family '", name, "' is not one of ", paste(SPG_GLM_FAMILIES, collapse = ", "))
  fun <- if (name == "negative.binomial") call("::", quote(MASS), quote(negative.binomial)) else
    call("::", quote(stats), as.name(name))
  args <- list()
  if (name == "negative.binomial") {
    if (is.null(theta)) stop("family negative.binomial needs theta")
    args$theta <- as.numeric(theta)
  }
  if (!is.null(link)) args$link <- as.character(link)
  cl <- as.call(c(list(fun), args))
  eval(cl, baseenv())  # validates the link now (R's own message), e.g. 'link "foo" not available'
  cl
}

# opts$family becomes the family call when a link/theta is given or the family exists only as an object.
spg_opts_family <- function(opts) {
  link <- opts$spg.link
  theta <- opts$spg.theta
  opts$spg.link <- NULL
  opts$spg.theta <- NULL
  fam <- if (is.null(opts$family)) "gaussian" else opts$family
  if (!is.null(link) || !is.null(theta) || fam %in% c("quasipoisson", "quasibinomial", "Gamma",
                                                      "inverse.gaussian", "negative.binomial")) {
    opts$family <- spg_family_call(fam, link, theta)
  }
  opts
}

# Fold ids exactly as cv.glmnet draws them after set.seed(seed) (sample(rep(seq(nfolds), length = N))):
# the folds spg_cv_fit reports when cv.glmnet drew them itself. Without a seed statprune draws
# the folds in Python and passes them as foldid (statprune._glmnet.folds, the one fold policy).
spg_draw_foldid <- function(n, nfolds, seed) {
  set.seed(seed)
  sample(rep(seq(nfolds), length = n))
}

# opts: named list of cv.glmnet/glmnet options (family, alpha, nlambda, ...),
# already in R's names and R's defaults removed (NULL entries are dropped).
spg_cv_fit <- function(x, y, opts, weights = NULL, offset = NULL, foldid = NULL,
                       seed = NULL, nfolds = 10L, dimnames_x = NULL, ynames = NULL, strata = NULL,
                       exclude_table = NULL, trace = FALSE) {
  x <- spg_x(x)
  if (!is.null(dimnames_x)) colnames(x) <- dimnames_x
  if (!is.null(ynames) && is.matrix(y)) colnames(y) <- ynames
  family <- if (is.null(opts$family)) "gaussian" else opts$family
  y <- spg_make_y(y, family, strata)
  opts <- spg_opts_family(opts)
  n <- nrow(x)
  drawn <- is.null(foldid)
  if (drawn && is.null(seed)) stop("spg_cv_fit needs foldid or seed")
  if (drawn) foldid_used <- spg_draw_foldid(n, nfolds, seed) else foldid_used <- as.integer(foldid)
  e <- new.env(parent = asNamespace("glmnet"))
  e$x <- x
  e$y <- y
  args <- list(x = quote(x), y = quote(y))
  if (!is.null(weights)) { e$weights <- as.double(weights); args$weights <- quote(weights) }
  if (!is.null(offset)) { e$offset <- offset; args$offset <- quote(offset) }
  if (drawn && !is.null(seed)) {
    # reproduce set.seed(seed); cv.glmnet(x, y, nfolds = k): cv.glmnet draws the folds itself
    if (nfolds != 10L) args$nfolds <- as.numeric(nfolds)  # the call then reads nfolds = 5, not 5L
  } else {
    e$foldid <- foldid_used
    args$foldid <- quote(foldid)
  }
  if (!is.null(exclude_table)) {
    # glmnet 4.1's exclude = function(x, y, weights): statprune computed its answer (in Python) on
    # the full data and on each fold's training rows; this function looks the answer up from the
    # rows it receives (their row names), so cv.glmnet's per-fold calls get the per-fold answers.
    rownames(x) <- as.character(seq_len(n))
    e$x <- x
    fid <- foldid_used
    tab <- exclude_table
    e$exclude <- function(x, y, weights) {
      used <- as.integer(rownames(x))
      k <- if (length(used) == n) 0L else fid[setdiff(seq_len(n), used)[1L]]
      v <- tab[[k + 1L]]
      if (length(v)) as.integer(v) else NULL
    }
    opts$exclude <- NULL
    args$exclude <- quote(exclude)
  }
  opts <- opts[!vapply(opts, is.null, logical(1))]
  for (nm in intersect(names(opts), c("nlambda", "maxit", "dfmax", "pmax"))) opts[[nm]] <- as.numeric(opts[[nm]])
  args <- c(args, opts)
  # trace: cv.glmnet's trace.it = 1 prints "Training" and "Fold: k/K" (statprune's progress bar reads
  # them); it changes no number, and it is taken out of the calls the fit stores (as if never given)
  if (trace) args$trace.it <- 1
  cl <- as.call(c(list(quote(cv.glmnet)), args))
  if (drawn && !is.null(seed)) set.seed(seed)
  fit <- eval(cl, e)
  if (trace) {
    fit$call$trace.it <- NULL
    fit$glmnet.fit$call$trace.it <- NULL
  }
  out <- spg_extract(fit)
  out$foldid <- as.array(as.integer(foldid_used))
  out$fit <- fit
  out
}

# roc.glmnet: on the prevalidated fits (keep = TRUE; column `index` of fit.preval) or on new data at s.
spg_roc <- function(fit, index = NULL, newy = NULL, newx = NULL, s = NULL, family = "binomial") {
  if (is.null(newx)) {
    r <- glmnet::roc.glmnet(fit$fit.preval, newy = newy)
    r <- r[[index]]
  } else {
    g <- if (inherits(fit, "cv.glmnet")) fit$glmnet.fit else fit
    r <- glmnet::roc.glmnet(g, newx = spg_x(newx), newy = newy, s = s)
    if (is.list(r) && !is.data.frame(r)) r <- r[[1]]
  }
  list(FPR = as.array(as.numeric(r[, "FPR"])), TPR = as.array(as.numeric(r[, "TPR"])))
}

spg_dense <- function(b) as.matrix(b)

# Everything statprune.lasso needs from a cv.glmnet object (also used by from_rds).
spg_extract <- function(fit) {
  g <- fit$glmnet.fit
  lam_all <- g$lambda
  idx <- match(fit$lambda, lam_all)
  family <- spg_family(g)
  beta <- g$beta
  if (is.list(beta)) {  # multinomial / mgaussian: one sparse matrix per class/response
    K <- length(beta)
    p <- nrow(beta[[1]])
    arr <- array(0, dim = c(K, p, length(idx)))
    for (k in seq_len(K)) arr[k, , ] <- spg_dense(beta[[k]])[, idx, drop = FALSE]
    b <- arr
    a0 <- as.matrix(g$a0)[, idx, drop = FALSE]
    class_names <- names(beta)
    vnames <- rownames(beta[[1]])
  } else {
    b <- spg_dense(beta)[, idx, drop = FALSE]
    dimnames(b) <- NULL
    a0 <- if (is.null(g$a0)) as.array(rep(0, length(idx))) else as.array(unname(g$a0[idx]))
    class_names <- if (!is.null(g$classnames)) g$classnames else NULL
    vnames <- rownames(beta)
  }
  dimnames(a0) <- NULL
  rel <- NULL
  if (inherits(fit, "cv.relaxed")) {
    r <- fit$relaxed
    rel <- list(lambda_min = r$lambda.min, lambda_1se = r$lambda.1se,
                gamma_min = r$gamma.min, gamma_1se = r$gamma.1se,
                gamma = as.array(as.numeric(sub("^g:", "", names(r$statlist)))),
                index = r$index)
  }
  list(
    lambda = as.array(fit$lambda),
    cvm = as.array(unname(fit$cvm)),
    cvsd = as.array(unname(fit$cvsd)),
    cvup = as.array(unname(fit$cvup)),
    cvlo = as.array(unname(fit$cvlo)),
    nzero = as.array(as.integer(unname(fit$nzero))),
    lambda_min = fit$lambda.min,
    lambda_1se = fit$lambda.1se,
    index_min = as.integer(fit$index[1, 1]),
    index_1se = as.integer(fit$index[2, 1]),
    name = unname(fit$name),
    type_measure = names(fit$name),
    a0 = a0,
    beta = b,
    dev_ratio = as.array(g$dev.ratio[idx]),
    nulldev = g$nulldev,
    family = family,
    class_names = if (is.null(class_names)) NULL else as.array(class_names),
    feature_names = if (is.null(vnames)) NULL else as.array(vnames),
    npasses = g$npasses,
    jerr = g$jerr,
    nobs = g$nobs,
    nlambda_fit = length(lam_all),
    relaxed = rel,
    fit_preval = if (is.null(fit$fit.preval)) NULL else unname(fit$fit.preval),
    alpha = spg_call_alpha(g),
    link = spg_link(g),
    theta = spg_theta(g)
  )
}

spg_family <- function(g) {
  f <- family(g)
  if (is.character(f)) return(f)
  if (startsWith(f$family, "Negative Binomial")) return("negative.binomial")
  f$family
}

# The link and theta of a family-object fit (NULL for glmnet's built-in character families).
spg_link <- function(g) {
  f <- family(g)
  if (is.character(f)) NULL else f$link
}
spg_theta <- function(g) {
  f <- family(g)
  if (is.character(f) || !startsWith(f$family, "Negative Binomial")) return(NULL)
  get(".Theta", envir = environment(f$variance))
}

# family$linkinv(eta) of a family-object fit (links statprune does not compute itself).
spg_linkinv <- function(fit, eta) {
  g <- if (inherits(fit, "cv.glmnet")) fit$glmnet.fit else fit
  f <- family(g)
  if (is.character(f)) stop("this fit uses glmnet's built-in family '", f, "', not a family object")
  f$linkinv(eta)
}

spg_lambda_interp_coef <- function(fit, s, gamma = NULL) {
  cf <- if (is.null(gamma)) coef(fit, s = s) else coef(fit, s = s, gamma = gamma)
  spg_coef_list(cf)
}

spg_coef_list <- function(cf) {
  if (is.list(cf)) lapply(cf, function(m) as.matrix(m)) else as.matrix(cf)
}

# R's coef(fit, s, exact = TRUE): refit glmnet on lambda = sort(c(s, lambda)) with
# the original data, exactly as predict.glmnet does through update().
spg_coef_exact <- function(fit, s, x, y, opts, weights = NULL, offset = NULL, dimnames_x = NULL,
                           ynames = NULL, strata = NULL) {
  x <- spg_x(x)
  if (!is.null(dimnames_x)) colnames(x) <- dimnames_x
  if (!is.null(ynames) && is.matrix(y)) colnames(y) <- ynames
  g <- if (inherits(fit, "cv.glmnet")) fit$glmnet.fit else fit
  family <- if (is.null(opts$family)) "gaussian" else opts$family
  y <- spg_make_y(y, family, strata)
  opts <- spg_opts_family(opts)
  if (is.call(opts$family)) opts$family <- eval(opts$family, baseenv())
  opts <- opts[!vapply(opts, is.null, logical(1))]
  opts$lambda <- NULL
  opts$nfolds <- NULL
  opts$type.measure <- NULL
  opts$grouped <- NULL
  opts$keep <- NULL
  opts$alignment <- NULL
  args <- c(list(x = x, y = y), opts)
  if (!is.null(weights)) args$weights <- as.double(weights)
  if (!is.null(offset)) args$offset <- offset
  args$relax <- NULL
  args$gamma <- NULL
  args$lambda <- unique(rev(sort(c(s, g$lambda))))
  g2 <- do.call(glmnet::glmnet, args)
  spg_coef_list(coef(g2, s = s))
}

spg_assess <- function(fit, newx, newy, family, s, weights = NULL, newoffset = NULL) {
  y <- spg_make_y(newy, family)
  g <- if (inherits(fit, "cv.glmnet")) fit$glmnet.fit else fit
  args <- list(g, newx = spg_x(newx), newy = y, s = s)
  if (!is.null(weights)) args$weights <- weights
  if (!is.null(newoffset)) args$newoffset <- newoffset
  res <- do.call(glmnet::assess.glmnet, args)
  lapply(res, function(v) list(value = as.array(unname(as.numeric(v))), name = attr(v, "measure")))
}

spg_confusion <- function(fit, newx, newy, s, newoffset = NULL) {
  g <- if (inherits(fit, "cv.glmnet")) fit$glmnet.fit else fit
  args <- list(g, newx = spg_x(newx), newy = newy, s = s)
  if (!is.null(newoffset)) args$newoffset <- newoffset
  tab <- do.call(glmnet::confusion.glmnet, args)
  m <- unclass(tab)
  list(table = matrix(as.numeric(m), nrow(m), ncol(m)),
       predicted = as.array(rownames(m)), true = as.array(colnames(m)))
}

# save_rds: the stream saveRDS() would write (serialize version 3, XDR), returned as a raw
# vector; Python gzip-compresses it and writes it with its atomic writer (statprune/_json.py),
# which checks every write (a full disk fails, the old file stays).
spg_serialize_raw <- function(fit) serialize(fit, NULL, xdr = TRUE, version = 3)

# from_rds: the serialized stream statprune/_rds_check.py has checked (data only), as a raw vector;
# R deserializes exactly those bytes, never the file a second time.
# A family object arrives as the strings statprune/_rds_check.py checked (its closures never
# reach R): list("statprune:family", c(family, link), theta, placeholders).
spg_unserialize_checked <- function(raw) {
  obj <- spg_rebuild_families(unserialize(raw))
  list(obj = obj, class = as.array(class(obj)))
}

# Every checked family stub (an element named family) rebuilt by R's own family function
# (spg_family_call: a fixed set of names, the link and theta passed as values).
spg_rebuild_families <- function(obj) {
  if (!is.list(obj)) return(obj)
  for (nm in names(obj)) {
    el <- obj[[nm]]
    if (identical(nm, "family") && is.list(el) && identical(el[[1]], "statprune:family")) {
      s <- el[[2]]
      nb <- startsWith(s[1], "Negative Binomial(")
      obj[[nm]] <- eval(spg_family_call(if (nb) "negative.binomial" else s[1], s[2],
                                        if (nb) el[[3]] else NULL), baseenv())
    } else if (is.list(el)) {
      obj[[nm]] <- spg_rebuild_families(el)
    }
  }
  obj
}

# The call as an R user would read it.
spg_call_text <- function(fit) paste(deparse(fit$call, width.cutoff = 80L), collapse = "\n")

# A plain glmnet fit (no cross-validation): same keys, CV entries NA.
spg_extract_plain <- function(g) {
  L <- length(g$lambda)
  fake <- list(lambda = g$lambda, cvm = rep(NA_real_, L), cvsd = rep(NA_real_, L),
               cvup = rep(NA_real_, L), cvlo = rep(NA_real_, L),
               nzero = sapply(predict(g, type = "nonzero"), length),
               lambda.min = NA_real_, lambda.1se = NA_real_,
               index = matrix(NA_integer_, 2, 1), name = c(none = NA_character_), glmnet.fit = g)
  out <- spg_extract(fake)
  out$lambda_min <- NULL
  out$lambda_1se <- NULL
  out$index_min <- NULL
  out$index_1se <- NULL
  out
}

# alpha of a fit as written in its call (1, glmnet's default, when absent; NA when not a literal).
spg_call_alpha <- function(g) {
  a <- g$call$alpha
  if (is.null(a)) 1 else if (is.numeric(a)) a else NA_real_
}

# Pickle support: the fit as bytes (integers 0..255) and back.
spg_serialize <- function(fit) as.array(as.integer(serialize(fit, NULL)))
spg_unserialize <- function(bytes) unserialize(as.raw(bytes))
