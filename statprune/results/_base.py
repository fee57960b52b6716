"""The base every statprune result shares (statsmodels' results, broom's ``tidy``).

A fitted selection has a result object separate from the estimator. Whatever the
method, a result answers the same calls:

* :meth:`Result.to_dict` -- the JSON document (plain values; ``statprune <command>
  --json`` writes exactly this);
* :meth:`Result.to_json` -- its text, ``to_json(path=None, indent=2)``, written
  atomically to ``path`` when given (:func:`statprune._json.dumps_to`);
* :meth:`Result.to_frame` -- one tidy DataFrame (one row per term, component, size...);
* :meth:`Result.summary` -- a :class:`Summary`: text that prints like R's ``print``
  of the corresponding object and renders as HTML in a notebook;
* ``_repr_html_`` (the notebook view, the summary's HTML) and ``__repr__`` (one line).

A subclass implements :meth:`~Result.to_dict`, :meth:`~Result.to_frame` and
:meth:`~Result._summary_text`; it may refine :meth:`~Result._summary_html` and
:meth:`~Result._repr_info`. :class:`SelectionResult` adds the keys every statprune
JSON starts with (``selected``, ``pruned``, ``n_rows``, ``provenance``), and
:class:`TableResult` the framing of a selection read off one per-term table
(the knockoff filter, selective inference).

Examples
--------
>>> import pandas as pd
>>> from statprune.results import SelectionResult
>>> class Kept(SelectionResult):
...     def __init__(self):
...         self.selected, self.pruned, self.n_rows, self.provenance = ["a"], ["b"], 10, {}
...     def _details(self):
...         return {"method": "demo"}
...     def to_frame(self):
...         return pd.DataFrame({"term": ["a", "b"], "selected": [True, False]})
...     def _summary_text(self):
...         return "Demo selection\\nkept: a"
>>> res = Kept()
>>> res.to_dict()
{'selected': ['a'], 'pruned': ['b'], 'n_rows': 10, 'provenance': {}, 'method': 'demo'}
>>> print(res.to_json(indent=None))
{"selected": ["a"], "pruned": ["b"], "n_rows": 10, "provenance": {}, "method": "demo"}
>>> res
<Kept selected=['a']>
>>> print(res.summary())
Demo selection
kept: a
"""

from __future__ import annotations

import abc
import html
import os
from typing import TYPE_CHECKING, Any, Callable

from .._json import dumps_to, to_jsonable

if TYPE_CHECKING:  # results build their frames; this base only names the type
    import pandas as pd

__all__ = ["Result", "SelectionResult", "Summary", "TableResult"]


class Summary(str):
    """A result's summary: text (it *is* a ``str``) that renders as HTML in a notebook.

    Like statsmodels' ``Summary``: ``print(res.summary())`` shows the text,
    ``as_text()`` / ``as_html()`` give either form, and a notebook shows the HTML.
    Being a ``str``, it compares, searches and splits as the text does.

    Parameters
    ----------
    text : str
        The plain-text summary.
    html : str, optional
        Its HTML form; by default the text in a ``<pre>`` block.

    Examples
    --------
    >>> s = Summary("title\\nbody", html="<p>title</p>")
    >>> "body" in s, s.as_html()
    (True, '<p>title</p>')
    >>> Summary("a < b").as_html()
    '<pre>a &lt; b</pre>'
    """

    _html: str | None

    def __new__(cls, text: str, html: str | None = None) -> Summary:
        obj = super().__new__(cls, text)
        obj._html = html
        return obj

    def as_text(self) -> str:
        """The summary as plain text (a ``str``, not a :class:`Summary`)."""
        return str.__str__(self)

    def as_html(self) -> str:
        """The summary as HTML (a ``<pre>`` block of the text when no HTML form was given)."""
        if self._html is not None:
            return self._html
        return f"<pre>{html.escape(self.as_text(), quote=False)}</pre>"

    def _repr_html_(self) -> str:
        return self.as_html()

    def __repr__(self) -> str:  # the REPL shows the table, not a quoted string
        return self.as_text()

    def __reduce__(self) -> tuple[Any, ...]:
        return (Summary, (self.as_text(), self._html))


