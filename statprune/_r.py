"""The R bridge: the only module of statprune that imports rpy2.

Nothing here runs at import time. R is started on first use, R code lives in
``r_scripts/bridge/*.R`` as functions that are ``source()``-d once into a private
environment, and every call into R goes through :func:`call`, which

* holds one process-wide lock (R is single-threaded: never call it from threads),
* passes data as R objects (never R code pasted from user strings),
* moves float matrices through a Fortran-ordered buffer (no element-wise copy),
* turns R errors into :class:`~statprune.errors.RError` with R's message and call,
* turns R warnings into Python :class:`RWarning` warnings with R's text.

Conversion rules, Python -> R (:func:`to_r`):

==========================  =========================================
Python                      R
==========================  =========================================
``None``                    ``NULL``
``bytes``                   raw vector
bool / int / float / str    length-1 logical / integer / double / character
1-D numpy array / list      plain vector (never an array with ``dim``)
2-D numpy float array       double matrix (``dim`` attribute)
``pandas.DataFrame``        ``data.frame`` (categoricals/strings -> factors)
``pandas.Categorical``      factor
``dict``                    named list
:class:`RObject`            the R object itself
==========================  =========================================

R -> Python (:func:`from_r`): ``NULL`` -> ``None``; a raw vector -> ``bytes``; an atomic vector of length 1
without ``dim`` -> Python scalar; other atomic vectors -> 1-D numpy arrays
(``as.array(x)`` in R forces an array even for length 1); matrices -> 2-D arrays;
factors -> lists of labels; ``data.frame`` -> ``pandas.DataFrame``; unclassed
lists -> ``dict`` (named) or ``list``; anything else (a fitted model, an
environment, a function) -> an opaque :class:`RObject` that can be passed back.
Integer and logical ``NA`` become ``NaN`` (the array becomes float); character
``NA`` becomes ``None``.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import APT_R_LINE, RError, RNotAvailableError, RWarning

__all__ = [
    "RObject",
    "RWarning",
    "call",
    "is_available",
    "r_matrix",
    "r_vector",
    "require_r_packages",
    "r_versions",
    "script_dir",
    "start",
    "to_r",
    "from_r",
]

_LOCK = threading.RLock()
_STATE: dict[str, Any] = {"ri": None, "env": None, "sourced": set(), "packages": {}}

#: R package -> Debian package that provides it.
_APT_NAMES = {
    "glmnet": "r-cran-glmnet",
    "MASS": "r-cran-mass",
    "jsonlite": "r-cran-jsonlite",
    "survival": "r-cran-survival",
    "randomForest": "r-cran-randomforest",
    "Matrix": "r-cran-matrix",
}


def apt_package(r_package: str) -> str:
    """Debian package name that provides an R package (``glmnet`` -> ``r-cran-glmnet``)."""
    return _APT_NAMES.get(r_package, "r-cran-" + r_package.lower().replace(".", ""))


def script_dir() -> Path:
    """Directory of the R scripts (installed wheel or source checkout)."""
    here = Path(__file__).resolve().parent
    for cand in (here / "r_scripts", here.parent / "r_scripts"):
        if (cand / "bridge").is_dir():
            return cand
    raise RNotAvailableError(
        f"statprune's R scripts were not found next to {here}; reinstall statprune "
        "(pip install --force-reinstall statprune)."
    )


# --------------------------------------------------------------------------- start-up
def _not_available(detail: str) -> RNotAvailableError:
    return RNotAvailableError(
        f"R is not available to statprune ({detail}). Install R and the R packages with:\n"
        f"    {APT_R_LINE}\n"
        "then reinstall rpy2 so it builds against that R: pip install --force-reinstall 'rpy2>=3.5,<3.6'",
        apt_packages=tuple(w for w in APT_R_LINE.split() if w.startswith("r-")),
    )


@contextlib.contextmanager
def _quiet_rpy2_import() -> Any:
    """rpy2 logs "Unable to determine R home" (and warns) while importing without R: statprune's own
    message, with the fix, is what the user should see, so rpy2's is silenced during the import."""

    logger = logging.getLogger("rpy2")
    before = logger.disabled
    logger.disabled = True
    loggers = [logging.getLogger(n) for n in ("rpy2.situation", "rpy2.rinterface_lib.embedded",
                                               "rpy2.rinterface_lib.openrlib")]
    saved = [lg.disabled for lg in loggers]
    for lg in loggers:
        lg.disabled = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.disabled = before
        for lg, was in zip(loggers, saved):
            lg.disabled = was


