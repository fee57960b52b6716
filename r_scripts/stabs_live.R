# stabs::stabsel (fitfun = glmnet.lasso) on a CSV after set.seed(SEED), with stabs' own default subsamples,
# for the live comparison in tests/test_stability.py (runs only where stabs is installed; see
# r_scripts/stabs_reference.R).
#   Rscript r_scripts/stabs_live.R DATA.csv TARGET SAMPLING ASSUMPTION Q PFER SEED B
# Prints JSON: the subsamples (stabs::subsample after set.seed(SEED), one 0/1 string each), max_count (max * n_fits), selected,
# cutoff, q, PFER, and the versions.
suppressPackageStartupMessages({library(stabs); library(glmnet); library(jsonlite)})
a <- commandArgs(trailingOnly = TRUE)
d <- read.csv(a[1], check.names = FALSE)
x <- as.matrix(d[, setdiff(names(d), a[2]), drop = FALSE]); y <- d[[a[2]]]
seed <- as.integer(a[7]); B <- as.integer(a[8])
set.seed(seed)
folds <- subsample(rep(1, nrow(x)), B = B)
set.seed(seed)
fit <- suppressWarnings(stabsel(x, y, fitfun = glmnet.lasso, q = as.numeric(a[5]), PFER = as.numeric(a[6]),
                                sampling.type = a[3], assumption = a[4], B = B, papply = lapply))
nf <- if (a[3] == "SS") 2 * B else B
cnt <- round(fit$max * nf)
stopifnot(all(fit$max == cnt / nf))
cat(toJSON(list(folds = apply(folds, 2, function(col) paste(as.integer(col), collapse = "")), n_fits = nf, max_count = cnt,
                selected = as.list(names(fit$selected)), cutoff = fit$cutoff, q = fit$q, PFER = fit$PFER,
                stabs_version = as.character(packageVersion("stabs")), r_version = R.version.string),
           auto_unbox = TRUE, digits = NA))
