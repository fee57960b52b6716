# Time cv.glmnet for one family on data written by benchmarks/bench_fresh.py, in a fresh Rscript.
# Pure R (no statprune bridge): an independent reference an R user can rerun.
#
# Usage: Rscript r_scripts/bench_cv_glmnet_family.R DIR N P FAMILY THRESH
#   DIR holds x.bin (N*P float64, column-major), y.bin (N float64), foldid.bin (N int32),
#   little-endian.  Prints JSON: seconds and cpu_seconds (cv.glmnet only), load_seconds (library(glmnet)),
#   read_seconds, versions, lambda, cvm, lambda_min, lambda_1se, index_min, index_1se,
#   coef_min (intercept first; multinomial: class by class).
t_start <- proc.time()[["elapsed"]]
suppressPackageStartupMessages({
  library(glmnet)
  library(jsonlite)
})
load_seconds <- proc.time()[["elapsed"]] - t_start
args <- commandArgs(trailingOnly = TRUE)
dir <- args[[1]]
n <- as.integer(args[[2]])
p <- as.integer(args[[3]])
family <- args[[4]]
thresh <- as.numeric(args[[5]])

t0 <- proc.time()[["elapsed"]]
x <- matrix(readBin(file.path(dir, "x.bin"), "double", n * p, size = 8, endian = "little"), n, p)
y <- readBin(file.path(dir, "y.bin"), "double", n, size = 8, endian = "little")
foldid <- readBin(file.path(dir, "foldid.bin"), "integer", n, size = 4, endian = "little")
read_seconds <- proc.time()[["elapsed"]] - t0

t0 <- proc.time()
cv <- cv.glmnet(x, y, family = family, foldid = foldid, thresh = thresh)
dt <- proc.time() - t0
seconds <- dt[["elapsed"]]
cpu_seconds <- dt[["user.self"]] + dt[["sys.self"]]

cf <- coef(cv, s = "lambda.min")
# multinomial: one coefficient matrix per class, stacked class by class (intercept first in each)
coef_min <- if (is.list(cf)) unlist(lapply(cf, function(m) as.numeric(as.matrix(m)))) else as.numeric(as.matrix(cf))

out <- list(
  seconds = seconds, cpu_seconds = cpu_seconds, load_seconds = load_seconds, read_seconds = read_seconds,
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  glmnet_version = as.character(packageVersion("glmnet")),
  lambda = cv$lambda, cvm = cv$cvm,
  lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se,
  index_min = cv$index[1], index_1se = cv$index[2],
  coef_min = coef_min
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE))