def start() -> Any:
    """Start the embedded R once and return ``rpy2.rinterface``.

    Raises
    ------
    RNotAvailableError
        When rpy2 cannot be imported or R cannot be initialised; the message
        carries the ``apt-get install`` line that fixes it.
    """
    with _LOCK:
        if _STATE["ri"] is not None:
            return _STATE["ri"]
        os.environ.setdefault("RPY2_CFFI_MODE", "ABI")
        try:
            with _quiet_rpy2_import():
                import rpy2.rinterface as ri  # noqa: PLC0415 - the lazy import is the point
                import rpy2.rinterface_lib.callbacks as callbacks  # noqa: PLC0415 - deferred: rpy2 (and pandas for data frames) load with R, on first use
        except Exception as exc:  # ImportError, OSError (libR.so missing), ...
            raise _not_available(f"rpy2 could not be imported: {exc}") from exc
        # R's console output goes nowhere; messages we want come back as values.
        callbacks.consolewrite_print = lambda s: None
        callbacks.consolewrite_warnerror = lambda s: None
        ld_before = os.environ.get("LD_LIBRARY_PATH")
        try:
            ri.initr_simple()
        except Exception as exc:
            raise _not_available(f"R could not be started: {exc}") from exc
        finally:
            # R's start-up (ldpaths) prepends R's library folders to the process environment's
            # LD_LIBRARY_PATH; child processes would then load the system libpython instead of
            # this interpreter's. R needs it only to start: put the caller's value back.
            if ld_before is None:
                os.unsetenv("LD_LIBRARY_PATH")
            else:
                os.environ["LD_LIBRARY_PATH"] = ld_before
        env = ri.baseenv["new.env"](parent=ri.globalenv)
        _STATE["env"] = env
        _STATE["ri"] = ri
        _source_locked("_bridge")
        return ri


def is_available() -> bool:
    """True when R can be started (does not raise)."""
    try:
        start()
    except RNotAvailableError:
        return False
    return True


def _source_locked(name: str) -> None:
    if name in _STATE["sourced"]:
        return
    ri = _STATE["ri"]
    path = script_dir() / "bridge" / f"{name}.R"
    if not path.is_file():
        raise FileNotFoundError(f"R script {path} is missing from the statprune installation")
    ri.baseenv["sys.source"](ri.StrSexpVector([str(path)]), envir=_STATE["env"])
    _STATE["sourced"].add(name)


def require_r_packages(*packages: str) -> None:
    """Check that the R packages can be loaded; raise an actionable error otherwise.

    Examples
    --------
    >>> from statprune import _r
    >>> _r.require_r_packages("glmnet")  # doctest: +SKIP
    """
    ri = start()
    missing = []
    with _LOCK:
        for pkg in packages:
            ok = _STATE["packages"].get(pkg)
            if ok is None:
                res = ri.baseenv["requireNamespace"](ri.StrSexpVector([pkg]), quietly=ri.BoolSexpVector([True]))
                ok = bool(res[0])
                _STATE["packages"][pkg] = ok
            if not ok:
                missing.append(pkg)
    if missing:
        apts = tuple(apt_package(p) for p in missing)
        raise RNotAvailableError(
            f"R package(s) {', '.join(missing)} not installed. Install with:\n"
            f"    apt-get update && apt-get install -y --no-install-recommends {' '.join(apts)}",
            apt_packages=apts,
        )


