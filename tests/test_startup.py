"""What a fresh process imports on the fast paths (issue 16, "Start-up"): checked in ``sys.modules``, never timed.

``GlmnetCV(engine="gram")`` fitted on numpy arrays needs neither scikit-learn (~1.7 s to
import, with scipy), scipy, pandas nor R; the estimator stays a scikit-learn estimator
(tests/test_lasso_sklearn.py), scikit-learn's code being imported only where scikit-learn or
a transform calls it. The times are measured in benchmarks/bench_fresh.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import ROOT

HEAVY = ("sklearn", "scipy", "pandas", "rpy2", "pyarrow", "numba")

_FIT = r"""
import json, sys
import numpy as np
from statprune.lasso import GlmnetCV
rng = np.random.default_rng(0)
X = rng.standard_normal((300, 6)); y = X[:, 0] - X[:, 1] + rng.standard_normal(300)
foldid = np.arange(300) % 5 + 1
est = GlmnetCV(engine="gram", foldid=foldid).fit(X, y)
out = {"engine": est.result_.provenance["engine"], "kept": est.get_support().tolist(), "n": est.n_features_in_,
       "names": est.get_feature_names_out().tolist(), "pred": est.predict(X[:2]).tolist(), "params": len(est.get_params())}
out["loaded"] = sorted(m for m in sys.modules if m.split(".")[0] in json.loads(sys.argv[1]))
print(json.dumps(out))
"""


def _run(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1",
                               "OPENBLAS_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_gram_fit_on_numpy_imports_no_sklearn_scipy_pandas_or_r():
    got = _run(_FIT, json.dumps(HEAVY))
    assert got["engine"] == "gram"
    assert got["loaded"] == [], got["loaded"]
    # the fit is a real one: the two informative columns are kept, the selector answers
    assert got["kept"][:2] == [True, True] and got["n"] == 6
    assert got["names"][:2] == ["x0", "x1"] and len(got["pred"]) == 2 and got["params"] == 34


def test_same_fit_with_sklearn_loaded_gives_the_same_numbers():
    # the fast validation path (numpy) and scikit-learn's validate_data give one estimator state
    import numpy as np

    from statprune.lasso import GlmnetCV

    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 6))
    y = X[:, 0] - X[:, 1] + rng.standard_normal(300)
    foldid = np.arange(300) % 5 + 1
    got = _run(_FIT, json.dumps(HEAVY))
    est = GlmnetCV(engine="gram", foldid=foldid).fit(X.tolist(), y)  # a list: scikit-learn's validate_data
    assert est.get_support().tolist() == got["kept"] and est.n_features_in_ == got["n"]
    np.testing.assert_allclose(est.predict(X[:2]), got["pred"], rtol=1e-12)
    assert not hasattr(est, "feature_names_in_")


@pytest.mark.parametrize("bad, match", [
    ("X[:, :5]", "X has 5 features, but GlmnetCV is expecting 6 features as input"),
    ("np.where(X > 2, np.nan, X)", "NaN"),
])
def test_predict_checks_keep_sklearn_messages(bad, match):
    import numpy as np

    from statprune.lasso import GlmnetCV

    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 6))
    est = GlmnetCV(engine="gram", foldid=np.arange(100) % 4 + 1).fit(X, X[:, 0] + rng.standard_normal(100))
    with pytest.raises(ValueError, match=match):
        est.predict(eval(bad))  # noqa: S307 - the two bad inputs above
