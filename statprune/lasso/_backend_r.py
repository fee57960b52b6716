"""The lasso's R backend: the only caller of the bridge's glmnet functions (``r_scripts/bridge/glmnet.R``).

It also runs stability selection's base learner, ``stabs::glmnet.lasso`` on each subsample
(``r_scripts/bridge/stability.R``, :func:`subsample_lasso_paths`) and the glmnet fits behind
knockoff's statistics (``r_scripts/bridge/knockoff.R``, :func:`knockoff_cv_coef`,
:func:`knockoff_entry_lambda`) and of the crosscheck (``r_scripts/bridge/crosscheck.R``), so glmnet is reached from this module only.

Every ``spg_*`` function of the bridge is reached through one function here, so the rest of
:mod:`statprune.lasso` never names an R function. Arguments reach R as values (never pasted
code); R runs behind :mod:`statprune._r`'s single lock, and R's warnings come back as
statprune's warning classes (:func:`cv_fit`).

The R objects these functions take and return (``fit``) are :class:`statprune._r.RObject`
handles of a ``cv.glmnet`` (or ``glmnet``) object living in R.
"""

from __future__ import annotations

import gzip
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .. import _r
from .._estimator import is_sparse
from .._json import write_atomic
from .._rds_check import checked_rds_bytes
from ..errors import ConvergenceWarning, DataError, PerfectSeparationWarning, SelectionWarning

__all__ = [
    "assess",
    "crosscheck_cv_fixed",
    "crosscheck_fold_fits",
    "crosscheck_glmnet_fit",
    "call_text",
    "coef_exact",
    "coef_interp",
    "confusion",
    "cv_fit",
    "from_bytes",
    "knockoff_cv_coef",
    "knockoff_entry_lambda",
    "r_linkinv",
    "read_rds",
    "roc",
    "subsample_lasso_paths",
    "to_bytes",
    "write_rds",
    "x_for_r",
]

_SCRIPT = "glmnet"


def x_for_r(X: Any) -> Any:
    """A dense matrix as is; a scipy.sparse matrix as its CSC parts, which the bridge
    (``spg_x``) turns into a ``dgCMatrix`` without densifying."""
    if not is_sparse(X):
        return X
    c = X.tocsc()
    c.sort_indices()
    return {"spg.sparse": True, "i": c.indices.astype(np.int32), "p": c.indptr.astype(np.int32),
            "x": c.data.astype(np.float64), "dim": np.asarray(c.shape, dtype=np.int32)}


def _opt_array(v: Any) -> np.ndarray | None:
    return None if v is None else np.asarray(v, dtype=float)


# --------------------------------------------------------------------------- fitting
_FOLD_LINE = re.compile(r"Fold: (\d+)/(\d+)")


def fold_progress(progress: Callable[[int, int], None], total: int) -> Callable[[str], None]:
    r"""A console sink for cv.glmnet's ``trace.it = 1`` output: ``progress(done, total)`` per fit started.

    "Training" (the full-data fit) gives ``done = 0``, "Fold: k/K" ``done = k`` (the full fit and
    ``k - 1`` folds are finished); the per-lambda text bars in between are dropped.

    Examples
    --------
    >>> seen = []
    >>> sink = fold_progress(lambda d, t: seen.append((d, t)), 4)
    >>> for text in ["Training\n", "\r  |===   |  40%", "Fold: 1/3\n", "Fold: 2/3\n"]:
    ...     sink(text)
    >>> seen
    [(0, 4), (1, 4), (2, 4)]
    """
    pending = [""]

    def sink(text: str) -> None:
        pending[0] += text
        *lines, pending[0] = pending[0].split("\n")
        for line in lines:
            m = _FOLD_LINE.search(line)
            if m:
                progress(int(m.group(1)), total)
            elif line.strip().endswith("Training"):
                progress(0, total)

    return sink