@functools.lru_cache(maxsize=1)
def r_versions() -> dict[str, str | None]:
    """Versions of R, the R packages statprune uses, rpy2, and R's BLAS/LAPACK."""
    out = call("_bridge", "sp_versions")
    import rpy2  # noqa: PLC0415 - deferred: rpy2 (and pandas for data frames) load with R, on first use

    out = {k: (None if v is None or v == "" else str(v)) for k, v in out.items()}
    out["rpy2"] = rpy2.__version__
    return out


# --------------------------------------------------------------------------- conversion
class RObject:
    """An R object kept in R (a fitted model, an environment...).

    Pass it back to :func:`call` to use it. ``r_class`` is R's ``class()``.
    """

    __slots__ = ("_sexp", "r_class")

    def __init__(self, sexp: Any) -> None:
        self._sexp = sexp
        try:
            cls = sexp.do_slot("class")
            self.r_class = tuple(str(c) for c in cls)
        except LookupError:
            self.r_class = ()

    def __repr__(self) -> str:
        return f"<RObject class={'/'.join(self.r_class) or 'unclassed'}>"

    def __getstate__(self) -> None:  # pragma: no cover - clear message instead of a crash
        raise TypeError("RObject lives inside the R session and cannot be pickled; use save_rds()")


def r_matrix(x: np.ndarray) -> Any:
    """Fast transfer of a 2-D numeric array into an R double matrix.

    The array is laid out in Fortran order (a no-op for F-ordered input, such as
    the values of a homogeneous float DataFrame) and its buffer is copied into a
    new R double vector in one ``memcpy``; then a ``dim`` attribute is set.
    """
    ri = start()
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"r_matrix needs a 2-D array, got {a.ndim}-D")
    flat = np.asfortranarray(a).T.reshape(-1)  # F-order buffer, as a C-contiguous 1-D view
    with _LOCK:
        vec = ri.FloatSexpVector.from_memoryview(memoryview(flat)) if flat.size else ri.FloatSexpVector([])
        vec.do_slot_assign("dim", ri.IntSexpVector([int(a.shape[0]), int(a.shape[1])]))
    return vec


def r_vector(v: Any) -> Any:
    """A 1-D sequence as a plain R vector (no ``dim`` attribute)."""
    ri = start()
    if isinstance(v, (list, tuple)) and all(isinstance(e, str) or e is None for e in v):
        return ri.StrSexpVector([ri.NA_Character if e is None else e for e in v])
    a = np.asarray(v)
    if a.ndim != 1:
        a = a.reshape(-1)
    kind = a.dtype.kind
    with _LOCK:
        if kind == "b":
            return ri.BoolSexpVector([bool(e) for e in a])
        if kind in "iu" and (a.size == 0 or (a.min() >= -(2**31) + 1 and a.max() < 2**31)):
            return ri.IntSexpVector.from_memoryview(memoryview(np.ascontiguousarray(a, dtype=np.int32))) if a.size else ri.IntSexpVector([])
        if kind in "iuf":
            b = np.ascontiguousarray(a, dtype=np.float64)
            return ri.FloatSexpVector.from_memoryview(memoryview(b)) if b.size else ri.FloatSexpVector([])
        if kind in "OUS":
            return ri.StrSexpVector([ri.NA_Character if (e is None or (isinstance(e, float) and np.isnan(e))) else str(e) for e in a])
    raise TypeError(f"cannot pass an array of dtype {a.dtype} to R")


def _set_class(sexp: Any, cls: str) -> Any:
    """Set the class through R's ``class<-`` so the object bit is set too (``is.object()`` is TRUE;
    a bare attribute assignment leaves it unset and S3 dispatch / ``lm(data=)`` then misbehave)."""
    ri = start()
    with _LOCK:
        return ri.baseenv["class<-"](sexp, ri.StrSexpVector([cls]))


