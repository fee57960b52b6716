"""C kernels compiled once per machine and loaded with ctypes (no JIT in a fresh process).

``elnet.c`` holds glmnet's Gaussian covariance and naive paths on a Gram matrix
(the same iterations as the numba kernels of :mod:`statprune.engines._numba`),
``glmpath.c`` the binomial and poisson IRLS paths (:mod:`statprune.engines.glmpath`), ``multinet.c``
the multinomial path (:mod:`statprune.engines.multinomial`), ``design.c`` the standardized design
those two take (:func:`statprune.engines._settings.path_design`).  The
shared library is named after a hash of the source and looked up, in order, next
to the source (where ``scripts/setup.sh`` / ``python -m statprune.engines._native`` build
it at set-up time) and in the user cache (``$STATPRUNE_CACHE_DIR``, else
``$XDG_CACHE_HOME/statprune``, else ``~/.cache/statprune``).  When it is missing it
is built on first use with the system C compiler (``$CC``, ``cc`` or ``gcc``,
``-O3`` without fast-math, so IEEE arithmetic in source order; for the vector instructions of
the machine's own CPU, ``-march=native -ffp-contract=off``: wider vectors, no fused
multiply-adds, the same numbers; plain ``-O3`` where the compiler refuses that, and the CPU
is part of the library's name, so a cache shared between machines never loads another
CPU's build); without a compiler
(or with ``STATPRUNE_NATIVE=0``) :func:`elnet_kernel` returns ``None`` and callers
use numba.

Examples
--------
>>> import numpy as np
>>> from statprune.engines import _native
>>> k = _native.elnet_kernel(naive=False)
>>> k is None or callable(k)
True
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import numpy as np

__all__ = ["build", "design_kernel", "elnet_kernel", "glm_kernel", "library_path", "multnet_kernel"]

_SRC = Path(__file__).with_name("elnet.c")
_SOURCES = [_SRC, Path(__file__).with_name("glmpath.c"), Path(__file__).with_name("multinet.c"),
            Path(__file__).with_name("design.c")]
_HEADERS = [Path(__file__).with_name("glmnet_path.h")]  # included by the sources: part of the tag
_LIB: list[Any] = []  # [CDLL or None] once looked up


_NATIVE_FLAGS = ["-march=native", "-ffp-contract=off"]  # the CPU's vectors; no FMA contraction


def _cpu() -> bytes:
    """The CPU the library is built for (model and feature flags), part of its name."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        import platform

        return platform.machine().encode() + platform.processor().encode()
    keep = [ln for ln in text.splitlines() if ln.split(":")[0].strip() in ("model name", "flags", "Features",
                                                                           "CPU part")]
    return "\n".join(sorted(set(keep))).encode()


def _tag() -> str:
    h = hashlib.sha256(b"".join(src.read_bytes() for src in _SOURCES + _HEADERS))
    h.update(sys.platform.encode() + b"-O3" + " ".join(_NATIVE_FLAGS).encode() + _cpu())
    return h.hexdigest()[:16]


def _cache_dirs() -> list[Path]:
    dirs = [_SRC.parent]
    env = os.environ.get("STATPRUNE_CACHE_DIR")
    if env:
        dirs.append(Path(env))
    xdg = os.environ.get("XDG_CACHE_HOME")
    dirs.append(Path(xdg) / "statprune" if xdg else Path.home() / ".cache" / "statprune")
    return dirs


def library_path() -> Path | None:
    """Where the built library of the current source is, or ``None``."""
    name = f"libelnet-{_tag()}.so"
    for d in _cache_dirs():
        if (d / name).is_file():
            return d / name
    return None


def _compiler() -> str | None:
    for c in (os.environ.get("CC"), "cc", "gcc"):
        if c and shutil.which(c):
            return c
    return None


def build(quiet: bool = True) -> Path | None:
    """Compile ``elnet.c`` into the first writable cache directory; the library path or ``None``."""
    found = library_path()
    if found is not None:
        return found
    cc = _compiler()
    if cc is None:
        return None
    name = f"libelnet-{_tag()}.so"
    for d in _cache_dirs():
        try:
            d.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".libelnet-", suffix=".so", dir=d)
            os.close(fd)
        except OSError:
            continue
        try:
            base = [cc, "-O3", "-fPIC", "-shared", "-o", tmp, *map(str, _SOURCES), "-lm"]
            proc = subprocess.run(base[:2] + _NATIVE_FLAGS + base[2:], capture_output=True, text=True, timeout=120)
            if proc.returncode != 0:  # a compiler without -march=native: the portable build
                proc = subprocess.run(base, capture_output=True, text=True, timeout=120)
            if proc.returncode != 0:
                if not quiet:
                    print(proc.stderr, file=sys.stderr)
                return None
            os.replace(tmp, d / name)  # atomic: concurrent builders are harmless
            return d / name
        except (OSError, subprocess.SubprocessError):
            continue
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return None


