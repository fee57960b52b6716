# Pure-R reference values for statprune's selective inference (statprune/selective/):
# selectiveInference::fixedLassoInf (gaussian known/estimated sigma, binomial, cox), fsInf and
# larInf (type = "active", "all", "aic"), on the package's own examples and on data sets from
# MASS and survival. selectiveInference is not a Debian package: build it from its sources
# (the CRAN mirror cran/selectiveInference, with cran/adaptMCMC and cran/ramcmc) into a library
# and point R_LIBS at it. Writes tests/expected/selective_reference.json.
#
# Usage: R_LIBS=/path/to/rlib Rscript r_scripts/selective_reference.R [OUT.json]
suppressPackageStartupMessages({
  library(selectiveInference); library(glmnet); library(survival); library(MASS); library(jsonlite)
})
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "_reference_json.R"))  # exact_json, reference_out_path, reference_versions, write_reference
out_path <- reference_out_path("tests/expected/selective_reference.json")

res_rows <- function(out) {
  list(vars = out$vars, pv = out$pv, ci = unname(out$ci), vlo = out$vlo, vup = out$vup,
       tailarea = unname(out$tailarea), sigma = if (is.null(out$sigma)) NULL else out$sigma,
       khat = if (is.null(out$khat)) NULL else out$khat,
       sign = if (is.null(out$sign)) NULL else as.numeric(out$sign),
       coef0 = if (is.null(out$coef0)) NULL else as.numeric(out$coef0))
}

cases <- list()

# ---------------------------------------------------------------- fixedLassoInf, package examples
set.seed(43)
n <- 50; p <- 10; sigma <- 1
x <- matrix(rnorm(n * p), n, p); x <- scale(x, TRUE, TRUE)
beta <- c(3, 2, rep(0, p - 2))
y <- as.numeric(x %*% beta + sigma * rnorm(n))
gfit <- glmnet(x, y, standardize = FALSE)
lambda <- .8
bhat <- coef(gfit, x = x, y = y, s = lambda / n, exact = TRUE)[-1]
o1 <- fixedLassoInf(x, y, bhat, lambda, sigma = sigma)
o2 <- fixedLassoInf(x, y, bhat, lambda)           # sigma estimated (n >= 2p: lsfit)
cases$lasso_example_known_sigma <- list(family = "gaussian", x = unname(x), y = y, beta = bhat,
  lambda = lambda, sigma = sigma, out = res_rows(o1))
cases$lasso_example_est_sigma <- list(family = "gaussian", x = unname(x), y = y, beta = bhat,
  lambda = lambda, sigma = NULL, out = res_rows(o2))

# binomial example
set.seed(43)
x <- matrix(rnorm(n * p), n, p); x <- scale(x, TRUE, TRUE)
y <- as.numeric(x %*% beta + sigma * rnorm(n)); y <- 1 * (y > mean(y))
gfit <- glmnet(x, y, standardize = FALSE, family = "binomial")
bhat <- as.numeric(coef(gfit, x = x, y = y, s = lambda / n, exact = TRUE, family = "binomial"))
o <- fixedLassoInf(x, y, bhat, lambda, family = "binomial")
cases$lasso_example_binomial <- list(family = "binomial", x = unname(x), y = y, beta = bhat,
  lambda = lambda, out = res_rows(o))

# cox example
set.seed(43)
x <- matrix(rnorm(n * p), n, p); x <- scale(x, TRUE, TRUE)
tim <- as.vector(x %*% beta + sigma * rnorm(n)); tim <- tim - min(tim) + 1
status <- sample(c(0, 1), size = n, replace = TRUE)
gfit <- glmnet(x, Surv(tim, status), standardize = FALSE, family = "cox")
lambda_c <- 1.5
bhat <- as.numeric(coef(gfit, x = x, y = Surv(tim, status), s = lambda_c / n, exact = TRUE))
o <- fixedLassoInf(x, tim, bhat, lambda_c, status = status, family = "cox")
cases$lasso_example_cox <- list(family = "cox", x = unname(x), y = tim, status = status, beta = bhat,
  lambda = lambda_c, out = res_rows(o))

# ---------------------------------------------------------------- fixedLassoInf, other data
# MASS::Boston, columns standardized, medv; glmnet lambda 0.1 -> fixedLassoInf lambda = n * 0.1
xb <- scale(as.matrix(Boston[, setdiff(names(Boston), "medv")]), TRUE, TRUE)
yb <- Boston$medv; nb <- nrow(xb)
gfit <- glmnet(xb, yb, standardize = FALSE, thresh = 1e-14)
lam_g <- 0.1
bhat <- coef(gfit, x = xb, y = yb, s = lam_g, exact = TRUE, thresh = 1e-14)[-1]
o <- fixedLassoInf(xb, yb, bhat, nb * lam_g)
cases$lasso_boston <- list(family = "gaussian", x = unname(xb), y = yb, beta = bhat, lambda = nb * lam_g,
  glmnet_lambda = lam_g, names = colnames(xb), sigma = NULL, out = res_rows(o))