def _r_factor(values: Any, categories: Sequence[Any] | None = None) -> Any:
    import pandas as pd  # noqa: PLC0415 - deferred: rpy2 (and pandas for data frames) load with R, on first use

    ri = start()
    cat = pd.Categorical(values, categories=categories)
    codes = cat.codes.astype(np.int64) + 1
    codes_r = np.where(codes == 0, -(2**31), codes).astype(np.int32)  # NA_integer_
    vec = ri.IntSexpVector.from_memoryview(memoryview(np.ascontiguousarray(codes_r))) if codes_r.size else ri.IntSexpVector([])
    vec.do_slot_assign("levels", ri.StrSexpVector([str(c) for c in cat.categories]))
    return _set_class(vec, "factor")


def _r_data_frame(df: Any) -> Any:
    import pandas as pd  # noqa: PLC0415 - deferred: rpy2 (and pandas for data frames) load with R, on first use

    ri = start()
    cols = []
    for name in df.columns:
        s = df[name]
        if isinstance(s.dtype, pd.CategoricalDtype):
            cols.append(_r_factor(s.to_numpy(), list(s.cat.categories)))
        elif s.dtype.kind in "OUS" or pd.api.types.is_string_dtype(s.dtype):
            vals = s.astype(object).to_numpy()
            levels = sorted({str(v) for v in vals if v is not None and not (isinstance(v, float) and np.isnan(v))})
            cols.append(_r_factor([None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in vals], levels))
        elif s.dtype.kind == "b":
            cols.append(r_vector(s.to_numpy()))
        else:
            cols.append(r_vector(s.to_numpy(dtype=np.float64) if s.dtype.kind == "f" else s.to_numpy()))
    with _LOCK:
        lst = ri.ListSexpVector(cols)
        lst.do_slot_assign("names", ri.StrSexpVector([str(c) for c in df.columns]))
        lst.do_slot_assign("row.names", ri.IntSexpVector([-(2**31), -len(df)]))
        return _set_class(lst, "data.frame")


def to_r(obj: Any) -> Any:
    """Convert a Python object to an R object (see the module docstring)."""
    import pandas as pd  # noqa: PLC0415 - deferred: rpy2 (and pandas for data frames) load with R, on first use

    ri = start()
    if obj is None:
        return ri.NULL
    if isinstance(obj, RObject):
        return obj._sexp
    if isinstance(obj, (bool, np.bool_)):
        return ri.BoolSexpVector([bool(obj)])
    if isinstance(obj, (int, np.integer)):
        if -(2**31) < int(obj) < 2**31:
            return ri.IntSexpVector([int(obj)])
        return ri.FloatSexpVector([float(obj)])
    if isinstance(obj, (float, np.floating)):
        return ri.FloatSexpVector([float(obj)])
    if isinstance(obj, str):
        return ri.StrSexpVector([obj])
    if isinstance(obj, (bytes, bytearray)):
        return ri.ByteSexpVector.from_memoryview(memoryview(bytes(obj))) if len(obj) else ri.ByteSexpVector([])
    if isinstance(obj, pd.DataFrame):
        return _r_data_frame(obj)
    if isinstance(obj, pd.Categorical):
        return _r_factor(obj, list(obj.categories))
    if isinstance(obj, pd.Series):
        if isinstance(obj.dtype, pd.CategoricalDtype):
            return _r_factor(obj.to_numpy(), list(obj.cat.categories))
        return r_vector(obj.to_numpy())
    if isinstance(obj, Mapping):
        with _LOCK:
            lst = ri.ListSexpVector([to_r(v) for v in obj.values()])
            lst.do_slot_assign("names", ri.StrSexpVector([str(k) for k in obj.keys()]))
        return lst
    if isinstance(obj, np.ndarray):
        if obj.ndim == 2:
            if obj.dtype.kind not in "biuf":
                raise TypeError(f"only numeric matrices can be passed to R, got dtype {obj.dtype}")
            return r_matrix(obj)
        return r_vector(obj)
    if isinstance(obj, (list, tuple)):
        return r_vector(list(obj))
    if hasattr(obj, "rid") or hasattr(obj, "__sexp__"):  # already an rpy2 object
        return obj
    raise TypeError(f"cannot pass an object of type {type(obj).__name__} to R")


