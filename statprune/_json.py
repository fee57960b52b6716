"""JSON text of result dicts (numpy values as plain Python, NaN/inf as ``null``) and the one
way statprune writes an output file.

One conversion (:func:`to_jsonable`: numpy and pandas values as plain Python) serves the CLI
(``--json``) and every result's ``to_json()`` (:class:`statprune.results.Result`). It never
imports numpy or pandas, so ``import statprune.cli`` stays light.

:func:`write_atomic` writes every output (``--json``, ``--out``, ``--save-rds``, ``--plot``,
``to_json(path)``): ``-`` is standard output; a new path or an existing regular file gets a
temporary file in the same folder, flushed and fsync-ed, then renamed over the target (a
reader never sees half a file, a full disk or any failure leaves the old file as it was and
no temporary file behind); an existing character device or FIFO (``/dev/null``, a named pipe)
is written in place, never replaced; a socket, block device or directory is refused.
"""

from __future__ import annotations

import json
import math
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from .errors import ParameterError


def to_jsonable(obj: Any) -> Any:
    """``obj`` as plain JSON values: the one conversion of numpy and pandas values in statprune.

    * dict keys become strings, tuples, sets and arrays become lists (a set sorted);
    * numpy scalars become Python numbers and bools, non-finite floats (and ``pd.NA``,
      ``NaT``) ``None``;
    * a DataFrame becomes its records (one dict per row, index dropped: results keep
      their key column as a column), a Series a dict ``{index: value}``, an Index a list;
    * timestamps become ISO 8601 text, paths their text.

    Anything else is returned unchanged (``json.dumps`` then says what it cannot write).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> to_jsonable({1: np.array([1.5, np.nan]), "n": np.int64(3), "ok": np.bool_(True)})
    {'1': [1.5, None], 'n': 3, 'ok': True}
    >>> to_jsonable(pd.DataFrame({"term": ["a", "b"], "p": [0.5, np.nan]}))
    [{'term': 'a', 'p': 0.5}, {'term': 'b', 'p': None}]
    >>> to_jsonable(pd.Series([1, 2], index=["x", "y"]))
    {'x': 1, 'y': 2}
    """
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return [to_jsonable(v) for v in sorted(obj, key=str)]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, float):  # numpy's float64 too
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, int):
        return obj
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    # numpy and pandas are looked up, not imported: an object of theirs exists only once they
    # are imported, and `import statprune.cli` (whose --version prints JSON) stays light
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(obj, np.ndarray):
            return to_jsonable(obj.tolist())
        if isinstance(obj, np.floating):
            return to_jsonable(float(obj))
        if isinstance(obj, np.integer):
            return int(obj)
        if isinstance(obj, np.bool_):
            return bool(obj)
        if isinstance(obj, np.datetime64):
            return None if np.isnat(obj) else str(obj)
    pd = sys.modules.get("pandas")
    if pd is not None:
        if isinstance(obj, pd.DataFrame):
            return [to_jsonable(r) for r in obj.to_dict(orient="records")]
        if isinstance(obj, pd.Series):
            return to_jsonable(obj.to_dict())
        if isinstance(obj, pd.Index):
            return to_jsonable(obj.tolist())
        if obj is pd.NA or obj is pd.NaT:
            return None
        if isinstance(obj, pd.Timestamp):
            return obj.isoformat()
    return obj


def dumps(obj: Any, indent: int | None = 2, **kwargs: Any) -> str:
    """JSON text of :func:`to_jsonable` of ``obj`` (strict: no ``NaN`` tokens).

    ``kwargs`` go to :func:`json.dumps` (``sort_keys=True``, ...).
    """
    return json.dumps(to_jsonable(obj), indent=indent, allow_nan=False, **kwargs)


def dumps_to(obj: Any, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2) -> str:
    """:func:`dumps` of ``obj``, also written atomically (plus a newline) to ``path`` when given.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "r.json")
    >>> dumps_to({"a": [1, 2]}, p, indent=None)
    '{"a": [1, 2]}'
    >>> open(p).read()
    '{"a": [1, 2]}\\n'
    """
    text = dumps(obj, indent=indent)
    if path is not None:
        write_atomic(path, text + "\n")
    return text


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` without ever leaving a damaged file.

    ``"-"`` writes to standard output. An existing character device or FIFO is written in
    place; a socket, block device or directory raises
    :class:`~statprune.errors.ParameterError`. Anything else (a new path, a regular file, a
    symbolic link to one) gets a temporary file in the target's folder, fsync-ed, then
    renamed over it: on any failure (a full disk, a read-only folder, an interrupt) the old
    file is intact and the temporary file removed. ``OSError`` names ``path``, not the
    temporary file.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> p = write_atomic(os.path.join(d, "out.json"), '{"ok": true}')
    >>> open(p).read()
    '{"ok": true}'
    """
    payload = data if isinstance(data, bytes) else str(data).encode("utf-8")
    if os.fspath(path) == "-":
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a text-only stream (a test runner's capture)
            sys.stdout.write(payload.decode("utf-8", "replace"))
        else:
            out.write(payload)
            out.flush()
        return Path("-")
    target = Path(path)
    try:
        st = os.stat(target)  # follows a symbolic link: a link to /dev/null is a device too
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    if st is not None and not stat.S_ISREG(st.st_mode):
        mode = st.st_mode
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            try:
                with open(target, "wb") as fh:  # in place: the device / pipe stays what it is
                    fh.write(payload)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(target)) from exc
            return target
        kind = ("a socket" if stat.S_ISSOCK(mode) else "a block device" if stat.S_ISBLK(mode)
                else "a directory" if stat.S_ISDIR(mode) else "not a regular file")
        raise ParameterError(f"output path {str(target)!r} is {kind}; statprune writes only to regular files, "
                             "character devices, FIFOs or '-' (stdout): give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    return target


def figure_format(path: str | os.PathLike[str], *, option: str = "path") -> str:
    """The matplotlib format of a figure file from its extension (``png`` when it has none).

    Raises :class:`~statprune.errors.ParameterError` for an extension matplotlib cannot write.

    Examples
    --------
    >>> figure_format("paths.PDF")
    'pdf'
    >>> figure_format("paths.bogus")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    statprune.errors.ParameterError: path 'paths.bogus': matplotlib cannot write '.bogus' figures; ...
    """
    from matplotlib.backend_bases import FigureCanvasBase  # noqa: PLC0415 - deferred: matplotlib only when a figure is serialized

    p = os.fspath(path)
    fmt = os.path.splitext(p)[1].lstrip(".").lower() or "png"
    supported = FigureCanvasBase.get_supported_filetypes()
    if fmt not in supported:
        raise ParameterError(f"{option} {p!r}: matplotlib cannot write '.{fmt}' figures; use one of "
                             f"{', '.join('.' + k for k in sorted(supported))}")
    return fmt