def cv_fit(X: Any, y: Any, opts: Mapping[str, Any], *, family: str, weights: np.ndarray | None,
           offset: np.ndarray | None, foldid: np.ndarray | None, seed: int | None, nfolds: int,
           feature_names: Sequence[str], ynames: Sequence[str] | None = None, strata: Any = None,
           exclude_table: Sequence[np.ndarray] | None = None,
           progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """``set.seed(seed); cv.glmnet(x, y, ...)`` in R: the ``CVGlmnetOutput`` of the fit, ``fit`` included.

    ``progress(done, total)``: called as cv.glmnet starts the full fit and each fold (its
    ``trace.it = 1`` lines, read from R's console; the fit is the same), ``total = nfolds + 1``.

    ``opts`` are cv.glmnet's options in R's names (:func:`statprune._glmnet.params.r_options`).
    Without ``foldid``, cv.glmnet draws the folds itself after ``set.seed(seed)``; the folds
    used come back as ``foldid``. ``exclude_table`` (glmnet 4.1's ``exclude`` function): the
    excluded 1-based columns on the full data, then on each fold's training rows. R's warnings
    are re-issued once each, as statprune's warning classes (:func:`_reissue`).
    """
    _r.require_r_packages("glmnet", *(("survival",) if family == "cox" else ()))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        total = (int(np.max(foldid)) if foldid is not None else int(nfolds)) + 1
        console = None if progress is None else fold_progress(progress, total)
        out = _r.call(_SCRIPT, "spg_cv_fit", x_for_r(X), y, dict(opts), weights=weights, offset=offset,
                      foldid=foldid, seed=None if seed is None else int(seed), nfolds=int(nfolds),
                      dimnames_x=list(feature_names), ynames=ynames, strata=strata,
                      exclude_table=None if exclude_table is None else {f"fold{k}": v for k, v in enumerate(exclude_table)},
                      trace=progress is not None, _context="cv.glmnet", _console=console)
        if progress is not None:
            progress(total, total)
    seen: set[str] = set()
    for wmsg in caught:
        if str(wmsg.message) not in seen:
            seen.add(str(wmsg.message))
            _reissue(wmsg, family)
    return out


def call_text(fit: Any) -> str:
    """The fit's ``call`` as an R user reads it (``deparse(fit$call)``)."""
    return str(_r.call(_SCRIPT, "spg_call_text", fit))


# --------------------------------------------------------------------------- reading a fit
def _coef_matrix(res: Any) -> np.ndarray:
    if isinstance(res, (dict, list)):
        mats = list(res.values()) if isinstance(res, dict) else res
        return np.stack([np.asarray(m, float).reshape(-1) for m in mats])  # (K, 1+p)
    return np.asarray(res, float).reshape(-1)


def coef_interp(fit: Any, lam: float, gamma: float | None = None) -> np.ndarray:
    """R's ``coef(fit, s = lam)`` (``gamma``: ``coef.cv.relaxed``): (1+p,) or (K, 1+p), intercept first."""
    return _coef_matrix(_r.call(_SCRIPT, "spg_lambda_interp_coef", fit, float(lam), gamma=gamma))


def coef_exact(fit: Any, lam: float, data: Mapping[str, Any], feature_names: Sequence[str]) -> np.ndarray:
    """R's ``coef(fit, s = lam, exact = TRUE, x = , y = , ...)``: glmnet refitted with ``lam`` in the sequence.

    ``data`` holds what the fit was made from: ``X`` (as :func:`x_for_r` gives it), ``y``,
    ``opts`` and optionally ``weights``, ``offset``, ``ynames``, ``strata``.
    """
    d = data
    res = _r.call(_SCRIPT, "spg_coef_exact", fit, float(lam), d["X"], d["y"], d["opts"],
                  weights=d.get("weights"), offset=d.get("offset"), dimnames_x=list(feature_names),
                  ynames=d.get("ynames"), strata=d.get("strata"), _context="coef(exact=TRUE)")
    return _coef_matrix(res)


def r_linkinv(fit: Any, eta: np.ndarray) -> np.ndarray:
    """``family$linkinv(eta)`` of a family-object fit, computed by R (links statprune does not invert)."""
    e = np.asarray(eta, dtype=float)
    return np.asarray(_r.call(_SCRIPT, "spg_linkinv", fit, e.reshape(-1)), float).reshape(e.shape)


def assess(fit: Any, X: Any, y: Any, family: str, lam: float, *, weights: Any = None,
           offset: Any = None) -> dict[str, dict[str, Any]]:
    """R's ``assess.glmnet(fit, newx, newy, s = lam)``: ``{code: {"value": v, "name": R's label}}``."""
    res = _r.call(_SCRIPT, "spg_assess", fit, x_for_r(X), y, family, float(lam), weights=_opt_array(weights),
                  newoffset=_opt_array(offset), _context="assess.glmnet")
    return {k: {"value": float(np.asarray(v["value"]).reshape(-1)[0]), "name": v["name"]} for k, v in res.items()}


def roc(fit: Any, y: Any, *, index: int | None = None, X: Any = None, lam: float | None = None) -> dict[str, np.ndarray]:
    """R's ``roc.glmnet``: on the prevalidated fits at the 1-based ``index``, or on new data ``X`` at ``lam``."""
    if X is None:
        res = _r.call(_SCRIPT, "spg_roc", fit, index=int(index), newy=y, _context="roc.glmnet")
    else:
        res = _r.call(_SCRIPT, "spg_roc", fit, newy=y, newx=x_for_r(X), s=float(lam), _context="roc.glmnet")
    return {"FPR": np.asarray(res["FPR"], float).reshape(-1), "TPR": np.asarray(res["TPR"], float).reshape(-1)}


def confusion(fit: Any, X: Any, y: Any, lam: float, *, offset: Any = None) -> tuple[np.ndarray, list[str], list[str]]:
    """R's ``confusion.glmnet``: (table, predicted labels (rows), true labels (columns))."""
    res = _r.call(_SCRIPT, "spg_confusion", fit, x_for_r(X), y, float(lam), newoffset=_opt_array(offset),
                  _context="confusion.glmnet")
    pred = [str(v) for v in np.atleast_1d(res["predicted"])]
    true = [str(v) for v in np.atleast_1d(res["true"])]
    tab = np.asarray(res["table"], dtype=float).astype(int).reshape(len(pred), len(true))
    return tab, pred, true


# --------------------------------------------------------------------------- serialization
def to_bytes(fit: Any) -> bytes:
    """The fit as R's ``serialize()`` bytes (pickle support)."""
    return np.asarray(_r.call(_SCRIPT, "spg_serialize", fit), dtype=np.uint8).tobytes()


def from_bytes(raw: bytes) -> Any:
    """The fit back from :func:`to_bytes`."""
    return _r.call(_SCRIPT, "spg_unserialize", np.frombuffer(raw, dtype=np.uint8).astype(np.int32), _convert=False)


def subsample_lasso_paths(x: np.ndarray, y: np.ndarray, folds: np.ndarray, q: int,
                          opts: Mapping[str, Any]) -> list[np.ndarray | str]:
    """``stabs::glmnet.lasso`` on each subsample (0/1 column of ``folds``): the 0/1 nonzero path per subsample.

    ``r_scripts/bridge/stability.R``: ``glmnet(x, y, pmax = q)`` (``opts["type"] ==
    "conservative"``) or ``glmnet(x, y, dfmax = q - 1)``, the other glmnet arguments from
    ``opts``. Each entry is the path (variables x lambda steps, int8) or, for a subsample
    glmnet refused, R's error message (stabs drops that fit with a warning).
    """
    _r.require_r_packages("glmnet")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stabs silences glmnet's pmax warnings too
        res = _r.call("stability", "sps_glmnet_lasso_many", np.asfortranarray(x, dtype=np.float64), y,
                      np.ascontiguousarray(folds, dtype=np.float64), int(q),
                      {k: v for k, v in opts.items() if v is not None})
    return [r if isinstance(r, str) else np.asarray(r["path"], dtype=np.int8).reshape(x.shape[1], -1)
            for r in (res if isinstance(res, list) else [res])]

def write_rds(fit: Any, path: Any) -> Any:
    """Write ``fit`` as ``saveRDS()`` does (version 3, XDR, gzip), atomically (:func:`statprune._json.write_atomic`)."""
    stream = _r.call(_SCRIPT, "spg_serialize_raw", fit, _context="serialize")
    write_atomic(path, gzip.compress(stream, compresslevel=6, mtime=0))
    return path


def read_rds(path: str) -> tuple[dict[str, Any], list[str]]:
    """A ``cv.glmnet``/``glmnet`` fit from an RDS file: (``CVGlmnetOutput`` with ``fit``, R's class).

    The file is checked in Python first (:mod:`statprune._rds_check`: data only, never code);
    R deserializes exactly the checked bytes. Anything but a glmnet fit raises
    :class:`~statprune.errors.DataError`.
    """
    stream = checked_rds_bytes(path)
    _r.require_r_packages("glmnet")
    try:
        got = _r.call(_SCRIPT, "spg_unserialize_checked", stream, _context="unserialize")
    except Exception as exc:  # RError: not an RDS file
        raise DataError(f"{path!r} could not be read as an RDS file: {exc}") from exc
    rcls = [str(c) for c in np.atleast_1d(got["class"])]
    obj = got["obj"]
    if "cv.glmnet" in rcls:
        out = _r.call(_SCRIPT, "spg_extract", obj)
    elif "glmnet" in rcls:
        out = _r.call(_SCRIPT, "spg_extract_plain", obj)
    else:
        raise DataError(f"{path!r} holds an R object of class {rcls}, not a cv.glmnet or glmnet fit; "
                        "save the result of cv.glmnet() (or glmnet()) with saveRDS()")
    out["fit"] = obj
    return out, rcls


# --------------------------------------------------------------------------- knockoff's statistics (knockoff.R)
def knockoff_cv_coef(xz: np.ndarray, y: np.ndarray, foldid: np.ndarray, *, family: str, nlambda: int) -> np.ndarray:
    """``coef(cv.glmnet(scale(xz), y, foldid=, ...), s = "lambda.min")[-1]``: R's ``spk_cv_coef``.

    The cross-validated lasso of knockoff's ``stat.glmnet_coefdiff`` on the scaled ``[X, X_k]``
    (``xz``, columns already swapped), unstandardized, on knockoff's lambda grid (gaussian:
    ``nlambda`` values down to ``lambda_max / 2000``; other families glmnet's own grid).

    Returns
    -------
    ndarray of shape (2p,)
        The coefficients at ``lambda.min``, without the intercept.
    """
    out = _r.call("knockoff", "spk_cv_coef", xz, y, np.asarray(foldid, dtype=np.int32), family=family,
                  nlambda=int(nlambda), _context="cv.glmnet for knockoff statistics")
    return np.asarray(out, dtype=float).reshape(-1)


def knockoff_entry_lambda(xz: np.ndarray, y: np.ndarray, *, family: str, nlambda: int) -> np.ndarray:
    """``n`` times the lambda at which each column enters ``glmnet(scale(xz), y, ...)``: R's ``spk_max_lambda``.

    The lasso path of knockoff's ``stat.glmnet_lambdasmax`` / ``stat.glmnet_lambdadiff`` on the
    scaled ``[X, X_k]`` (``xz``), on the same grid as :func:`knockoff_cv_coef`.

    Returns
    -------
    ndarray of shape (2p,)
        ``n * lambda`` at each column's first nonzero coefficient; 0 for a column that never enters.
    """
    out = _r.call("knockoff", "spk_max_lambda", xz, y, family=family, nlambda=int(nlambda),
                  _context="glmnet for knockoff statistics")
    return np.asarray(out, dtype=float).reshape(-1)


# --------------------------------------------------------------------------- R's warnings
_SEPARATION_HINTS = ("fitted probabilities numerically 0 or 1", "perfect separation", "saturated")


# --------------------------------------------------------------------------- crosscheck (crosscheck.R)
# glmnet as statprune.crosscheck needs it: at FIXED lambdas to a tight thresh (the reference the other engines are
# compared with), cv.glmnet at fixed lambdas on given folds with keep=TRUE, and the gaussian fold fits without
# interpolation. Folds always come from Python (GlmnetCV's or the caller's): nothing in crosscheck.R draws them.
def crosscheck_glmnet_fit(X: np.ndarray, y_r: Any, family: str, alpha: float, lam: Any, *, weights: Any, pf: Any, standardize: bool, fit_intercept: bool,
                          thresh: float, offset: Any = None) -> dict[str, Any]:
    """glmnet at the lambda value(s) ``lam`` to ``thresh``: lambda, a0, beta (original x scale), deviance, classes."""
    _r.require_r_packages("glmnet")
    return _r.call(
        "crosscheck", "cc_glmnet_fit", X, y_r, family=family, alpha=float(alpha), weights=_opt_array(weights), penalty_factor=_opt_array(pf),
        standardize=bool(standardize), intercept=bool(fit_intercept), thresh=float(thresh), offset=_opt_array(offset),
        _context="glmnet refit for the crosscheck", **{"lambda": np.atleast_1d(np.asarray(lam, dtype=float))},
    )


def crosscheck_cv_fixed(X: np.ndarray, y_r: Any, family: str, alpha: float, lambdas: np.ndarray, foldid: np.ndarray, *, weights: Any, pf: Any, standardize: bool,
                        fit_intercept: bool, thresh: float, offset: Any = None) -> dict[str, Any]:
    """cv.glmnet at exactly ``lambdas`` on ``foldid``, glmnet's default measure, with the prevalidated predictions (``keep=TRUE``)."""
    return _r.call(
        "crosscheck", "cc_cv_fixed", X, y_r, family=family, alpha=float(alpha), foldid=foldid, weights=_opt_array(weights), penalty_factor=_opt_array(pf),
        standardize=bool(standardize), intercept=bool(fit_intercept), thresh=float(thresh), offset=_opt_array(offset),
        _context="cv.glmnet at fixed lambdas for the crosscheck", **{"lambda": np.asarray(lambdas, dtype=float)},
    )


def crosscheck_fold_fits(X: np.ndarray, y: np.ndarray, foldid: np.ndarray, alpha: float, lambdas: np.ndarray, *, weights: Any, standardize: bool,
                         fit_intercept: bool, thresh: float) -> dict[str, Any]:
    """Gaussian: every fold fitted at ``lambdas`` (no interpolation): per-fold weighted mse (K x L), fold weights, cvm, cvsd."""
    return _r.call(
        "crosscheck", "cc_glmnet_folds", X, y, foldid, alpha=alpha, weights=_opt_array(weights), standardize=standardize, intercept=fit_intercept,
        thresh=thresh, _context="glmnet fold fits for the crosscheck", **{"lambda": np.asarray(lambdas, dtype=float)},
    )


def _reissue(wmsg: warnings.WarningMessage, family: str) -> None:
    """An R warning as statprune's class: separation, 'dangerous ground' (selection), convergence."""
    text = str(wmsg.message)
    low = text.lower()
    if family in ("binomial", "multinomial") and any(h in low for h in _SEPARATION_HINTS):
        warnings.warn(text, PerfectSeparationWarning, stacklevel=5)
    elif "dangerous ground" in low:
        warnings.warn(text, SelectionWarning, stacklevel=5)
    elif "convergence" in low or "not reached" in low or "maxit" in low:
        warnings.warn(text, ConvergenceWarning, stacklevel=5)
    else:
        warnings.warn_explicit(wmsg.message, wmsg.category, wmsg.filename, wmsg.lineno)
