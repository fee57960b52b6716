"""Versions and environment recorded on every result (provenance) and shown by ``statprune doctor``."""

from __future__ import annotations

import platform
from importlib import metadata
from typing import Any

from . import __version__

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
    out: dict[str, str | None] = {"python": platform.python_version(), "statprune": __version__}
    out.update({k: _dist_version(d) for k, d in _PY_PACKAGES.items()})
    return out


def blas_info() -> list[dict[str, Any]]:
    """The BLAS/OpenMP libraries loaded in this Python process (threadpoolctl)."""
    # deferred: `statprune --version` and `doctor` import this module without numpy; importing
    # numpy here is the point (its BLAS must be loaded for threadpoolctl to see it)
    import numpy  # noqa: F401, PLC0415
    from threadpoolctl import threadpool_info  # noqa: PLC0415 - deferred: threadpoolctl inspects the loaded BLAS when provenance is recorded

    return [
        {k: d.get(k) for k in ("internal_api", "version", "num_threads", "filepath", "user_api")}
        for d in threadpool_info()
    ]


def provenance(seed: int | None = None, *, with_r: bool = True, reference: str | None = None) -> dict[str, Any]:
    """Everything needed to reproduce a number: versions of R, glmnet, rpy2, Python packages, seed.

    Parameters
    ----------
    seed : int, optional
        The seed of the run (``None``: none was set).
    with_r : bool
        Also record R's, glmnet's and rpy2's versions and R's BLAS (starts R).
    reference : str, optional
        The R function (and package version) whose numbers the result reproduces,
        recorded as ``reference`` (e.g. ``"R knockoff 0.3.6 (knockoff.filter)"``).

    Examples
    --------
    >>> from statprune._provenance import provenance
    >>> p = provenance(seed=1, with_r=False, reference="R leaps 3.1 (regsubsets)")
    >>> p["seed"], "numpy_version" in p, p["reference"]
    (1, True, 'R leaps 3.1 (regsubsets)')
    """
    py = python_versions()
    out: dict[str, Any] = {f"{k}_version": v for k, v in py.items()}
    out["platform"] = platform.platform()
    out["seed"] = seed
    if with_r:
        from . import _r  # noqa: PLC0415 - _r imports numpy; `statprune --version` stays light

        rv = _r.r_versions()
        out["r_version"] = rv.get("r")
        out["glmnet_version"] = rv.get("glmnet")
        out["rpy2_version"] = rv.get("rpy2")
        out["r_blas"] = rv.get("blas")
    if reference is not None:
        out["reference"] = reference
    return out

