# 3. The R side of a hand-off: an R colleague fits cv.glmnet and saves it with saveRDS().
# Run: Rscript vignettes/03_rds_handoff.R [OUTDIR]
# Writes OUTDIR/pima_cvfit.rds (default OUTDIR: the system temp folder + /statprune-vignettes)
# and prints RESULT lines that the Python twin (03_rds_handoff.py) reproduces from the file.
suppressPackageStartupMessages({ library(glmnet); library(MASS) })

result <- function(name, value) cat(sprintf("RESULT %s=%.10g\n", name, as.numeric(value)))

args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else file.path(tempdir(), "..", "statprune-vignettes")
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

# Pima Indians diabetes (MASS::Pima.tr + Pima.te, as statprune.datasets.load_pima)
pima <- rbind(Pima.tr, Pima.te)
x <- as.matrix(pima[, setdiff(names(pima), "type")])
y <- pima$type                                   # factor No/Yes

set.seed(2024)
cvfit <- cv.glmnet(x, y, family = "binomial", type.measure = "auc")
saveRDS(cvfit, file.path(outdir, "pima_cvfit.rds"))
print(cvfit)

result("lambda_min", cvfit$lambda.min)
result("lambda_1se", cvfit$lambda.1se)
result("auc_at_min", cvfit$cvm[cvfit$index[1]])
cf <- as.matrix(coef(cvfit, s = "lambda.1se"))
for (j in seq_len(nrow(cf))) result(sprintf("coef_1se[%s]", rownames(cf)[j]), cf[j, 1])

# predictions for the first five women, at lambda.1se: probability of diabetes and class
p <- predict(cvfit, newx = x[1:5, ], s = "lambda.1se", type = "response")
cls <- predict(cvfit, newx = x[1:5, ], s = "lambda.1se", type = "class")
for (i in 1:5) result(sprintf("prob_%d", i), p[i, 1])
for (i in 1:5) result(sprintf("is_yes_%d", i), as.numeric(cls[i, 1] == "Yes"))
# predictions between two lambdas of the path are interpolated linearly (coef(..., exact = FALSE))
p_mid <- predict(cvfit, newx = x[1:5, ], s = 0.01)
for (i in 1:5) result(sprintf("link_s001_%d", i), p_mid[i, 1])