def _load() -> Any:
    if _LIB:
        return _LIB[0]
    lib = None
    if os.environ.get("STATPRUNE_NATIVE", "1") != "0":
        path = build()
        if path is not None:
            try:
                lib = ctypes.CDLL(str(path))
                dp = ctypes.POINTER(ctypes.c_double)
                for fn in (lib.elnet_cov_path, lib.elnet_naive_path):
                    fn.restype = ctypes.c_int
                    fn.argtypes = [
                        ctypes.c_long, dp, dp, dp, dp, dp, ctypes.POINTER(ctypes.c_ubyte), ctypes.c_double,
                        ctypes.c_double, dp, ctypes.c_int, ctypes.c_double, ctypes.c_long, ctypes.c_double,
                        ctypes.c_double, ctypes.c_int, ctypes.c_double, ctypes.c_double, ctypes.c_long, dp, dp, dp,
                        ctypes.POINTER(ctypes.c_long),
                    ]
                lib.glm_path.restype = ctypes.c_int
                lib.glm_path.argtypes = [
                    ctypes.c_int, ctypes.c_long, ctypes.c_long, dp, dp, dp, dp, ctypes.c_int,
                    ctypes.POINTER(ctypes.c_ubyte), dp, dp, ctypes.c_double, ctypes.c_double, dp, ctypes.c_int,
                    ctypes.c_double, ctypes.c_long, ctypes.c_int, ctypes.c_double, ctypes.c_double, ctypes.c_double,
                    ctypes.c_int, ctypes.c_double, ctypes.c_double, ctypes.c_long, dp, dp, dp, dp, dp,
                    ctypes.POINTER(ctypes.c_long),
                ]
                head = [ctypes.c_long, ctypes.c_long, ctypes.c_int, dp, dp, dp, dp, ctypes.c_int,
                        ctypes.POINTER(ctypes.c_ubyte), dp, dp]  # ... vp, cl
                tail = [ctypes.c_double, ctypes.c_double, dp, ctypes.c_int, ctypes.c_double, ctypes.c_long,
                        ctypes.c_int, ctypes.c_double, ctypes.c_double, ctypes.c_double, ctypes.c_double, ctypes.c_int,
                        ctypes.c_double, ctypes.c_double, ctypes.c_long, dp, dp, dp, dp, dp,
                        ctypes.POINTER(ctypes.c_long)]  # alpha ... res
                lib.multnet_path.argtypes = head + tail
                lib.multnet_group_path.argtypes = head + [dp, ctypes.c_double, ctypes.c_long] + tail  # xv, prec, mxit
                for fn in (lib.multnet_path, lib.multnet_group_path):
                    fn.restype = ctypes.c_int
                lib.glm_design.restype = None
                lib.glm_design.argtypes = [dp, ctypes.c_int, ctypes.c_long, ctypes.c_long, ctypes.POINTER(ctypes.c_long),
                                           ctypes.c_long, dp, ctypes.c_int, ctypes.c_int, dp, dp, dp,
                                           ctypes.POINTER(ctypes.c_ubyte)]
            except (OSError, AttributeError):
                lib = None
    _LIB.append(lib)
    return lib


def _ptr(a: np.ndarray, ctype: Any) -> Any:
    return a.ctypes.data_as(ctypes.POINTER(ctype))


def _symbol(name: str) -> Any:
    """The library's function ``name``, or ``None`` without the library."""
    lib = _load()
    return None if lib is None else getattr(lib, name)


def _penalty_args(ju: Any, vp: Any, cl: Any, ulam: Any, p: int) -> tuple[np.ndarray, ...]:
    """``ju``, ``vp``, ``cl`` (2, p) and ``ulam`` as every path kernel takes them: contiguous uint8/float64."""
    return (np.ascontiguousarray(ju, dtype=np.uint8), np.ascontiguousarray(vp, dtype=np.float64),
            np.ascontiguousarray(cl, dtype=np.float64).reshape(2, p), np.ascontiguousarray(ulam, dtype=np.float64))


def _glm_outputs(nlam: int, a0_shape: tuple, ao_shape: tuple) -> tuple[np.ndarray, ...]:
    """The GLM kernels' output buffers: ``a0``, ``ao``, ``almo``, ``devo``, ``dev0``, ``res`` (lmu, passes, jerr)."""
    return (np.zeros(a0_shape), np.zeros(ao_shape), np.zeros(nlam), np.zeros(nlam), np.zeros(1),
            np.zeros(3, dtype=np.int_))


