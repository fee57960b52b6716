# Reference values of stabs::stabsel (fitfun = glmnet.lasso) for statprune.stabsel (tests/test_stability.py).
#   R_LIBS=/path/to/lib/with/stabs Rscript r_scripts/stabs_reference.R [OUT.json]
# stabs is not a Debian package: build it from its sources (the CRAN mirror cran/stabs) into a private
# library with R CMD INSTALL -l LIB. Writes tests/expected/stabs_cases.json: per case the data set,
# the stabsel arguments, the seed, the subsamples (stabs::subsample after set.seed(seed), one 0/1 string
# per subsample), the selection probabilities (max), the stability paths (phat), the selected set,
# cutoff, q, PFER and specifiedPFER; frequencies as counts out of n_fits (max = max_count / n_fits); and the R, stabs and glmnet versions. The script checks that
# set.seed(seed); stabsel(...) with stabs' own default folds gives the same answer as the stored folds.
suppressPackageStartupMessages({library(stabs); library(glmnet); library(MASS); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
out <- if (length(args)) args[1] else file.path(dirname(here), "tests", "expected", "stabs_cases.json")

simulated <- function() {
  set.seed(20261201)
  n <- 80; p <- 60
  x <- matrix(rnorm(n * p), n, p, dimnames = list(NULL, sprintf("v%02d", 1:p)))
  y <- 1.5 * x[, 1] - 1.2 * x[, 2] + x[, 3] - 0.8 * x[, 10] + rnorm(n)
  list(x = x, y = y)
}
pima <- rbind(MASS::Pima.tr, MASS::Pima.te)
data_ <- list(
  boston = function() list(x = as.matrix(MASS::Boston[, setdiff(names(MASS::Boston), "medv")]), y = MASS::Boston$medv),
  pima = function() list(x = as.matrix(pima[, setdiff(names(pima), "type")]), y = pima$type),
  simulated = simulated
)
case <- function(data, sampling, assumption, seed, q = NULL, cutoff = NULL, PFER = NULL, B = NULL,
                 family = "gaussian", type = "conservative")
  list(data = data, sampling_type = sampling, assumption = assumption, seed = seed, q = q, cutoff = cutoff,
       PFER = PFER, B = B, family = family, type = type)
cases <- list(
  boston_MB = case("boston", "MB", "none", 1, q = 3, PFER = 1),
  boston_SS_unimodal = case("boston", "SS", "unimodal", 2, q = 4, PFER = 0.5),
  boston_SS_rconcave = case("boston", "SS", "r-concave", 3, q = 5, cutoff = 0.75),
  simulated_MB = case("simulated", "MB", "none", 4, q = 8, cutoff = 0.75, B = 60),
  simulated_SS_unimodal = case("simulated", "SS", "unimodal", 5, q = 6, PFER = 1),
  simulated_SS_rconcave = case("simulated", "SS", "r-concave", 6, q = 6, PFER = 0.2),
  simulated_SS_anticonservative = case("simulated", "SS", "r-concave", 7, q = 6, PFER = 0.5, type = "anticonservative"),
  pima_SS_rconcave = case("pima", "SS", "r-concave", 8, q = 3, cutoff = 0.7, B = 25, family = "binomial")
)
nn <- function(v) if (is.null(v)) NULL else v
run <- function(cs) {
  d <- data_[[cs$data]]()
  B <- if (is.null(cs$B)) ifelse(cs$sampling_type == "MB", 100, 50) else cs$B
  set.seed(cs$seed)
  folds <- subsample(rep(1, nrow(d$x)), B = B)
  call_ <- function(folds_arg) {
    a <- list(x = d$x, y = d$y, fitfun = glmnet.lasso, args.fitfun = list(type = cs$type, family = cs$family),
              assumption = cs$assumption, sampling.type = cs$sampling_type, B = B, papply = lapply)
    if (!is.null(cs$q)) a$q <- cs$q
    if (!is.null(cs$cutoff)) a$cutoff <- cs$cutoff
    if (!is.null(cs$PFER)) a$PFER <- cs$PFER
    if (!is.null(folds_arg)) a$folds <- folds_arg
    suppressWarnings(do.call(stabsel, a))
  }
  fit <- call_(folds)
  set.seed(cs$seed)
  again <- call_(NULL)  # stabs' own default folds from the same seed
  if (!identical(fit$max, again$max) || !identical(fit$phat, again$phat)) stop("same seed, different subsamples: ", cs$data)
  # frequencies are counts / number of fits: store the counts (exact integers) and check the identity
  nf <- if (cs$sampling_type == "SS") 2 * B else B
  max_count <- round(fit$max * nf)
  phat_count <- round(fit$phat * nf)
  if (!all(fit$max == max_count / nf) || !all(fit$phat == phat_count / nf)) stop("frequencies are not counts / fits")
  list(data = cs$data, family = cs$family, type = cs$type, sampling_type = cs$sampling_type, assumption = cs$assumption,
       seed = cs$seed, B = B, q_arg = nn(cs$q), cutoff_arg = nn(cs$cutoff), PFER_arg = nn(cs$PFER),
       folds = apply(folds, 2, function(col) paste(as.integer(col), collapse = "")),
       names = colnames(d$x), n_fits = nf, max_count = unname(max_count), phat_count = unname(phat_count),
       selected = as.list(names(fit$selected)), cutoff = fit$cutoff, q = fit$q, PFER = fit$PFER,
       specifiedPFER = fit$specifiedPFER)
}
sim <- simulated()
doc <- list(generated_by = "r_scripts/stabs_reference.R", r_version = R.version.string,
            stabs_version = as.character(packageVersion("stabs")), glmnet_version = as.character(packageVersion("glmnet")),
            MASS_version = as.character(packageVersion("MASS")),
            simulated = list(x = unname(split(sim$x, col(sim$x))), names = colnames(sim$x), y = sim$y),
            cases = lapply(cases, run))
# the docs' stabs section (docs/inference.md) reads the subsamples of boston_SS_unimodal from the checkout:
# the file its R block writes (set.seed(2); subsample(rep(1, 506), B = 50)), stored so the Python block runs alone
bfolds <- local({ set.seed(cases$boston_SS_unimodal$seed); subsample(rep(1, nrow(MASS::Boston)), B = 50) })
write.csv(bfolds, file.path(dirname(here), "tests", "data", "stabs_boston_folds.csv"), row.names = FALSE)
tmp <- paste0(out, ".tmp")
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, matrix = "rowmajor", null = "null"), tmp)
invisible(file.rename(tmp, out))
cat("wrote", out, "\n")
