# Pure-R reference for statprune's stability selection with the Lasso:
# stabs::stabsel(x, y, fitfun = glmnet.lasso, folds = folds, q = q, ...) re-implemented
# from stabs 0.7-1 (R/stabsel.R run_stabsel, R/fitfuns.R glmnet.lasso; GPL-2, Hofner &
# Hothorn), because stabs itself is not installable here (no CRAN). Only glmnet is used.
#
# Usage: Rscript stabsel_glmnet.R DATA.csv TARGET FOLDS.csv Q [SAMPLING=SS] [TYPE=conservative] [FAMILY=gaussian]
#   DATA.csv : predictors and the target column; FOLDS.csv: n x B 0/1 matrix (no header)
# Prints JSON: max (selection probabilities), phat (p x steps), n_fits, versions.
suppressPackageStartupMessages({library(glmnet); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
dat <- read.csv(args[1], check.names = FALSE)
target <- args[2]
folds <- as.matrix(read.csv(args[3], header = FALSE))
q <- as.numeric(args[4])
sampling <- if (length(args) >= 5) args[5] else "SS"
type <- if (length(args) >= 6) args[6] else "conservative"
family <- if (length(args) >= 7) args[7] else "gaussian"
y <- dat[[target]]
x <- as.matrix(dat[, setdiff(names(dat), target), drop = FALSE])
n <- nrow(x)
if (sampling == "SS") folds <- cbind(folds, rep(1, n) - folds)   # complementary pairs

fit_one <- function(inbag) {
  xx <- x[inbag, , drop = FALSE]; yy <- y[inbag]
  if (type == "conservative")
    fit <- suppressWarnings(glmnet(xx, yy, pmax = q, family = family))
  else
    fit <- glmnet(xx, yy, dfmax = q - 1, family = family)
  selected <- predict(fit, type = "nonzero")
  selected <- selected[[length(selected)]]
  ret <- logical(ncol(x)); ret[selected] <- TRUE
  list(selected = ret, path = as.matrix(fit$beta != 0))
}
res <- lapply(seq_len(ncol(folds)), function(i) fit_one(as.logical(folds[, i])))
paths <- lapply(res, function(r) r$path)
maxsteps <- max(sapply(paths, ncol))
paths <- lapply(paths, function(p) if (ncol(p) < maxsteps) cbind(p, p[, rep(ncol(p), maxsteps - ncol(p))]) else p)
phat <- Reduce(`+`, paths) / length(paths)
sel <- matrix(unlist(lapply(res, function(r) r$selected)), nrow = length(res), byrow = TRUE)
out <- list(max = colMeans(sel), phat = unname(phat), names = colnames(x), n_fits = length(res),
            r_version = R.version.string, glmnet_version = as.character(packageVersion("glmnet")))
cat(toJSON(out, digits = NA, auto_unbox = TRUE, matrix = "rowmajor"))
