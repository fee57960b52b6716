# %% [markdown]
# # 2. A logistic model: stepwise selection (R's `step()`) compared with the Lasso
#
# Which predictors of diabetes in the Pima data (MASS's `Pima.tr` + `Pima.te`)
# does a logistic model need? Two classic answers:
#
# * **stepwise**: R's `step(glm(type ~ ., binomial, data))`, backward by AIC
#   (and by BIC with `k = log(n)`), reproduced by `statprune.stepwise` on
#   statsmodels with R's tie-breaking, stopping rule and AIC values;
# * **Lasso**: `cv.glmnet(x, y, family = "binomial")`, run in R by `GlmnetCV`.
#
# The twin `02_logistic_stepwise_vs_lasso.R` does the same in plain R; both print
# the same `RESULT` lines.
#
# Caveat: the p-values of a model refitted after selection are not valid
# p-values (the same data chose the model); compare the selections, not the
# p-values.
#
# Run: `.venv/bin/python vignettes/02_logistic_stepwise_vs_lasso.py`

# %%
import numpy as np

from statprune import GlmnetCV, datasets, stepwise


def result(name, value):
    """One machine-checkable line: RESULT name=value (10 significant digits)."""
    print(f"RESULT {name}={value:.10g}")


pima = datasets.load_pima()
features = [c for c in pima.columns if c != "type"]

# %% [markdown]
# ## Stepwise by AIC, then by BIC

# %%
by_aic = stepwise(pima, "type ~ .", family="binomial")
print(by_aic.summary())
result("aic_final", by_aic.aic)
result("aic_n_steps", len(by_aic.steps) - 1)
for name, value in by_aic.coefficients.items():
    result(f"aic_coef[{name}]", value)

by_bic = stepwise(pima, "type ~ .", family="binomial", criterion="bic")
result("bic_final", by_bic.aic)                      # R's step(k = log(n)) prints it in the AIC column
for name, value in by_bic.coefficients.items():
    result(f"bic_coef[{name}]", value)

# %% [markdown]
# ## The Lasso
#
# `seed=1` is R's `set.seed(1)` right before `cv.glmnet`.

# %%
lasso = GlmnetCV(family="binomial", seed=1).fit(pima[features], pima["type"])
res = lasso.result_
print(res.summary())
result("lasso_lambda_min", res.lambda_min)
result("lasso_lambda_1se", res.lambda_1se)
result("lasso_deviance_at_min", res.cvm[res.index_min - 1])
for name, value in res.coef("lambda.1se").items():
    result(f"lasso_coef_1se[{name}]", value)
for name, value in res.coef("lambda.min").items():
    result(f"lasso_coef_min[{name}]", value)

# %% [markdown]
# ## Side by side
#
# A 1 marks a predictor a method keeps. The stepwise models keep a predictor
# with its full (unpenalised) coefficient; the Lasso shrinks the ones it keeps.

# %%
kept_1se = set(res.coef("lambda.1se").drop("(Intercept)").pipe(lambda s: s[s != 0]).index)
kept_min = set(res.coef("lambda.min").drop("(Intercept)").pipe(lambda s: s[s != 0]).index)
print(f"{'feature':<8} {'step AIC':>8} {'step BIC':>8} {'lasso min':>9} {'lasso 1se':>9}")
for f in features:
    row = [f in by_aic.final_terms, f in by_bic.final_terms, f in kept_min, f in kept_1se]
    print(f"{f:<8} " + " ".join(f"{int(v):>8}" for v in row))
    result(f"kept[{f}]", int("".join(str(int(v)) for v in row), 2))   # 4-bit code: AIC BIC min 1se
result("n_agree_aic_lasso_min", sum((f in by_aic.final_terms) == (f in kept_min) for f in features))
