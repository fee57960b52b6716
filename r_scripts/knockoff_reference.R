# Pure-R reference values for statprune's knockoff filter (statprune/knockoff.py): R's knockoff
# package (create.fixed, create.gaussian, create.solve_sdp/equi, stat.glmnet_coefdiff,
# stat.glmnet_lambdasmax, stat.glmnet_lambdadiff, knockoff.threshold, knockoff.filter).
# knockoff (and its SDP solver Rdsdp) are not Debian packages: build them from their sources
# (the CRAN mirrors cran/knockoff, cran/Rdsdp) into a library and point R_LIBS at it.
#
# Random numbers: R and Python draw different streams, so every case stores the knockoff
# matrix X_k R drew, the column swap and the CV folds the statistic drew (each recorded by
# replaying the same seed: set.seed(s); swap <- rbinom(p, 1, 0.5); foldid <- sample(...);
# the script checks the replay against the statistic run with the recorded folds), and W.
# Writes tests/expected/knockoff_reference.json.
#
# Usage: R_LIBS=/path/to/rlib Rscript r_scripts/knockoff_reference.R [OUT.json]
suppressPackageStartupMessages({library(knockoff); library(glmnet); library(MASS); library(jsonlite)})
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "_reference_json.R"))  # exact_json, reference_out_path, reference_versions, write_reference
out_path <- reference_out_path("tests/expected/knockoff_reference.json")

# the swap and the folds the statistic draws right after set.seed(seed)
replay <- function(seed, p, n, nfolds = NULL) {
  set.seed(seed)
  swap <- rbinom(p, 1, 0.5)
  foldid <- if (is.null(nfolds)) NULL else sample(rep(seq(nfolds), length = n))
  list(swap = swap, foldid = foldid)
}

case_stats <- function(X, Xk, y, seed, family = "gaussian", nfolds = 10, fdr = 0.1, lambdasmax = TRUE) {
  n <- nrow(X); p <- ncol(X)
  rp <- replay(seed, p, n, nfolds)
  set.seed(seed)
  W <- suppressWarnings(stat.glmnet_coefdiff(X, Xk, y, family = family, nfolds = nfolds))
  set.seed(seed + 1)   # the same statistic with the replayed folds passed in: must agree
  W2 <- local({
    swap <- rp$swap
    suppressWarnings(knockoff:::cv_coeffs_glmnet(
      cbind(X * (1 - matrix(swap, n, p, byrow = TRUE)) + Xk * matrix(swap, n, p, byrow = TRUE),
            X * matrix(swap, n, p, byrow = TRUE) + Xk * (1 - matrix(swap, n, p, byrow = TRUE))),
      y, family = family, nfolds = nfolds, foldid = rp$foldid, parallel = FALSE))
  })
  Z <- if (family == "cox") W2[1:(2 * p)] else W2[2:(2 * p + 1)]
  W2 <- (abs(Z[1:p]) - abs(Z[(p + 1):(2 * p)])) * (1 - 2 * rp$swap)
  stopifnot(isTRUE(all.equal(as.numeric(W), as.numeric(W2), tolerance = 1e-12)))
  out <- list(coefdiff = list(seed = seed, swap = rp$swap, foldid = rp$foldid, nfolds = nfolds, W = as.numeric(W),
                              threshold = knockoff.threshold(W, fdr = fdr, offset = 0),
                              threshold_plus = knockoff.threshold(W, fdr = fdr, offset = 1),
                              selected = which(W >= knockoff.threshold(W, fdr = fdr, offset = 1)),
                              selected_offset0 = which(W >= knockoff.threshold(W, fdr = fdr, offset = 0))))
  if (lambdasmax) {
    rp <- replay(seed, p, n)
    set.seed(seed); Wm <- stat.glmnet_lambdasmax(X, Xk, y, family = family)
    set.seed(seed); Wd <- stat.glmnet_lambdadiff(X, Xk, y, family = family)
    out$lambdasmax <- list(seed = seed, swap = rp$swap, W = as.numeric(Wm),
                           threshold_plus = knockoff.threshold(Wm, fdr = fdr, offset = 1),
                           threshold = knockoff.threshold(Wm, fdr = fdr, offset = 0))
    out$lambdadiff <- list(seed = seed, swap = rp$swap, W = as.numeric(Wd),
                           threshold_plus = knockoff.threshold(Wd, fdr = fdr, offset = 1))
  }
  out
}

cases <- list()

