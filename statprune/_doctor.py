"""``statprune doctor``: what is installed, what works, and how to fix what does not."""

from __future__ import annotations

import importlib
from typing import Any

from ._provenance import blas_info, python_versions
from .errors import APT_R_LINE

__all__ = ["run_doctor"]

_REQUIRED_PY = ["numpy", "scipy", "pandas", "sklearn", "statsmodels", "formulaic", "rpy2"]


def run_doctor() -> dict[str, Any]:
    """Run every check; the dict has the versions at top level and a ``checks`` list.

    Keys: ``python``, ``statprune``, ``numpy``, ``sklearn``, ``statsmodels``, ``rpy2``,
    ``r``, ``glmnet``, ``blas`` (Python side), ``r_blas``, ``checks`` and ``ok``.
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

    from . import _r  # noqa: PLC0415
    from .errors import RNotAvailableError  # noqa: PLC0415

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
                         "fix": None if r_ok else "pip install 'rpy2>=3.5,<3.6' (after installing R)"}
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
    out["checks"] = checks
    out["ok"] = all(c["ok"] for c in checks if c.get("required", True))
    return out
