# %% [markdown]
# # 1. The Boston housing Lasso, in Python and in R, with identical numbers
#
# The seed example done right. An R colleague writes
#
# ```r
# set.seed(42)
# fit <- cv.glmnet(x, y)          # x: every column of MASS::Boston but medv
# coef(fit, s = "lambda.min")
# ```
#
# and the Python user gets *the same* lambda sequence, CV curve, `lambda.min`,
# `lambda.1se` and coefficients, because statprune runs R's own `cv.glmnet`
# (with R's `set.seed(42)` immediately before it, so the folds are R's folds).
# The twin `01_boston_lasso.R` prints the same `RESULT` lines from plain R;
# `tests/test_vignettes.py` runs both and compares them.
#
# Run: `.venv/bin/python vignettes/01_boston_lasso.py`

# %%
import numpy as np

from statprune import GlmnetCV, datasets


def result(name, value):
    """One machine-checkable line: RESULT name=value (10 significant digits)."""
    print(f"RESULT {name}={value:.10g}")


boston = datasets.load_boston()               # bit-exact copy of MASS::Boston
X = boston.drop(columns="medv")                # every other column, in file order
y = boston["medv"]

# %% [markdown]
# `seed=42` is R's `set.seed(42)` right before `cv.glmnet`: the fold ids are R's.

# %%
est = GlmnetCV(seed=42).fit(X, y)
res = est.result_
print(res.summary())

# %% [markdown]
# The key numbers. `cvsd` is glmnet's standard error of the CV mean (not a
# standard deviation across folds).

# %%
result("n_lambda", res.lambdas.size)
result("lambda_max", res.lambdas[0])
result("lambda_min", res.lambda_min)
result("lambda_1se", res.lambda_1se)
result("cvm_at_min", res.cvm[res.index_min - 1])
result("cvsd_at_min", res.cvsd[res.index_min - 1])
result("nzero_at_1se", res.nzero[res.index_1se - 1])
for name, value in res.coef("lambda.min").items():
    result(f"coef_min[{name}]", value)
for name, value in res.coef("lambda.1se").items():
    result(f"coef_1se[{name}]", value)

# %% [markdown]
# The fitted selector works like any scikit-learn transformer: it keeps the
# columns with a nonzero coefficient at `s` (here `lambda.min`).

# %%
print("kept:", list(est.get_feature_names_out()))
print("pruned:", res.pruned)
pred = est.predict(X.iloc[:3])
for i, v in enumerate(np.asarray(pred).ravel()):
    result(f"pred_{i + 1}", v)

# %% [markdown]
# The plots R users know (`plot(fit)`, `plot(fit$glmnet.fit, xvar = "lambda")`)
# are `CVPathDisplay` and `CoefPathDisplay`; `statprune report` puts them in an
# HTML report.

# %%
import matplotlib

matplotlib.use("Agg")
from statprune import CoefPathDisplay, CVPathDisplay  # noqa: E402

cv_plot = CVPathDisplay.from_result(res).plot()
path_plot = CoefPathDisplay.from_result(res, xvar="lambda", label=True).plot()
result("plot_points", len(cv_plot.points_.get_xdata()))