def elnet_kernel(naive: bool) -> Callable | None:
    """The C path kernel with the numba kernels' signature and returns, or ``None``."""
    fn = _symbol("elnet_naive_path" if naive else "elnet_cov_path")
    if fn is None:
        return None

    def kernel(G, g_in, xv, vp, cl, ju, beta, flmin, ulam, nlam, thr, maxit, sml, rsqmax, mnlam, eps, big, ne):  # noqa: ANN001, ANN202
        ni = int(G.shape[0])
        nlam = int(nlam)
        G = np.ascontiguousarray(G, dtype=np.float64)
        g_in = np.ascontiguousarray(g_in, dtype=np.float64)
        xv = np.ascontiguousarray(xv, dtype=np.float64)
        ju, vp, cl, ulam = _penalty_args(ju, vp, cl, ulam, ni)
        ao = np.zeros((nlam, ni))
        almo = np.zeros(nlam)
        rsqo = np.zeros(nlam)
        res = np.zeros(3, dtype=np.int_)
        dp = ctypes.c_double
        rc = fn(ni, _ptr(G, dp), _ptr(g_in, dp), _ptr(xv, dp), _ptr(vp, dp), _ptr(cl, dp), _ptr(ju, ctypes.c_ubyte),
                float(beta), float(flmin), _ptr(ulam, dp), nlam, float(thr), int(maxit), float(sml), float(rsqmax),
                int(mnlam), float(eps), float(big), int(ne), _ptr(ao, dp), _ptr(almo, dp), _ptr(rsqo, dp),
                _ptr(res, ctypes.c_long))
        if rc != 0:
            raise MemoryError("the elnet C kernel could not allocate its work arrays")
        return int(res[0]), ao, almo, rsqo, int(res[1]), int(res[2])

    return kernel


def design_kernel() -> Callable | None:
    """The standardization of ``design.c``, or ``None`` without a C compiler.

    Called as ``design(X, rows, w, intercept, standardize)`` with ``X`` the whole (N, p) design,
    ``rows`` the fit's row indices (``None``: all N) and ``w`` their weights summing to 1; returns
    ``(Xt (p, n), xm, xs, varies)``: the standardized design of those rows stored variable by
    variable, glmnet's centres and scales, and whether each variable takes two values on them.
    """
    fn = _symbol("glm_design")
    if fn is None:
        return None

    def design(X, rows, w, intercept, standardize):  # noqa: ANN001, ANN202
        X = np.asarray(X, dtype=np.float64)
        N, p = (int(d) for d in X.shape)
        cols = not X.flags.c_contiguous and X.flags.f_contiguous  # X.T is then (p, N) by rows: no copy
        if not cols:
            X = np.ascontiguousarray(X)
        idx = None if rows is None else np.ascontiguousarray(rows, dtype=np.int_)
        n = N if idx is None else int(idx.shape[0])
        if idx is not None and n and (idx.min() < 0 or idx.max() >= N):
            raise IndexError("design rows out of range")
        w = np.ascontiguousarray(w, dtype=np.float64).reshape(n)
        Xt = np.empty((p, n))
        xm, xs, varies = np.empty(p), np.empty(p), np.empty(p, dtype=np.uint8)
        dp = ctypes.c_double
        fn(_ptr(X, dp), int(cols), N, p, None if idx is None else _ptr(idx, ctypes.c_long), n, _ptr(w, dp),
           int(bool(intercept)), int(bool(standardize)), _ptr(Xt, dp), _ptr(xm, dp), _ptr(xs, dp),
           _ptr(varies, ctypes.c_ubyte))
        return Xt, xm, xs, varies.astype(bool)

    return design


def glm_kernel() -> Callable | None:
    """The binomial/poisson path kernel of ``glmpath.c``, or ``None`` without a C compiler.

    Called as ``kernel(family, Xt, y, w, offset, ju, vp, cl, alpha, flmin, ulam, nlam, thresh,
    maxit, intercept, pmin, fdev, devmax, mnlam, eps, big, ne)`` with ``Xt`` the (p, n)
    standardized design; returns ``(lmu, a0, ao, almo, dev, dev0, npasses, jerr)``.
    """
    fn = _symbol("glm_path")
    if fn is None:
        return None

    def kernel(family, Xt, y, w, offset, ju, vp, cl, alpha, flmin, ulam, nlam, thr, maxit, intr, pmin, sml,  # noqa: ANN001, ANN202
               devmax, mnlam, eps, big, ne):
        p, n = (int(d) for d in Xt.shape)
        nlam = int(nlam)
        Xt = np.ascontiguousarray(Xt, dtype=np.float64)
        y = np.ascontiguousarray(y, dtype=np.float64)
        w = np.ascontiguousarray(w, dtype=np.float64)
        has_off = offset is not None
        g = np.ascontiguousarray(offset if has_off else np.zeros(n), dtype=np.float64)
        ju, vp, cl, ulam = _penalty_args(ju, vp, cl, ulam, p)
        a0, ao, almo, devo, dev0, res = _glm_outputs(nlam, nlam, (nlam, p))
        dp = ctypes.c_double
        fn(int(family), n, p, _ptr(Xt, dp), _ptr(y, dp), _ptr(w, dp), _ptr(g, dp), int(has_off),
           _ptr(ju, ctypes.c_ubyte), _ptr(vp, dp), _ptr(cl, dp), float(alpha), float(flmin), _ptr(ulam, dp), nlam,
           float(thr), int(maxit), int(bool(intr)), float(pmin), float(sml), float(devmax), int(mnlam), float(eps),
           float(big), int(ne), _ptr(a0, dp), _ptr(ao, dp), _ptr(almo, dp), _ptr(devo, dp), _ptr(dev0, dp),
           _ptr(res, ctypes.c_long))
        if int(res[2]) == 10000:
            raise MemoryError("the glm C kernel could not allocate its work arrays")
        return int(res[0]), a0, ao, almo, devo, float(dev0[0]), int(res[1]), int(res[2])

    return kernel


