"""JSON text of result dicts: numpy values as plain Python, NaN/inf as ``null``.

One conversion serves the CLI (``--json``) and every result's ``to_json()``. It imports
numpy only when called, so ``import statprune.cli`` stays light.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any


def to_jsonable(obj: Any) -> Any:
    """``obj`` with numpy scalars and arrays made plain and non-finite floats made ``None``.

    Dict keys become strings, tuples and arrays become lists; anything else is returned
    unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> to_jsonable({1: np.array([1.5, np.nan]), "n": np.int64(3), "ok": np.bool_(True)})
    {'1': [1.5, None], 'n': 3, 'ok': True}
    """
    import numpy as np  # noqa: PLC0415 - keeps `import statprune.cli` light

    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def dumps(obj: Any, indent: int | None = 2, **kwargs: Any) -> str:
    """JSON text of :func:`to_jsonable` of ``obj`` (strict: no ``NaN`` tokens).

    ``kwargs`` go to :func:`json.dumps` (``sort_keys=True``, ...).
    """
    return json.dumps(to_jsonable(obj), indent=indent, allow_nan=False, **kwargs)


def dumps_to(obj: Any, path: str | os.PathLike[str] | None = None) -> str:
    """:func:`dumps` of ``obj``, also written atomically (plus a newline) to ``path`` when given."""
    text = dumps(obj)
    if path is not None:
        from ._data import write_atomic  # noqa: PLC0415

        write_atomic(path, text + "\n")
    return text
