# 2. Logistic model: step() compared with cv.glmnet, in plain R. Twin of 02_logistic_stepwise_vs_lasso.py.
# Run: Rscript vignettes/02_logistic_stepwise_vs_lasso.R
suppressPackageStartupMessages({ library(glmnet); library(MASS) })

result <- function(name, value) cat(sprintf("RESULT %s=%.10g\n", name, as.numeric(value)))

pima <- rbind(Pima.tr, Pima.te)
features <- setdiff(names(pima), "type")

by_aic <- step(glm(type ~ ., family = binomial, data = pima), trace = 0)
print(by_aic$anova)
result("aic_final", tail(by_aic$anova$AIC, 1))
result("aic_n_steps", nrow(by_aic$anova) - 1)
cf <- coef(by_aic)
for (j in seq_along(cf)) result(sprintf("aic_coef[%s]", names(cf)[j]), cf[j])

by_bic <- step(glm(type ~ ., family = binomial, data = pima), k = log(nrow(pima)), trace = 0)
result("bic_final", tail(by_bic$anova$AIC, 1))
cf <- coef(by_bic)
for (j in seq_along(cf)) result(sprintf("bic_coef[%s]", names(cf)[j]), cf[j])

x <- as.matrix(pima[, features])
set.seed(1)
fit <- cv.glmnet(x, pima$type, family = "binomial")
print(fit)
result("lasso_lambda_min", fit$lambda.min)
result("lasso_lambda_1se", fit$lambda.1se)
result("lasso_deviance_at_min", fit$cvm[fit$index[1]])
c1se <- as.matrix(coef(fit, s = "lambda.1se"))[, 1]
for (j in seq_along(c1se)) result(sprintf("lasso_coef_1se[%s]", names(c1se)[j]), c1se[j])
cmin <- as.matrix(coef(fit, s = "lambda.min"))[, 1]
for (j in seq_along(cmin)) result(sprintf("lasso_coef_min[%s]", names(cmin)[j]), cmin[j])

aic_terms <- attr(terms(by_aic), "term.labels")
bic_terms <- attr(terms(by_bic), "term.labels")
for (f in features) {
  row <- c(f %in% aic_terms, f %in% bic_terms, cmin[f] != 0, c1se[f] != 0)
  result(sprintf("kept[%s]", f), sum(row * c(8, 4, 2, 1)))
}
result("n_agree_aic_lasso_min", sum((features %in% aic_terms) == (cmin[features] != 0)))