o <- fixedLassoInf(xb, yb, bhat, nb * lam_g, sigma = 4.5, alpha = 0.05)
cases$lasso_boston_sigma_alpha <- list(family = "gaussian", x = unname(xb), y = yb, beta = bhat,
  lambda = nb * lam_g, names = colnames(xb), sigma = 4.5, alpha = 0.05, out = res_rows(o))

# MASS::Pima.tr (binomial: type), standardized predictors
xp <- scale(as.matrix(Pima.tr[, 1:7]), TRUE, TRUE); yp <- as.numeric(Pima.tr$type == "Yes"); np_ <- nrow(xp)
gfit <- glmnet(xp, yp, standardize = FALSE, family = "binomial", thresh = 1e-14)
lam_g <- 0.03
bhat <- as.numeric(coef(gfit, x = xp, y = yp, s = lam_g, exact = TRUE, family = "binomial", thresh = 1e-14))
o <- fixedLassoInf(xp, yp, bhat, np_ * lam_g, family = "binomial")
cases$lasso_pima_binomial <- list(family = "binomial", x = unname(xp), y = yp, beta = bhat,
  lambda = np_ * lam_g, names = colnames(xp), out = res_rows(o))

# survival::lung complete cases (cox, Efron ties), standardized predictors
lc <- na.omit(lung[, c("time", "status", "age", "sex", "ph.ecog", "ph.karno", "pat.karno", "meal.cal", "wt.loss")])
xl <- scale(as.matrix(lc[, -(1:2)]), TRUE, TRUE); tl <- lc$time; sl <- as.numeric(lc$status == 2); nl <- nrow(xl)
gfit <- glmnet(xl, Surv(tl, sl), standardize = FALSE, family = "cox", thresh = 1e-14)
lam_g <- 0.02
bhat <- as.numeric(coef(gfit, x = xl, y = Surv(tl, sl), s = lam_g, exact = TRUE, thresh = 1e-14))
o <- fixedLassoInf(xl, tl, bhat, nl * lam_g, status = sl, family = "cox")
cases$lasso_lung_cox <- list(family = "cox", x = unname(xl), y = tl, status = sl, beta = bhat,
  lambda = nl * lam_g, names = colnames(xl), out = res_rows(o))

# ---------------------------------------------------------------- fsInf / larInf
set.seed(33)
n <- 50; p <- 10; sigma <- 1
x <- matrix(rnorm(n * p), n, p); beta <- c(3, 2, rep(0, p - 2))
y <- as.numeric(x %*% beta + sigma * rnorm(n))
fsfit <- fs(x, y)
cases$fs_example <- list(x = x, y = y, action = fsfit$action, sign = fsfit$sign,
  active = res_rows(fsInf(fsfit)), aic = res_rows(fsInf(fsfit, type = "aic")),
  all5 = res_rows(fsInf(fsfit, type = "all", k = 5)))
set.seed(43)
x <- matrix(rnorm(n * p), n, p)
y <- as.numeric(x %*% beta + sigma * rnorm(n))
larfit <- lar(x, y)
cases$lar_example <- list(x = x, y = y, action = larfit$action, sign = larfit$sign, lambda = larfit$lambda,
  active = res_rows(larInf(larfit)), aic = res_rows(larInf(larfit, type = "aic")),
  all5 = res_rows(larInf(larfit, type = "all", k = 5)))

# mtcars: mpg on the other 10 columns (n = 32 >= 2p)
xm <- as.matrix(mtcars[, -1]); ym <- mtcars$mpg
fsfit <- fs(xm, ym)
cases$fs_mtcars <- list(x = unname(xm), y = ym, names = colnames(xm), action = fsfit$action, sign = fsfit$sign,
  active = res_rows(fsInf(fsfit)), aic = res_rows(fsInf(fsfit, type = "aic")),
  all3 = res_rows(fsInf(fsfit, type = "all", k = 3, sigma = 2.5, alpha = 0.05)))
larfit <- lar(xm, ym)
cases$lar_mtcars <- list(x = unname(xm), y = ym, names = colnames(xm), action = larfit$action,
  sign = larfit$sign, lambda = larfit$lambda,
  active = res_rows(larInf(larfit)), aic = res_rows(larInf(larfit, type = "aic")),
  all3 = res_rows(larInf(larfit, type = "all", k = 3, sigma = 2.5, alpha = 0.05)))

out <- list(
  versions = reference_versions(c("selectiveInference", "glmnet", "survival", "MASS")),
  script = "r_scripts/selective_reference.R",
  cases = cases)
write_reference(out, out_path)
