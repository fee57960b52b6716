# Time cv.glmnet(family = "gaussian") on data written by benchmarks/bench_glmnet.py.
# Pure R (no statprune bridge): an independent reference an R user can rerun.
#
# Usage: Rscript r_scripts/bench_cv_glmnet.R DIR N P [THRESH]
#   DIR holds x.bin (N*P float64, column-major), y.bin (N float64), foldid.bin (N int32),
#   all little-endian.  Prints JSON: seconds (cv.glmnet only), read_seconds, versions,
#   lambda, cvm, cvsd, lambda_min, lambda_1se, index_min, index_1se, coef_min (intercept first).
suppressPackageStartupMessages({
  library(glmnet)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- args[[1]]
n <- as.integer(args[[2]])
p <- as.integer(args[[3]])
thresh <- if (length(args) >= 4) as.numeric(args[[4]]) else 1e-7

t0 <- proc.time()[["elapsed"]]
x <- matrix(readBin(file.path(dir, "x.bin"), "double", n * p, size = 8, endian = "little"), n, p)
y <- readBin(file.path(dir, "y.bin"), "double", n, size = 8, endian = "little")
foldid <- readBin(file.path(dir, "foldid.bin"), "integer", n, size = 4, endian = "little")
read_seconds <- proc.time()[["elapsed"]] - t0

t0 <- proc.time()[["elapsed"]]
cv <- cv.glmnet(x, y, foldid = foldid, thresh = thresh)
seconds <- proc.time()[["elapsed"]] - t0

out <- list(
  seconds = seconds, read_seconds = read_seconds,
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  glmnet_version = as.character(packageVersion("glmnet")),
  lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd,
  lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se,
  index_min = cv$index[1], index_1se = cv$index[2],
  coef_min = as.numeric(as.matrix(coef(cv, s = "lambda.min")))
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE))
