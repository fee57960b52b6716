#!/usr/bin/env Rscript
# Pure-R reference for statprune.pca: prcomp() on a CSV, JSON on stdout.
#
# Usage: Rscript r_scripts/prcomp_reference.R DATA.csv [EXCLUDE_COLS] [SCALE]
#   EXCLUDE_COLS  comma-separated columns to leave out (e.g. "medv"), or "" for none
#   SCALE         TRUE (default; prcomp(scale. = TRUE)) or FALSE
# Output: sdev, rotation (rows = features, columns = PC1..), x (scores), center,
# scale, summary importance, R version. Signs are R's own (not normalised).
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: prcomp_reference.R DATA.csv [EXCLUDE_COLS] [SCALE]")
path <- args[1]
exclude <- if (length(args) >= 2 && nzchar(args[2])) strsplit(args[2], ",", fixed = TRUE)[[1]] else character(0)
scale_ <- if (length(args) >= 3) as.logical(args[3]) else TRUE
df <- read.csv(path, check.names = FALSE)
df <- df[, setdiff(names(df), exclude), drop = FALSE]
x <- as.matrix(df)
p <- prcomp(x, center = TRUE, scale. = scale_)
imp <- summary(p)$importance
out <- list(
  sdev = p$sdev,
  rotation = unname(p$rotation),
  features = rownames(p$rotation),
  components = colnames(p$rotation),
  x = unname(p$x),
  center = unname(p$center),
  scale = if (isFALSE(p$scale)) NULL else unname(p$scale),
  proportion = unname(imp["Proportion of Variance", ]),
  cumulative = unname(imp["Cumulative Proportion", ]),
  r_version = R.version.string,
  scale_used = scale_
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, matrix = "rowmajor", null = "null"))
cat("\n")
