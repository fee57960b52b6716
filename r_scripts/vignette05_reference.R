# Reference numbers of vignettes/05_valid_inference.{py,R} that need R packages Debian lacks
# (selectiveInference, knockoff): the R twin prints these when those packages are not installed
# (CI), and computes them live when they are. Writes vignettes/05_reference.json.
#
# Usage: R_LIBS=/path/to/rlib Rscript r_scripts/vignette05_reference.R [OUT.json]
suppressPackageStartupMessages({
  library(glmnet); library(MASS); library(jsonlite); library(selectiveInference); library(knockoff)
})
args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else "vignettes/05_reference.json"
x <- scale(as.matrix(Boston[, setdiff(names(Boston), "medv")])); y <- Boston$medv; n <- nrow(x)
set.seed(1)
cv <- cv.glmnet(x, y, standardize = FALSE)
beta <- coef(cv, s = "lambda.min", exact = TRUE, x = x, y = y, standardize = FALSE)[-1]
si <- fixedLassoInf(x, y, beta, n * cv$lambda.min)
ko <- create.fixed(x, method = "equi")
set.seed(1); swap <- rbinom(ncol(x), 1, 0.5)
set.seed(1); W <- stat.glmnet_lambdasmax(ko$X, ko$Xk, y)
out <- list(
  versions = list(r = R.version.string, selectiveInference = as.character(packageVersion("selectiveInference")),
                  knockoff = as.character(packageVersion("knockoff")), glmnet = as.character(packageVersion("glmnet"))),
  script = "r_scripts/vignette05_reference.R",
  lambda_min = cv$lambda.min,
  selective = list(terms = colnames(x)[si$vars], pv = si$pv, ci_lower = si$ci[, 1], ci_upper = si$ci[, 2],
                   sigma = si$sigma),
  knockoff = list(swap = swap, W = as.numeric(W),
                  threshold_plus = knockoff.threshold(W, fdr = 0.1, offset = 1),
                  threshold = knockoff.threshold(W, fdr = 0.1, offset = 0)))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "string"), out_path)
cat("wrote", out_path, "\n")
