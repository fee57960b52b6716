"""Versions and environment recorded on every result (provenance) and shown by ``statprune doctor``."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import Any

__all__ = ["python_versions", "provenance", "blas_info"]

_PY_PACKAGES = {
    "numpy": "numpy",
    "scipy": "scipy",
    "pandas": "pandas",
    "sklearn": "scikit-learn",
    "statsmodels": "statsmodels",
    "rpy2": "rpy2",
    "formulaic": "formulaic",
    "dask": "dask",
}


def _dist_version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def python_versions() -> dict[str, str | None]:
    """Python and the versions of the Python packages statprune relies on (no imports)."""
    from . import __version__  # noqa: PLC0415

    out: dict[str, str | None] = {"python": platform.python_version(), "statprune": __version__}
    out.update({k: _dist_version(d) for k, d in _PY_PACKAGES.items()})
    return out


def blas_info() -> list[dict[str, Any]]:
    """The BLAS/OpenMP libraries loaded in this Python process (threadpoolctl)."""
    import numpy  # noqa: F401, PLC0415 - make sure numpy's BLAS is loaded
    from threadpoolctl import threadpool_info  # noqa: PLC0415

    return [
        {k: d.get(k) for k in ("internal_api", "version", "num_threads", "filepath", "user_api")}
        for d in threadpool_info()
    ]


def provenance(seed: int | None = None, *, with_r: bool = True) -> dict[str, Any]:
    """Everything needed to reproduce a number: versions of R, glmnet, rpy2, Python packages, seed.

    Examples
    --------
    >>> from statprune._provenance import provenance
    >>> p = provenance(seed=1, with_r=False)
    >>> p["seed"], "numpy_version" in p
    (1, True)
    """
    py = python_versions()
    out: dict[str, Any] = {f"{k}_version": v for k, v in py.items()}
    out["platform"] = platform.platform()
    out["seed"] = seed
    if with_r:
        from . import _r  # noqa: PLC0415

        rv = _r.r_versions()
        out["r_version"] = rv.get("r")
        out["glmnet_version"] = rv.get("glmnet")
        out["rpy2_version"] = rv.get("rpy2")
        out["r_blas"] = rv.get("blas")
    return out


def python_executable() -> str:
    return sys.executable
