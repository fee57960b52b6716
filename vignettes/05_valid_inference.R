# 5. Which Boston predictors really matter? The R twin of 05_valid_inference.py.
# Run: Rscript vignettes/05_valid_inference.R OUTDIR   (after the Python vignette wrote OUTDIR/folds.csv)
#
# Prints the same RESULT lines (10 significant digits) as the Python vignette:
#   1. lasso: set.seed(1); cv.glmnet(x, y, standardize = FALSE)            (glmnet)
#   2. selectiveInference::fixedLassoInf at n * lambda.min                 (live if installed)
#   3. knockoff::create.fixed(x, "equi") + stat.glmnet_lambdasmax, FDR 0.1  (live if installed)
#   4. stability selection: stabs' glmnet.lasso (glmnet(x, y, pmax = q) on each half-sample and
#      its complement; the half-samples are the ones the Python vignette drew, OUTDIR/folds.csv)
#   5. leaps::regsubsets(medv ~ ., nvmax = 8)                               (leaps)
# selectiveInference and knockoff are not Debian packages; where they are not installed (CI)
# parts 2 and 3 print the values stored in vignettes/05_reference.json, which
# r_scripts/vignette05_reference.R wrote with those packages (say so on stderr).
suppressPackageStartupMessages({ library(glmnet); library(MASS); library(leaps); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "."
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
ref <- fromJSON(file.path(here, "05_reference.json"))

result <- function(name, value) cat(sprintf("RESULT %s=%.10g\n", name, as.numeric(value)))

x <- scale(as.matrix(Boston[, setdiff(names(Boston), "medv")]))
y <- Boston$medv
n <- nrow(x)

# 1. lasso
set.seed(1)
cv <- cv.glmnet(x, y, standardize = FALSE)
result("lambda_min", cv$lambda.min)
result("n_selected_lasso", sum(coef(cv, s = "lambda.min")[-1] != 0))

# 2. selective p-values
if (requireNamespace("selectiveInference", quietly = TRUE)) {
  beta <- coef(cv, s = "lambda.min", exact = TRUE, x = x, y = y, standardize = FALSE)[-1]
  si <- selectiveInference::fixedLassoInf(x, y, beta, n * cv$lambda.min)
  sel <- list(terms = colnames(x)[si$vars], pv = si$pv, ci_lower = si$ci[, 1], ci_upper = si$ci[, 2],
              sigma = si$sigma)
} else {
  message("selectiveInference is not installed: printing its stored values (vignettes/05_reference.json)")
  sel <- ref$selective
}
result("sigma_hat", sel$sigma)
for (j in seq_along(sel$terms)) {
  result(sprintf("selective_p[%s]", sel$terms[j]), sel$pv[j])
  result(sprintf("selective_ci_lower[%s]", sel$terms[j]), sel$ci_lower[j])
  result(sprintf("selective_ci_upper[%s]", sel$terms[j]), sel$ci_upper[j])
}

# 3. knockoffs at FDR 0.1
if (requireNamespace("knockoff", quietly = TRUE)) {
  ko <- knockoff::create.fixed(x, method = "equi")
  set.seed(1)
  W <- knockoff::stat.glmnet_lambdasmax(ko$X, ko$Xk, y)
  t_plus <- knockoff::knockoff.threshold(W, fdr = 0.1, offset = 1)
  t0 <- knockoff::knockoff.threshold(W, fdr = 0.1, offset = 0)
} else {
  message("knockoff is not installed: printing its stored values (vignettes/05_reference.json)")
  W <- ref$knockoff$W
  t_plus <- ref$knockoff$threshold_plus
  t0 <- ref$knockoff$threshold
}
for (j in seq_len(ncol(x))) result(sprintf("knockoff_W[%s]", colnames(x)[j]), W[j])
result("knockoff_threshold_plus", t_plus)
result("knockoff_threshold", t0)
result("knockoff_n_selected_plus", sum(W >= t_plus))

# 4. stability selection on the Python vignette's half-samples and their complements
folds <- as.matrix(read.csv(file.path(outdir, "folds.csv"), header = FALSE))
folds <- cbind(folds, 1 - folds)
q <- 4
sel_mat <- sapply(seq_len(ncol(folds)), function(b) {
  inbag <- folds[, b] == 1
  fit <- suppressWarnings(glmnet(x[inbag, ], y[inbag], pmax = q))
  nz <- predict(fit, type = "nonzero")
  s <- logical(ncol(x)); s[nz[[length(nz)]]] <- TRUE
  s
})
prob <- rowMeans(sel_mat)
for (j in seq_len(ncol(x))) result(sprintf("stability_prob[%s]", colnames(x)[j]), prob[j])
result("stability_n_selected", sum(prob >= 0.75))

# 5. best subsets
bs <- summary(regsubsets(medv ~ ., data = data.frame(x, medv = y), nvmax = 8))
for (k in seq_along(bs$bic)) {
  result(sprintf("subset_bic[%d]", k), bs$bic[k])
  result(sprintf("subset_rss[%d]", k), bs$rss[k])
}
result("subset_best_bic_size", which.min(bs$bic))
