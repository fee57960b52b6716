# %% [markdown]
# # 5. Which Boston predictors really matter? Lasso, selective p-values, knockoffs, stability, best subsets
#
# One question, five answers, each the number R's defining package gives:
#
# 1. the cross-validated **lasso** (`glmnet`) picks a model;
# 2. **selective p-values** (`selectiveInference::fixedLassoInf`) test each picked
#    coefficient *given that the lasso picked it* (the refit p-values do not);
# 3. the **knockoff filter** (`knockoff`) selects with the false discovery rate at 0.1;
# 4. **stability selection** (`stabs`) keeps what the lasso picks on most half-samples;
# 5. **best subsets** (`leaps::regsubsets`) gives the best model of each size and BIC's choice.
#
# The twin `05_valid_inference.R` prints the same `RESULT` lines from plain R. R packages
# Debian lacks (selectiveInference, knockoff) cannot be installed where the tests run,
# so the twin computes those two parts live when the packages are installed and otherwise
# prints the values stored in `vignettes/05_reference.json`, written by
# `r_scripts/vignette05_reference.R` with those packages. The knockoff statistic swaps
# columns at random: both sides use the swap R drew with `set.seed(1)` (stored in the same
# file). Stability selection: this script writes its half-samples to `folds.csv`, the R
# twin refits glmnet on exactly those.
#
# Run: `.venv/bin/python vignettes/05_valid_inference.py [OUTDIR]`

# %%
import json
import sys
from pathlib import Path

import numpy as np

from statprune import GlmnetCV, datasets, fixed_lasso_inf, regsubsets
from statprune.knockoff import create_fixed, knockoff_threshold, stat_glmnet_lambdasmax
from statprune.stability import stabsel

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
ref = json.loads((Path(__file__).parent / "05_reference.json").read_text())


def result(name, value):
    """One machine-checkable line: RESULT name=value (10 significant digits)."""
    print(f"RESULT {name}={float(value):.10g}")


boston = datasets.load_boston()
X = boston.drop(columns="medv")
X = (X - X.mean()) / X.std(ddof=1)            # R's scale(x): the lasso penalizes every column alike
y = boston["medv"].to_numpy()
names = list(X.columns)

# %% [markdown]
# ## 1. The lasso: `set.seed(1); cv.glmnet(x, y, standardize = FALSE)`

# %%
est = GlmnetCV(standardize=False, seed=1).fit(X, y)
result("lambda_min", est.lambda_min_)
result("n_selected_lasso", est.support_.sum())

# %% [markdown]
# ## 2. Selective p-values at lambda.min
#
# `fixedLassoInf` works on the lasso written as `1/2 ||y - Xb||^2 + lambda ||b||_1`, so the
# lambda it gets is `n * lambda.min` and the coefficients `coef(fit, s = lambda.min, exact = TRUE)`;
# `fit=` does that conversion.

# %%
sel = fixed_lasso_inf(X, y, fit=est, s="lambda.min")
print(sel.summary())
result("sigma_hat", sel.sigma)
for row in sel.table.itertuples():
    result(f"selective_p[{row.term}]", row.p_value)
    result(f"selective_ci_lower[{row.term}]", row.ci_lower)
    result(f"selective_ci_upper[{row.term}]", row.ci_upper)

# %% [markdown]
# ## 3. Knockoffs at FDR 0.1
#
# Fixed-X equicorrelated knockoffs are deterministic (`create.fixed(x, method = "equi")`);
# the statistic is the lasso-path entry statistic `stat.glmnet_lambdasmax` with R's swap.

# %%
Xn, Xk = create_fixed(X.to_numpy(), "equi")
W = stat_glmnet_lambdasmax(Xn, Xk, y, swap=ref["knockoff"]["swap"])
t_plus = knockoff_threshold(W, fdr=0.1, offset=1)
t0 = knockoff_threshold(W, fdr=0.1, offset=0)
for name, w in zip(names, W):
    result(f"knockoff_W[{name}]", w)
result("knockoff_threshold_plus", t_plus)
result("knockoff_threshold", t0)
result("knockoff_n_selected_plus", np.sum(W >= t_plus))
print("knockoff+ selects:", [n for n, w in zip(names, W) if w >= t_plus])

# %% [markdown]
# ## 4. Stability selection: q = 4 variables per half-sample, cutoff 0.75, complementary pairs

# %%
st = stabsel(X, y, q=4, cutoff=0.75, B=25, seed=1)
np.savetxt(out / "folds.csv", st.folds, fmt="%d", delimiter=",")  # the 25 halves; R adds their complements
for name in names:
    result(f"stability_prob[{name}]", st.max[name])
result("stability_n_selected", len(st.selected))

# %% [markdown]
# ## 5. Best subsets: `leaps::regsubsets(medv ~ ., nvmax = 8)`

# %%
bs = regsubsets(X.assign(medv=y), "medv", nvmax=8)
for size, r in bs.sizes.iterrows():
    result(f"subset_bic[{size}]", r["bic"])
    result(f"subset_rss[{size}]", r["rss"])
result("subset_best_bic_size", len(bs.best["bic"]))
print("BIC's subset:", bs.best["bic"])