# 1. the package's own example (?knockoff.filter): model-X Gaussian knockoffs, Sigma = I
set.seed(2022)
p <- 100; n <- 80; k <- 15
mu <- rep(0, p); Sigma <- diag(p)
X <- matrix(rnorm(n * p), n)
nonzero <- sample(p, k)
beta <- 3.5 * (1:p %in% nonzero)
y <- as.numeric(X %*% beta + rnorm(n))
set.seed(7); Xk <- create.gaussian(X, mu, Sigma)
cases$example_gaussian <- c(list(X = X, Xk = Xk, y = y, family = "gaussian",
  knockoff_filter_selected = {set.seed(11); r <- knockoff.filter(X, y, knockoffs = function(X) Xk,
      statistic = function(X, Xk, y) stat.glmnet_coefdiff(X, Xk, y, nfolds = 5)); as.integer(r$selected)}),
  case_stats(X, Xk, y, seed = 11, nfolds = 5, lambdasmax = TRUE))

# 2. the package's own example (?create.fixed): fixed-X knockoffs, sdp and equi (n = 100 >= 2p)
set.seed(2022)
p <- 50; n <- 100; k <- 15
X <- matrix(rnorm(n * p), n)
nonzero <- sample(p, k)
beta <- 5.5 * (1:p %in% nonzero)
y <- as.numeric(X %*% beta + rnorm(n))
kf <- create.fixed(X, method = "sdp")
ke <- create.fixed(X, method = "equi")
cases$example_fixed_sdp <- c(list(X_raw = X, X = kf$X, Xk = kf$Xk, y = y, family = "gaussian"),
  case_stats(kf$X, kf$Xk, y, seed = 5))
cases$example_fixed_equi <- c(list(X_raw = X, X = ke$X, Xk = ke$Xk, y = y, family = "gaussian"),
  case_stats(ke$X, ke$Xk, y, seed = 6))

# 3. MASS::Boston (medv): fixed-X equi and model-X second-order (Sigma = cov(X), SDP)
Xb <- as.matrix(Boston[, setdiff(names(Boston), "medv")]); yb <- Boston$medv
kb <- create.fixed(Xb, method = "equi")
cases$boston_fixed_equi <- c(list(X_raw = unname(Xb), X = kb$X, Xk = kb$Xk, y = yb, family = "gaussian",
  names = colnames(Xb)), case_stats(kb$X, kb$Xk, yb, seed = 8, fdr = 0.2))
set.seed(9); Xkb <- create.second_order(Xb, method = "sdp")
cases$boston_second_order <- c(list(X = unname(Xb), Xk = unname(Xkb), y = yb, family = "gaussian",
  names = colnames(Xb)), case_stats(Xb, Xkb, yb, seed = 10, fdr = 0.2))

# 4. MASS::Pima.tr (binomial): model-X second-order knockoffs, coefficient difference
Xp <- as.matrix(Pima.tr[, 1:7]); yp <- as.numeric(Pima.tr$type == "Yes")
set.seed(12); Xkp <- create.second_order(Xp, method = "equi")
cases$pima_binomial <- c(list(X = unname(Xp), Xk = unname(Xkp), y = yp, family = "binomial",
  names = colnames(Xp)), case_stats(Xp, Xkp, yp, seed = 13, family = "binomial", fdr = 0.2, lambdasmax = FALSE))

# the s of the knockoff constructions (Rdsdp's SDP; equicorrelated) for covariance matrices
ar1 <- 0.6^abs(outer(1:20, 1:20, "-"))
solve_s <- list(
  ar1_sdp = create.solve_sdp(ar1), ar1_equi = create.solve_equi(ar1), ar1 = ar1,
  boston_sdp = create.solve_sdp(cov(Xb)), boston_equi = create.solve_equi(cov(Xb)), boston_cov = unname(cov(Xb)),
  fixed_example_gram_sdp = create.solve_sdp(crossprod(kf$X)), fixed_example_gram = crossprod(kf$X),
  # the s create.fixed(method = "sdp") used inside: the SDP of the Gram matrix built from the SVD
  fixed_example_internal_sdp = local({
    sv <- knockoff:::decompose(kf$X, FALSE)
    create.solve_sdp(knockoff:::`%*diag%`(sv$v, sv$d^2) %*% t(sv$v))
  }))

out <- list(
  versions = reference_versions(c("knockoff", "Rdsdp", "glmnet", "MASS")),
  script = "r_scripts/knockoff_reference.R",
  cases = cases, solve_s = solve_s)
write_reference(out, out_path)
