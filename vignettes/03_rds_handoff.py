# %% [markdown]
# # 3. Loading an R colleague's `cv.glmnet` fit in Python
#
# An R colleague ran (see the twin `03_rds_handoff.R`)
#
# ```r
# set.seed(2024)
# cvfit <- cv.glmnet(x, y, family = "binomial", type.measure = "auc")
# saveRDS(cvfit, "pima_cvfit.rds")
# ```
#
# and sent you the `.rds` file. `GlmnetCV.from_rds` loads it into a fitted
# scikit-learn selector: same lambdas, same CV curve, same coefficients, and
# predictions that match R's `predict()` (including the interpolation between
# lambdas that `coef(..., exact = FALSE)` does). Nothing is refitted.
#
# Run: `.venv/bin/python vignettes/03_rds_handoff.py [OUTDIR]` (runs the R side
# first when the `.rds` is not there yet).

# %%
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from statprune import GlmnetCV, datasets


def result(name, value):
    """One machine-checkable line: RESULT name=value (10 significant digits)."""
    print(f"RESULT {name}={value:.10g}")


here = Path(__file__).resolve().parent
outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.gettempdir()) / "statprune-vignettes"
rds = outdir / "pima_cvfit.rds"
if not rds.exists():  # play the R colleague
    subprocess.run(["Rscript", str(here / "03_rds_handoff.R"), str(outdir)], check=True, stdout=subprocess.DEVNULL)

# %% [markdown]
# Load it. `s` is where the selection is read; R's `predict()` default for a
# `cv.glmnet` object is `s = "lambda.1se"`.

# %%
est = GlmnetCV.from_rds(rds, s="lambda.1se")
res = est.result_
print(res.summary())
result("lambda_min", res.lambda_min)
result("lambda_1se", res.lambda_1se)
result("auc_at_min", res.cvm[res.index_min - 1])
for name, value in res.coef("lambda.1se").items():
    result(f"coef_1se[{name}]", value)

# %% [markdown]
# Predict for the first five women of the same data (columns in the order R
# used: `npreg, glu, bp, skin, bmi, ped, age`).

# %%
pima = datasets.load_pima()
X = pima.drop(columns="type")
proba = est.predict_proba(X.iloc[:5])[:, 1]          # P(type == "Yes")
labels = est.predict(X.iloc[:5])
for i, v in enumerate(proba):
    result(f"prob_{i + 1}", v)
for i, v in enumerate(labels):
    result(f"is_yes_{i + 1}", float(v == "Yes"))
link = res.predict(X.iloc[:5].to_numpy(), s=0.01, type="link")
for i, v in enumerate(np.ravel(link)):
    result(f"link_s001_{i + 1}", v)

# %% [markdown]
# A check any reviewer can rerun: the probabilities are the logistic function of
# the linear predictor built from the printed coefficients.

# %%
cf = res.coef("lambda.1se")
eta = cf["(Intercept)"] + X.iloc[:5] @ cf.drop("(Intercept)")
assert np.allclose(1 / (1 + np.exp(-eta)), proba, rtol=1e-12)
print("probabilities recomputed from the coefficients: OK")
