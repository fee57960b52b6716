#!/usr/bin/env Rscript
# Regenerates the stored expected values for statprune's glmnet parity tests:
#   tests/data/glmnet_*.csv          the data sets (deterministic; seeds below)
#   tests/expected/glmnet_cases.json the cases (arguments of r_scripts/cv_glmnet.R)
#   tests/expected/glmnet_<case>.json the output of r_scripts/cv_glmnet.R for each case,
#                                     with R and glmnet versions and the seed recorded
# Run from the repository root:  Rscript r_scripts/make_expected_glmnet.R

suppressPackageStartupMessages({
  library(glmnet)
  library(jsonlite)
  library(MASS)
})

self <- sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))
root <- normalizePath(file.path(dirname(self), ".."))
data_dir <- file.path(root, "tests", "data")
exp_dir <- file.path(root, "tests", "expected")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(exp_dir, showWarnings = FALSE, recursive = TRUE)

write_csv <- function(df, name) {
  path <- file.path(data_dir, name)
  tmp <- paste0(path, ".tmp")
  write.csv(df, tmp, row.names = FALSE)
  invisible(file.rename(tmp, path))
}

# ---- data sets --------------------------------------------------------------
DATA_SEED <- 20241125L
b <- MASS::Boston
b$fold <- rep(1:5, length.out = nrow(b))             # a fixed fold assignment
b$w <- 1 + (seq_len(nrow(b)) %% 3)                  # case weights 1, 2, 3, ...
write_csv(b, "glmnet_boston_fw.csv")

bw <- MASS::birthwt[, c("age", "lwt", "race", "smoke", "ptl", "ht", "ui", "ftv")]
write_csv(bw, "glmnet_birthwt_ftv.csv")

set.seed(DATA_SEED)
n <- 150; p <- 6
X <- matrix(round(rnorm(n * p), 6), n, p, dimnames = list(NULL, paste0("x", 1:p)))
eta <- cbind(0, 1.2 * X[, 1] - 0.8 * X[, 2], -1 * X[, 1] + 0.9 * X[, 3])
pr <- exp(eta) / rowSums(exp(eta))
cls <- apply(pr, 1, function(q) sample(c("a", "b", "c"), 1, prob = q))
write_csv(data.frame(X, class = cls), "glmnet_multi.csv")

set.seed(DATA_SEED + 1L)
Xc <- matrix(round(rnorm(n * p), 6), n, p, dimnames = list(NULL, paste0("z", 1:p)))
tt <- round(rexp(n, rate = exp(0.9 * Xc[, 1] - 0.6 * Xc[, 2])), 6) + 1e-3
st <- as.integer(runif(n) < 0.75)
write_csv(data.frame(Xc, time = tt, status = st), "glmnet_cox.csv")

pm <- read.csv(file.path(root, "statprune", "data", "pima.csv"))
pm$fold <- rep(1:4, length.out = nrow(pm))
write_csv(pm, "glmnet_pima_fold.csv")
cx <- read.csv(file.path(data_dir, "glmnet_cox.csv"))
cx$fold <- rep(1:5, length.out = nrow(cx))
write_csv(cx, "glmnet_cox_fold.csv")

# ---- cases: arguments of r_scripts/cv_glmnet.R ----------------------------
boston <- file.path("statprune", "data", "boston.csv")
pima <- file.path("statprune", "data", "pima.csv")
fw <- file.path("tests", "data", "glmnet_boston_fw.csv")
cases <- list(
  gaussian_seed = list(data = boston, args = c("--target", "medv", "--seed", "42")),
  enet_foldid = list(data = fw, args = c("--target", "medv", "--alpha", "0.5", "--foldid-column", "fold",
                                         "--weights-column", "w")),
  gaussian_weights = list(data = fw, args = c("--target", "medv", "--seed", "7", "--weights-column", "w",
                                              "--foldid-column", "fold", "--type-measure", "mae")),
  gaussian_penalty = list(data = boston, args = c("--target", "medv", "--seed", "3",
                                                   "--penalty-factor", "lstat=0,rm=0.5,crim=2", "--exclude", "age",
                                                   "--s", "lambda.1se")),
  binomial_seed = list(data = pima, args = c("--target", "type", "--family", "binomial", "--seed", "1")),
  binomial_foldid_auc = list(data = file.path("tests", "data", "glmnet_pima_fold.csv"),
                             args = c("--target", "type", "--family", "binomial", "--foldid-column", "fold",
                                      "--type-measure", "auc", "--alpha", "0.5")),
  cox_foldid_C = list(data = file.path("tests", "data", "glmnet_cox_fold.csv"),
                      args = c("--target", "time,status", "--family", "cox", "--foldid-column", "fold",
                               "--type-measure", "C")),
  poisson_seed = list(data = file.path("tests", "data", "glmnet_birthwt_ftv.csv"),
                      args = c("--target", "ftv", "--family", "poisson", "--seed", "11")),
  multinomial_seed = list(data = file.path("tests", "data", "glmnet_multi.csv"),
                          args = c("--target", "class", "--family", "multinomial", "--seed", "5", "--nfolds", "5")),
  multinomial_grouped = list(data = file.path("tests", "data", "glmnet_multi.csv"),
                             args = c("--target", "class", "--family", "multinomial", "--seed", "5",
                                      "--nfolds", "5", "--type-multinomial", "grouped", "--nlambda", "40")),
  mgaussian_seed = list(data = boston, args = c("--target", "medv,crim", "--family", "mgaussian", "--seed", "13",
                                                 "--alpha", "0.8", "--nfolds", "5")),
  cox_seed = list(data = file.path("tests", "data", "glmnet_cox.csv"),
                  args = c("--target", "time,status", "--family", "cox", "--seed", "9", "--nfolds", "5"))
)

ref <- file.path(root, "r_scripts", "cv_glmnet.R")
rscript <- file.path(R.home("bin"), "Rscript")
old <- setwd(root)
for (nm in names(cases)) {
  cs <- cases[[nm]]
  out <- system2(rscript, c(ref, cs$data, cs$args), stdout = TRUE)
  res <- fromJSON(paste(out, collapse = "\n"), simplifyVector = FALSE)
  res$case <- nm
  res$data <- cs$data
  res$args <- cs$args
  res$generated_by <- "r_scripts/make_expected_glmnet.R"
  res$data_seed <- DATA_SEED
  res$r_version_string <- R.version.string
  writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE),
             file.path(exp_dir, paste0("glmnet_", nm, ".json")))
  cat("wrote", nm, "\n")
}
setwd(old)
writeLines(toJSON(lapply(cases, function(cs) list(data = cs$data, args = cs$args)),
                  auto_unbox = FALSE, pretty = TRUE),
           file.path(exp_dir, "glmnet_cases.json"))
