# 1. The Boston housing Lasso in plain R: the twin of 01_boston_lasso.py.
# Run: Rscript vignettes/01_boston_lasso.R
# Prints the same RESULT lines (10 significant digits) as the Python vignette.
suppressPackageStartupMessages({ library(glmnet); library(MASS) })

result <- function(name, value) cat(sprintf("RESULT %s=%.10g\n", name, as.numeric(value)))

x <- as.matrix(Boston[, setdiff(names(Boston), "medv")])
y <- Boston$medv

set.seed(42)
fit <- cv.glmnet(x, y)
print(fit)

i_min <- which(fit$lambda == fit$lambda.min)
i_1se <- which(fit$lambda == fit$lambda.1se)
result("n_lambda", length(fit$lambda))
result("lambda_max", fit$lambda[1])
result("lambda_min", fit$lambda.min)
result("lambda_1se", fit$lambda.1se)
result("cvm_at_min", fit$cvm[i_min])
result("cvsd_at_min", fit$cvsd[i_min])
result("nzero_at_1se", fit$nzero[i_1se])
cf <- as.matrix(coef(fit, s = "lambda.min"))
for (j in seq_len(nrow(cf))) result(sprintf("coef_min[%s]", rownames(cf)[j]), cf[j, 1])
cf <- as.matrix(coef(fit, s = "lambda.1se"))
for (j in seq_len(nrow(cf))) result(sprintf("coef_1se[%s]", rownames(cf)[j]), cf[j, 1])

pred <- predict(fit, newx = x[1:3, ], s = "lambda.min")
for (i in 1:3) result(sprintf("pred_%d", i), pred[i, 1])
result("plot_points", length(fit$lambda))
