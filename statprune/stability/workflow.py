"""A data file in, a stability selection and its figure out: what the CLI (and a script) calls."""

from __future__ import annotations

import io
import os
from typing import Any, Literal, Sequence

from .._data import prepare_xy
from .._json import figure_format, write_atomic
from ..plotting.stability import StabilityPathDisplay
from .result import StabilityResult
from .selection import stabsel

__all__ = ["stability_selection", "save_stability_plot"]


def save_stability_plot(result: StabilityResult, path: str | os.PathLike[str], *, option: str = "plot") -> str:
    """Draw the stability paths of ``result`` and write them to ``path`` atomically; returns the format.

    The format follows the extension (``png`` without one); an extension matplotlib
    cannot write raises :class:`~statprune.errors.ParameterError` naming ``option``.
    """
    fmt = figure_format(path, option=option)
    # deferred: matplotlib only when a figure is written; the Agg backend needs no display
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    disp = StabilityPathDisplay.from_result(result).plot()
    buf = io.BytesIO()
    disp.figure_.savefig(buf, format=fmt, bbox_inches="tight")
    import matplotlib.pyplot as plt  # noqa: PLC0415 - as above

    plt.close(disp.figure_)
    write_atomic(path, buf.getvalue())
    return fmt


def stability_selection(
    data: Any,
    target: str,
    *,
    exclude: Sequence[str] = (),
    drop_missing: bool = False,
    categorical: Literal["error", "encode"] = "error",
    plot: str | os.PathLike[str] | None = None,
    plot_option: str = "plot",
    **options: Any,
) -> StabilityResult:
    """Stability selection of the columns of a table (a CSV/Parquet path or a DataFrame) for ``target``.

    The table is read and checked by the shared data rules (``exclude``,
    ``drop_missing``, ``categorical="encode"`` for R's treatment dummies), then
    :func:`~statprune.stability.stabsel` runs with ``options`` (``q``, ``cutoff``,
    ``pfer``, ``B``, ``family``, ``engine``, ``seed``, ...). With ``plot`` the
    stability paths are written there (format from the extension, checked before the
    analysis runs; ``plot_option`` names the argument in that message).
    ``result.n_samples`` is the number of rows used.

    Examples
    --------
    >>> from statprune.datasets import load_boston
    >>> res = stability_selection(load_boston(), "medv", q=4, pfer=1, B=5, seed=1, engine="sklearn")
    >>> res.n_samples, "rm" in res.selected
    (506, True)
    """
    if plot is not None:  # refuse an unknown figure format before the analysis, not after it
        figure_format(plot, option=plot_option)
    prep = prepare_xy(data, target, exclude=exclude, drop_missing=drop_missing, categorical=categorical)
    res = stabsel(prep.X, prep.y, **options)
    if plot is not None:
        save_stability_plot(res, plot, option=plot_option)
    return res