def from_r(sexp: Any) -> Any:
    """Convert an R object to Python (see the module docstring)."""
    import pandas as pd  # noqa: PLC0415 - deferred: rpy2 (and pandas for data frames) load with R, on first use

    ri = _STATE["ri"] or start()
    t = sexp.typeof
    RT = ri.RTYPES
    if t == RT.NILSXP:
        return None
    try:
        cls = tuple(str(c) for c in sexp.do_slot("class"))
    except LookupError:
        cls = ()
    if t == RT.VECSXP:
        names = _names(sexp)
        if "data.frame" in cls:
            data = {n: _vector_to_py(v, ri, force_array=True) for n, v in zip(names, sexp)}
            return pd.DataFrame(data)
        if cls:
            return RObject(sexp)
        items = [from_r(v) for v in sexp]
        if names is not None and all(names):
            return dict(zip(names, items))
        return items
    if t == RT.RAWSXP and not cls:
        return np.asarray(sexp).tobytes() if len(sexp) else b""  # one copy through the buffer, not per byte
    if t in (RT.REALSXP, RT.INTSXP, RT.LGLSXP, RT.STRSXP, RT.CPLXSXP):
        if "factor" in cls:
            levels = [str(s) for s in sexp.do_slot("levels")]
            codes = np.asarray(sexp.memoryview()) if len(sexp) else np.zeros(0, np.int32)
            return [None if c == -(2**31) else levels[c - 1] for c in codes]
        return _vector_to_py(sexp, ri)
    return RObject(sexp)


def _names(sexp: Any) -> list[str] | None:
    try:
        return [str(n) for n in sexp.do_slot("names")]
    except LookupError:
        return None


def _vector_to_py(sexp: Any, ri: Any, force_array: bool = False) -> Any:
    RT = ri.RTYPES
    t = sexp.typeof
    try:
        dim = tuple(int(d) for d in sexp.do_slot("dim"))
    except LookupError:
        dim = None
    if "factor" in _classes(sexp):
        return _r_categorical(sexp)
    n = len(sexp)
    if t == RT.REALSXP:
        arr = np.array(sexp.memoryview(), dtype=np.float64, order="F").reshape(-1, order="F") if n else np.zeros(0)
    elif t in (RT.INTSXP, RT.LGLSXP):
        raw = np.array(sexp.memoryview(), dtype=np.int32, order="F").reshape(-1, order="F") if n else np.zeros(0, np.int32)
        na = raw == -(2**31)
        if na.any():
            arr = raw.astype(np.float64)
            arr[na] = np.nan
        else:
            arr = raw.astype(bool) if t == RT.LGLSXP else raw.astype(np.int64)
    elif t == RT.STRSXP:
        arr = np.array([None if s is ri.NA_Character else str(s) for s in sexp], dtype=object)
    else:  # complex
        arr = np.array([complex(v) for v in sexp])
    if dim is not None and len(dim) >= 2:
        return arr.reshape(dim, order="F")
    if dim is None and n == 1 and not force_array:
        v = arr[0]
        return v.item() if hasattr(v, "item") else v
    return arr


def _classes(sexp: Any) -> tuple[str, ...]:
    try:
        return tuple(str(c) for c in sexp.do_slot("class"))
    except LookupError:
        return ()


def _r_categorical(sexp: Any) -> Any:
    import pandas as pd  # noqa: PLC0415 - deferred: rpy2 (and pandas for data frames) load with R, on first use

    levels = [str(s) for s in sexp.do_slot("levels")]
    codes = np.frombuffer(sexp.memoryview(), dtype=np.int32).astype(np.int64) - 1 if len(sexp) else np.zeros(0, np.int64)
    codes[codes < -1] = -1
    return pd.Categorical.from_codes(codes, categories=levels)