class Result(abc.ABC):
    """Base of every statprune result: JSON, a tidy frame, a text/HTML summary.

    Subclasses implement :meth:`to_dict`, :meth:`to_frame` and :meth:`_summary_text`.
    """

    #: how floats print in the default HTML table (:meth:`_summary_html`)
    _html_float_format: Callable[[float], str] | None = staticmethod(lambda v: f"{v:.6g}")

    # ------------------------------------------------------------------ data
    @abc.abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict (the document ``--json`` writes)."""

    @abc.abstractmethod
    def to_frame(self) -> pd.DataFrame:
        """The result as one tidy DataFrame (a copy the caller may change)."""

    def to_json(self, path: str | os.PathLike[str] | None = None, indent: int | None = 2) -> str:
        """JSON text of :meth:`to_dict`; also written atomically to ``path`` when given.

        numpy and pandas values become plain JSON values and non-finite numbers
        (R's ``Inf``, ``NaN``, ``NA``) ``null`` (:func:`statprune._json.to_jsonable`).

        Parameters
        ----------
        path : str or path-like, optional
            A file to write (``"-"``: standard output). The file is replaced atomically:
            a reader never sees half of it.
        indent : int or None
            Indentation of the text; ``None`` for one line.

        Returns
        -------
        str
            The JSON text (without the trailing newline written to ``path``).
        """
        return dumps_to(self.to_dict(), path, indent=indent)

    # ------------------------------------------------------------------ views
    @abc.abstractmethod
    def _summary_text(self) -> str:
        """The text of :meth:`summary` (its first line is the title)."""

    def _summary_html(self) -> str:
        """The HTML of :meth:`summary`: the title, then :meth:`to_frame` as a table."""
        title = html.escape(self._summary_text().split("\n", 1)[0], quote=False)
        table = self.to_frame().to_html(float_format=self._html_float_format)
        return f"<div><p><b>{title}</b></p>{table}</div>"

    def summary(self) -> Summary:
        """The summary of the result: text (``print`` it) that a notebook shows as HTML."""
        return Summary(self._summary_text(), self._summary_html())

    def _repr_html_(self) -> str:
        return self._summary_html()

    def _repr_info(self) -> str:
        """What :meth:`__repr__` shows after the class name (one line)."""
        return ""

    def __repr__(self) -> str:
        info = self._repr_info()
        return f"<{type(self).__name__}{' ' + info if info else ''}>"

    def __str__(self) -> str:
        return self._summary_text()

    @staticmethod
    def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        """The rows of ``frame`` as plain dicts (NaN/inf as ``None``), for :meth:`to_dict`."""
        return to_jsonable(frame)


class SelectionResult(Result):
    """A result that keeps some candidates (``selected``) and prunes the others (``pruned``).

    Its :meth:`to_dict` starts with the keys every statprune JSON starts with --
    ``selected``, ``pruned``, ``n_rows`` (rows the selection saw) and ``provenance``
    (versions and seed, :func:`statprune._provenance.provenance`) -- followed by the
    method's own keys from :meth:`_details`. Subclasses provide ``selected``,
    ``pruned``, ``n_rows`` and ``provenance`` as attributes or properties.
    """

    selected: list[str]
    pruned: list[str]
    n_rows: int
    provenance: dict[str, Any]

    @abc.abstractmethod
    def _details(self) -> dict[str, Any]:
        """The method's own keys of :meth:`to_dict`, after the common ones."""

    def to_dict(self) -> dict[str, Any]:
        """``selected``, ``pruned``, ``n_rows``, ``provenance``, then the method's own keys."""
        return {
            "selected": list(self.selected),
            "pruned": list(self.pruned),
            "n_rows": self.n_rows,
            "provenance": dict(self.provenance),
            **self._details(),
        }

    def _repr_info(self) -> str:
        return f"selected={list(self.selected)!r}"


class TableResult(SelectionResult):
    """A selection read off one table with a row per tested term (``table``).

    :meth:`to_frame` is a copy of ``table`` and the HTML view is the summary's title
    over the table; :meth:`table_records` gives its rows for :meth:`_details`.
    """

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The table, one row per term (a copy)."""
        return self.table.copy()

    def table_records(self) -> list[dict[str, Any]]:
        """The table's rows as plain dicts (non-finite numbers as ``None``)."""
        return self._records(self.table)

    def _summary_html(self) -> str:
        title = html.escape(self._summary_text().split("\n", 1)[0], quote=False)
        return f"<p>{title}</p>" + self.table.to_html(index=False)