def multnet_kernel(grouped: bool = False) -> Callable | None:
    """The multinomial path kernel of ``multinet.c``, or ``None`` without a C compiler.

    Called as ``kernel(Xt, Y, w, offset, ju, vp, cl, alpha, flmin, ulam, nlam, thresh, maxit,
    intercept, pmin, exmx, fdev, devmax, mnlam, eps, big, ne)`` with ``Xt`` the (p, n)
    standardized design, ``Y`` and ``offset`` (K, n); returns
    ``(lmu, a0 (nlam, K), ao (nlam, K, p), almo, dev, dev0, npasses, jerr)``; ``cl`` the (2, p)
    limits on the standardized scale.  ``grouped`` (``type.multinomial = "grouped"``) takes
    three more keywords: ``xv`` (p,) the columns' weighted mean squares, ``prec`` and ``mxit``
    (glmnet.control's bounds-adjustment threshold and iterations).
    """
    lib = _load()
    if lib is None:
        return None
    fn = lib.multnet_group_path if grouped else lib.multnet_path

    def kernel(Xt, Y, w, offset, ju, vp, cl, alpha, flmin, ulam, nlam, thr, maxit, intr, pmin, exmx, sml,  # noqa: ANN001, ANN202
               devmax, mnlam, eps, big, ne, xv=None, prec=None, mxit=None):
        p, n = (int(d) for d in Xt.shape)
        nc = int(Y.shape[0])
        if grouped == (xv is None or prec is None or mxit is None):
            raise TypeError("xv, prec and mxit are the grouped kernel's arguments (and only its)")
        nlam = int(nlam)
        Xt = np.ascontiguousarray(Xt, dtype=np.float64)
        Y = np.ascontiguousarray(Y, dtype=np.float64)
        w = np.ascontiguousarray(w, dtype=np.float64)
        has_off = offset is not None
        g = np.array(offset if has_off else np.zeros((nc, n)), dtype=np.float64, order="C")  # the kernel centres it
        ju = np.ascontiguousarray(ju, dtype=np.uint8)
        vp = np.ascontiguousarray(vp, dtype=np.float64)
        cl = np.ascontiguousarray(cl, dtype=np.float64).reshape(2, p)
        xv = None if xv is None else np.ascontiguousarray(xv, dtype=np.float64).reshape(p)
        ulam = np.ascontiguousarray(ulam, dtype=np.float64)
        a0 = np.zeros((nlam, nc))
        ao = np.zeros((nlam, nc, p))
        almo = np.zeros(nlam)
        devo = np.zeros(nlam)
        dev0 = np.zeros(1)
        res = np.zeros(3, dtype=np.int_)
        dp = ctypes.c_double
        extra = () if xv is None else (_ptr(xv, dp), float(prec), int(mxit))
        fn(n, p, nc, _ptr(Xt, dp), _ptr(Y, dp), _ptr(w, dp), _ptr(g, dp), int(has_off), _ptr(ju, ctypes.c_ubyte),
           _ptr(vp, dp), _ptr(cl, dp), *extra, float(alpha), float(flmin), _ptr(ulam, dp), nlam, float(thr), int(maxit),
           int(bool(intr)), float(pmin), float(exmx), float(sml), float(devmax), int(mnlam), float(eps), float(big),
           int(ne), _ptr(a0, dp), _ptr(ao, dp), _ptr(almo, dp), _ptr(devo, dp), _ptr(dev0, dp), _ptr(res, ctypes.c_long))
        if int(res[2]) == 10000:
            raise MemoryError("the multinomial C kernel could not allocate its work arrays")
        return int(res[0]), a0, ao, almo, devo, float(dev0[0]), int(res[1]), int(res[2])

    return kernel