# --------------------------------------------------------------------------- interrupts
@contextlib.contextmanager
def _interruptible() -> Iterator[list[bool]]:
    """Let Ctrl-C (SIGINT) interrupt R as R's own handler does, then raise ``KeyboardInterrupt``.

    While R computes, Python runs only inside rpy2's callbacks; a ``KeyboardInterrupt``
    raised there is swallowed by cffi ("Exception ignored from cffi callback") and R runs
    to the end. So, for the duration of one call, SIGINT gets a handler that raises
    nothing: it sets R's C-level flag ``R_interrupts_pending`` (what R's ``handleInterrupt``
    does on Ctrl-C), so R stops at its next ``R_CheckUserInterrupt()`` and unwinds; then
    ``KeyboardInterrupt`` is raised in Python once R has returned. The CLI exits 130 and
    writes no output file. Only in the main thread (signal handlers live there).
    """
    hit: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield hit
        return
    from rpy2.rinterface_lib import openrlib  # noqa: PLC0415 - deferred: rpy2 (and pandas for data frames) load with R, on first use

    def _on_sigint(signum: int, frame: Any) -> None:
        hit.append(True)
        openrlib.rlib.R_interrupts_pending = 1

    previous = signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield hit
    finally:
        signal.signal(signal.SIGINT, previous)
    if hit:
        raise KeyboardInterrupt


# --------------------------------------------------------------------------- calls
def call(script: str, function: str, *args: Any, _convert: bool = True, _context: str | None = None,
         _console: Any = None, **kwargs: Any) -> Any:
    """Call ``function`` defined in ``r_scripts/bridge/<script>.R`` with R objects.

    Positional and keyword arguments are converted with :func:`to_r`; the value
    with :func:`from_r` (or returned as an :class:`RObject` when
    ``_convert=False``). R warnings are re-issued as :class:`RWarning`; an R
    error raises :class:`~statprune.errors.RError` carrying R's message and call.
    ``_console``: a callable that receives R's console output (``cat``, ``print``) during the
    call instead of stdout (e.g. cv.glmnet's ``trace.it`` lines, read into a progress bar).
    """
    ri = start()
    with _LOCK:
        _source_locked(script)
        env = _STATE["env"]
        r_args = [to_r(a) for a in args]
        r_kwargs = {k: to_r(v) for k, v in kwargs.items()}
        names = [""] * len(r_args) + list(r_kwargs)
        lst = ri.ListSexpVector(r_args + list(r_kwargs.values()))
        lst.do_slot_assign("names", ri.StrSexpVector(names))
        invoke = env.find("sp_invoke")
        from rpy2.rinterface_lib import callbacks  # noqa: PLC0415 - deferred: rpy2 loads with R, on first use

        console = (callbacks.obj_in_module(callbacks, "consolewrite_print", _console) if _console is not None
                   else contextlib.nullcontext())
        with console, _interruptible() as hit:
            try:
                res = invoke(ri.StrSexpVector([function]), lst, env)
            except Exception:
                if hit:  # R stopped at our interrupt: the user's Ctrl-C, not an R error
                    raise KeyboardInterrupt from None
                raise
        value, r_warnings, err = res[0], res[1], res[2]
        if err.typeof != ri.RTYPES.NILSXP:
            msg = str(err[0][0])
            rcall = str(err[1][0]) if err[1][0] is not ri.NA_Character else None
            raise RError(msg, rcall, context=_context)
        for w in (r_warnings if r_warnings.typeof != ri.RTYPES.NILSXP else []):
            warnings.warn(str(w), RWarning, stacklevel=2)
        return from_r(value) if _convert else RObject(value)


def numpy2ri_matrix(x: np.ndarray) -> Any:
    """The slow reference path: rpy2's ``numpy2ri`` converter (for benchmarks only)."""
    start()
    from rpy2.robjects import default_converter, numpy2ri  # noqa: PLC0415 - deferred: rpy2 (and pandas for data frames) load with R, on first use

    with _LOCK, (default_converter + numpy2ri.converter).context() as cv:
        return cv.py2rpy(np.asarray(x, dtype=np.float64))


def matrix_from_r(sexp: Any) -> np.ndarray:
    """An R numeric matrix back into a numpy array (exact copy)."""
    start()
    with _LOCK:
        out = from_r(sexp)
    return np.asarray(out, dtype=np.float64)
