"""``statprune doctor``: what is installed, what works, and how to fix what does not."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from ._provenance import blas_info, python_versions
from .errors import APT_R_LINE

__all__ = ["run_doctor", "FEATURES", "PIP_R_LINE", "PIP_KERAS_LINE"]

_REQUIRED_PY = ["numpy", "scipy", "pandas", "sklearn", "statsmodels", "formulaic", "rpy2"]

#: Installs the R-backed features need: R first (rpy2 builds against it), then the extra.
PIP_R_LINE = "pip install 'statprune[r]'"
PIP_KERAS_LINE = "pip install 'statprune[keras]'"

#: Every feature and what it needs beyond the core install (``pip install statprune``):
#: ``"r"`` (R, glmnet and the ``[r]`` extra) or ``"keras"`` (the ``[keras]`` extra).
FEATURES: list[tuple[str, str, tuple[str, ...]]] = [
    ("lasso", "statprune lasso / GlmnetCV (cv.glmnet in R)", ("r",)),
    ("lasso-gram", "statprune lasso --engine gram / GlmnetCV(engine='gram') (gaussian, binomial, poisson; R's folds in numpy)", ()),
    ("lasso-ooc", "statprune lasso-ooc / cv_glmnet_ooc (out of core, Dask)", ()),
    ("stepwise", "statprune stepwise / stepwise() (step(), drop1())", ()),
    ("importance", "statprune importance / ImportancePruner", ()),
    ("pca", "statprune pca / PCAPruner (prcomp)", ()),
    ("stability-sklearn", "statprune stability --engine sklearn / stabsel(engine='sklearn')", ()),
    ("stability-glmnet", "statprune stability (glmnet) / stabsel()", ("r",)),
    ("compare", "statprune compare / compare() (its Lasso column needs R)", ()),
    ("validate", "statprune validate / crosscheck() (R vs scikit-learn vs statsmodels)", ("r",)),
    ("report", "statprune report (its Lasso and cross-check sections need R)", ()),
    ("rds", "save_rds() / GlmnetCV.from_rds() (saveRDS/readRDS)", ("r",)),
    ("prune-nn", "statprune prune-nn / MagnitudePruner (TF-MOT)", ("keras",)),
]


def run_doctor(*, need_r: bool = False) -> dict[str, Any]:
    """Run every check; the dict has the versions at top level, a ``checks`` and a ``features`` list.

    Keys: ``python``, ``statprune``, ``numpy``, ``sklearn``, ``statsmodels``, ``rpy2``,
    ``r``, ``glmnet``, ``blas`` (Python side), ``r_blas``, ``checks``, ``features`` (each
    ``name``, ``what``, ``needs``, ``status``: "works", "needs R" or "needs the [keras]
    extra", and ``fix``: the install line) and ``ok``. R is optional: ``ok`` is False when a
    core package is missing, or (``need_r=True``) when R, glmnet or rpy2 do not work.
    """
    versions = python_versions()
    checks: list[dict[str, Any]] = []
    for mod in _REQUIRED_PY:
        ok, err = True, None
        if mod != "rpy2":  # rpy2 is checked by starting R below
            try:
                importlib.import_module(mod)
            except Exception as exc:  # pragma: no cover - depends on the machine
                ok, err = False, str(exc)
        checks.append(
            {
                "name": mod,
                "version": versions.get(mod),
                "ok": ok and versions.get(mod) is not None,
                "error": err,
                "fix": f"pip install {'scikit-learn' if mod == 'sklearn' else mod}" if not ok else None,
            }
        )
    out: dict[str, Any] = dict(versions)
    try:
        out["blas"] = blas_info()
    except Exception as exc:  # pragma: no cover
        out["blas"] = [{"error": str(exc)}]

    from . import _r  # noqa: PLC0415 - deferred: the doctor checks R only when asked
    from .errors import RNotAvailableError  # noqa: PLC0415 - deferred: the doctor checks R only when asked

    r_ok, r_err, rv = True, None, {}
    try:
        _r.start()
        rv = _r.r_versions()
    except RNotAvailableError as exc:
        r_ok, r_err = False, str(exc)
    out["r"] = rv.get("r")
    out["r_version_string"] = rv.get("r_version_string")
    out["rpy2"] = rv.get("rpy2") or versions.get("rpy2")
    out["glmnet"] = rv.get("glmnet")
    out["r_blas"] = rv.get("blas")
    out["r_lapack"] = rv.get("lapack")
    for i, c in enumerate(checks):
        if c["name"] == "rpy2":
            checks[i] = {**c, "ok": r_ok, "version": out["rpy2"], "error": r_err,
                         "fix": None if r_ok else f"{PIP_R_LINE} (after installing R: it builds rpy2 against it)"}
    checks.append({"name": "R", "version": out["r"], "ok": r_ok, "error": r_err, "fix": None if r_ok else APT_R_LINE})
    for pkg in ("glmnet", "MASS", "jsonlite", "survival", "randomForest"):
        have = bool(rv.get(pkg))
        checks.append(
            {
                "name": f"R:{pkg}",
                "version": rv.get(pkg) or None,
                "ok": have,
                "required": pkg in ("glmnet", "MASS", "jsonlite"),
                "error": None if have else "not installed",
                "fix": None if have else f"apt-get install -y --no-install-recommends {_r.apt_package(pkg)}",
            }
        )
    if not need_r:  # R is optional: its checks say what is missing without failing the installation
        for c in checks:
            if c["name"] in ("rpy2", "R") or c["name"].startswith("R:"):
                c["required"] = False
    out["checks"] = checks
    have_r = r_ok and bool(rv.get("glmnet"))
    # find_spec, not import: importing TensorFlow here would take seconds and print its banner
    have_keras = all(importlib.util.find_spec(m) is not None
                     for m in ("tensorflow", "tf_keras", "tensorflow_model_optimization"))
    r_fix = f"{APT_R_LINE}; then {PIP_R_LINE}"
    features = []
    for key, what, needs in FEATURES:
        missing = [n for n in needs if not (have_r if n == "r" else have_keras)]
        status = "works" if not missing else ("needs R" if missing[0] == "r" else f"needs the [{missing[0]}] extra")
        fix = None if not missing else (r_fix if missing[0] == "r" else PIP_KERAS_LINE)
        features.append({"name": key, "what": what, "needs": list(needs), "status": status, "fix": fix})
    out["features"] = features
    out["ok"] = all(c["ok"] for c in checks if c.get("required", True))
    return out
