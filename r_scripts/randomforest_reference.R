#!/usr/bin/env Rscript
# Pure-R reference for statprune.importance: randomForest importances on a CSV, JSON on stdout.
#
# Usage: Rscript r_scripts/randomforest_reference.R DATA.csv TARGET [SEED] [NTREE] [EXCLUDE_COLS]
#   A non-numeric target (or one with two distinct values) is a classification
#   forest (factor response); otherwise regression. mtry is randomForest's default
#   (floor(p/3) for regression, floor(sqrt(p)) for classification).
# Output: permutation importance (type = 1: %IncMSE / MeanDecreaseAccuracy, OOB,
# unscaled and scaled by its SD as importance() does by default) and impurity
# importance (type = 2: IncNodePurity / MeanDecreaseGini), with versions and seed.
suppressPackageStartupMessages({library(jsonlite); library(randomForest)})
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: randomforest_reference.R DATA.csv TARGET [SEED] [NTREE] [EXCLUDE_COLS]")
path <- args[1]; target <- args[2]
seed <- if (length(args) >= 3) as.integer(args[3]) else 1L
ntree <- if (length(args) >= 4) as.integer(args[4]) else 500L
exclude <- if (length(args) >= 5 && nzchar(args[5])) strsplit(args[5], ",", fixed = TRUE)[[1]] else character(0)
df <- read.csv(path, check.names = FALSE)
y <- df[[target]]
x <- df[, setdiff(names(df), c(target, exclude)), drop = FALSE]
classification <- !is.numeric(y) || length(unique(y)) == 2
if (classification) y <- factor(y)
set.seed(seed)
fit <- randomForest(x = x, y = y, ntree = ntree, importance = TRUE)
perm_raw <- importance(fit, type = 1, scale = FALSE)[, 1]
perm_scaled <- importance(fit, type = 1, scale = TRUE)[, 1]
impurity <- importance(fit, type = 2)[, 1]
out <- list(
  features = names(x),
  task = if (classification) "classification" else "regression",
  permutation = unname(perm_raw),
  permutation_scaled = unname(perm_scaled),
  impurity = unname(impurity),
  permutation_name = colnames(importance(fit, type = 1)),
  impurity_name = colnames(importance(fit, type = 2)),
  mtry = fit$mtry,
  ntree = ntree,
  seed = seed,
  r_version = R.version.string,
  randomForest_version = as.character(packageVersion("randomForest"))
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE))
cat("\n")
