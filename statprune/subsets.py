"""Best subset selection with R's ``leaps::regsubsets`` semantics.

:func:`regsubsets` gives, for every model size, the subset of predictor columns
with the smallest residual sum of squares (``method="exhaustive"``, an exact
branch-and-bound), or the subsets of a greedy path (``"forward"``, ``"backward"``,
``"seqrep"``), with the criteria of ``summary(regsubsets(...))``. With ``n`` rows,
``nullrss`` the RSS of the intercept-only model and ``i`` the number of
coefficients of a model (intercept included):

* ``rsq = 1 - rss / nullrss``;
* ``adjr2 = 1 - (rss / nullrss) (n - 1) / (n - i)``;
* ``cp = rss / sigma2 - (n - 2 i)`` with ``sigma2 = RSS(all columns) / (n - 1 - p +
  n_forced_out)`` (leaps' ``sserr / (n - last)``: the full model includes the
  forced-out columns, its degrees of freedom do not);
* ``bic = n log(rss / nullrss) + i log(n)``.

The predictors are every column but the target (``regsubsets(y ~ ., data)``);
factor columns enter as R's treatment dummies (``model.matrix``), each dummy a
variable of its own as in leaps. Rows with missing values are dropped
(``na.omit``), with a warning.

The model chosen by an information criterion after a search over subsets is not
a pre-specified model: its refitted p-values are not valid inference.

Examples
--------
>>> import statprune
>>> from statprune.datasets import load_swiss
>>> res = statprune.regsubsets(load_swiss(), "Fertility")
>>> res.sizes[["rss", "adjr2", "bic"]].round(4)  # doctest: +NORMALIZE_WHITESPACE
            rss   adjr2      bic
size
1     4015.2357  0.4282 -19.6029
2     3054.1687  0.5552 -28.6114
3     2422.2453  0.6390 -35.6564
4     2158.0695  0.6707 -37.2339
5     2105.0429  0.6710 -34.5530
>>> res.best["bic"]
['Agriculture', 'Education', 'Catholic', 'Infant.Mortality']

The R equivalent is ``summary(leaps::regsubsets(Fertility ~ ., data = swiss))``.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._data import read_table
from ._provenance import provenance
from .engines import leaps
from .errors import DataError, ParameterError, SelectionWarning
from .results import SelectionResult
from .stepwise._setup import _quote, _setup  # one formula/design path for lm models

__all__ = ["METHODS", "RegsubsetsResult", "regsubsets"]

METHODS = ("exhaustive", "forward", "backward", "seqrep")
_CRITERIA = ("bic", "cp", "adjr2")
POST_SELECTION_NOTE = (
    "the subset chosen by an information criterion was selected on the same data: p-values of its refit are "
    "not valid inference (selective inference)"
)


@dataclass(repr=False)
class RegsubsetsResult(SelectionResult):
    """Best subsets per size and their criteria, as ``summary(regsubsets(...))`` reports them.

    Attributes
    ----------
    sizes : DataFrame
        One row per model size (number of predictors, intercept not counted):
        ``terms`` (in column order), ``rss``, ``rsq``, ``adjr2``, ``cp``, ``bic``.
    best : dict
        The terms of the size chosen by ``bic`` (smallest), ``cp`` (smallest) and
        ``adjr2`` (largest); the first size on ties, as ``which.min``/``which.max``.
    columns : list of str
        Candidate predictor columns (model-matrix names, R's ``xnames``).
    force_in, force_out : list of str
        Columns in every model / in none.
    """

    target: str
    method: str
    nvmax: int
    columns: list[str]
    force_in: list[str]
    force_out: list[str]
    sizes: pd.DataFrame
    n_rows: int
    nullrss: float
    sigma2: float
    linear_dependencies: list[str] = field(default_factory=list)
    nodes: int | None = None
    warnings: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ derived
    @property
    def best(self) -> dict[str, list[str]]:
        """Terms chosen by ``bic``, ``cp`` and ``adjr2``."""
        s = self.sizes
        return {
            "bic": list(s["terms"].iloc[int(np.argmin(s["bic"].to_numpy()))]),
            "cp": list(s["terms"].iloc[int(np.argmin(s["cp"].to_numpy()))]),
            "adjr2": list(s["terms"].iloc[int(np.argmax(s["adjr2"].to_numpy()))]),
        }

    @property
    def selected(self) -> list[str]:
        """The BIC-best subset (the ``selected`` of the common JSON keys)."""
        return self.best["bic"]

    @property
    def pruned(self) -> list[str]:
        sel = set(self.selected)
        return [c for c in self.columns if c not in sel]

    @property
    def which(self) -> pd.DataFrame:
        """R's ``summary(...)$which`` without the intercept: sizes x columns, True where in the model."""
        rows = [[c in set(t) for c in self.columns] for t in self.sizes["terms"]]
        return pd.DataFrame(rows, index=self.sizes.index, columns=self.columns)

    # ------------------------------------------------------------------ outputs
    def to_frame(self) -> pd.DataFrame:
        """The ``sizes`` table (index ``size``)."""
        return self.sizes.copy()

    def _details(self) -> dict[str, Any]:
        """The keys of ``statprune subsets``'s JSON after the common ones."""
        return {
            "method": self.method,
            "target": self.target,
            "nvmax": self.nvmax,
            "columns": list(self.columns),
            "force_in": list(self.force_in),
            "force_out": list(self.force_out),
            "sizes": [
                {"size": int(k), "terms": list(r["terms"]), "rss": float(r["rss"]), "rsq": float(r["rsq"]),
                 "adjr2": float(r["adjr2"]), "cp": float(r["cp"]), "bic": float(r["bic"])}
                for k, r in self.sizes.iterrows()
            ],
            "best": self.best,
            "nullrss": self.nullrss,
            "sigma2": self.sigma2,
            "linear_dependencies": list(self.linear_dependencies),
            "warnings": list(self.warnings),
            "notes": [POST_SELECTION_NOTE],
        }

    def _summary_text(self) -> str:
        """Text like ``print(summary(regsubsets(...)))``: the ``*`` matrix, then the criteria."""
        w = self.which
        head = f"Subset selection ({self.method}) for {self.target}: {len(self.columns)} variables (and intercept), n = {self.n_rows}"
        forced = []
        if self.force_in:
            forced.append("forced in: " + ", ".join(self.force_in))
        if self.force_out:
            forced.append("forced out: " + ", ".join(self.force_out))
        mat = w.map(lambda v: "*" if v else " ") if hasattr(w, "map") else w.applymap(lambda v: "*" if v else " ")
        mat.index = [f"{k}  ( 1 )" for k in w.index]
        crit = self.sizes[["rss", "rsq", "adjr2", "cp", "bic"]]
        best = self.best
        lines = [head] + forced + ["", mat.to_string(), "", crit.to_string(float_format=lambda v: f"{v:.6g}"), ""]
        lines += [f"best by {c}: " + (", ".join(best[c]) or "(none)") for c in _CRITERIA]
        lines += [f"Warning: {m}" for m in self.warnings]
        lines.append(f"Note: {POST_SELECTION_NOTE}")
        return "\n".join(lines)

    def _summary_html(self) -> str:
        fr = self.sizes.copy()
        fr["terms"] = [", ".join(t) for t in fr["terms"]]
        return (
            f"<div><b>Best subsets</b> ({html.escape(self.method)}) for <code>{html.escape(self.target)}</code>, "
            f"n={self.n_rows}" + fr.to_html(float_format=lambda v: f"{v:.6g}")
            + "<p>" + "; ".join(f"best by {c}: {html.escape(', '.join(t))}" for c, t in self.best.items()) + "</p></div>"
        )

    def _repr_info(self) -> str:
        return f"method={self.method!r}, target={self.target!r}, sizes={len(self.sizes)}, best_bic={self.best['bic']!r}"


# =========================================================================== design
def _design(data: Any, target: str, exclude: Sequence[str] = ()) -> tuple[np.ndarray, np.ndarray, list[str], dict[str, list[str]], int]:
    """Model matrix of ``target ~ .`` without the intercept (R's coding and names)."""
    df = read_table(data)
    if not isinstance(df, pd.DataFrame):
        raise DataError("data must be a pandas DataFrame or a path to a CSV/Parquet file")
    cols = [str(c) for c in df.columns]
    if not isinstance(target, str) or target not in cols:
        raise DataError(f"target column {target!r} is not in the data (columns: {', '.join(cols)})")
    ex = [exclude] if isinstance(exclude, str) else list(exclude)
    missing = [c for c in ex if c not in cols]
    if missing:
        raise DataError(f"exclude: column(s) {missing} are not in the data")
    if target in ex:
        raise ParameterError(f"the target {target!r} cannot be excluded")
    df = df.drop(columns=ex)
    cols = [c for c in cols if c not in ex]
    if len(cols) < 2:
        raise DataError("the data have no predictor column besides the target")
    prob = _setup(df, f"{_quote(target)} ~ .", "gaussian", "backward", None, None, None, None)
    eng = prob.engine
    keys = eng.blocks(prob.start)
    X = eng.matrix(keys)[:, 1:]
    names = eng.column_names(keys)[1:]
    groups: dict[str, list[str]] = {}
    for t, kk in zip(prob.start, keys):
        groups[eng.label(t)] = eng.design.block(*kk)[1]
    return X, eng.y, names, groups, prob.dropped_rows


def _expand(spec: Sequence[str] | str | None, names: list[str], groups: dict[str, list[str]], what: str) -> list[str]:
    if spec is None:
        return []
    items = [spec] if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for it in items:
        if not isinstance(it, str):
            raise ParameterError(f"{what} takes column names, got {it!r}")
        if it in names:
            cand = [it]
        elif it in groups:
            cand = groups[it]
        else:
            shown = ", ".join(list(groups)[:20]) + (", ..." if len(groups) > 20 else "")
            raise ParameterError(f"{what}: {it!r} is not a predictor column (columns: {shown})")
        out += [c for c in cand if c not in out]
    return out


# =========================================================================== API
def regsubsets(
    data: Any,
    target: str,
    method: str = "exhaustive",
    nvmax: int = 8,
    force_in: Sequence[str] | str = (),
    force_out: Sequence[str] | str = (),
    *,
    exclude: Sequence[str] = (),
    really_big: bool = False,
) -> RegsubsetsResult:
    """Best subsets of each size, as ``summary(leaps::regsubsets(target ~ ., data, ...))``.

    Parameters
    ----------
    data : DataFrame or path to a CSV/Parquet file
    target : str
        The numeric response column; every other column is a predictor.
    method : {"exhaustive", "forward", "backward", "seqrep"}
        Exact best subsets (branch and bound), or leaps' forward selection,
        backward elimination or sequential replacement.
    nvmax : int
        Largest subset size (forced-in columns count), default 8 as in leaps.
    force_in, force_out : column names
        Columns in every model / in none (leaps' ``force.in``/``force.out``). A
        factor column name stands for all its dummy columns.
    exclude : column names
        Columns of ``data`` that are not predictors (an identifier such as mtcars' ``model``).
    really_big : bool
        Allow an exhaustive search over more than 50 columns (leaps' ``really.big``).

    Returns
    -------
    RegsubsetsResult

    Examples
    --------
    >>> from statprune.datasets import load_mtcars
    >>> res = regsubsets(load_mtcars().drop(columns="model"), "mpg", method="forward", nvmax=3)
    >>> [r["terms"] for r in res.to_dict()["sizes"]]
    [['wt'], ['cyl', 'wt'], ['cyl', 'hp', 'wt']]
    >>> round(float(res.sizes.loc[3, "cp"]), 6)
    1.146922
    """
    if method not in METHODS:
        raise ParameterError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if isinstance(nvmax, bool) or not isinstance(nvmax, (int, np.integer)) or nvmax < 1:
        raise ParameterError(f"nvmax must be a positive integer, got {nvmax!r}")
    X, y, names, groups, dropped = _design(data, target, exclude)
    msgs: list[str] = []
    if dropped:
        msgs.append(f"{dropped} row(s) with missing values were removed (R's na.omit)")
    n, p = X.shape
    fin = _expand(force_in, names, groups, "force_in")
    fout = _expand(force_out, names, groups, "force_out")
    both = [c for c in fin if c in fout]
    if both:
        raise ParameterError(f"Can't force the same variable in and out: {', '.join(both)}")
    if int(nvmax) <= len(fin):
        raise ParameterError(f"nvmax ({nvmax}) must exceed the number of forced-in columns ({len(fin)})")
    free = [c for c in names if c not in fin and c not in fout]
    if not free:
        raise ParameterError("no free column is left to select (every column is forced in or out)")
    idx = {c: j for j, c in enumerate(names)}
    order = [idx[c] for c in fin + free + fout]  # leaps: order(index)
    Xo = X[:, order]
    dep = leaps.lindep(np.column_stack([np.ones(n), Xo]))[1:]
    dep_names = [names[order[j]] for j in np.flatnonzero(dep)]
    if dep_names:
        bad_in = [c for c in dep_names if c in fin]
        if bad_in:
            raise DataError(f"Linear dependency among variables forced in: {', '.join(bad_in)}")
        msgs.append(f"{len(dep_names)} linear dependencies found: {', '.join(dep_names)} (never entered)")
        warnings.warn(msgs[-1], SelectionWarning, stacklevel=2)
    free_ok = [c for c in free if c not in dep_names]
    if not free_ok:
        raise DataError("every free column is linearly dependent on the forced-in columns")
    nv_total = min(int(nvmax), p, p - len(fout), len(fin) + len(free_ok))
    if len(fin) + len(free_ok) < min(int(nvmax), p - len(fout)) and dep_names:
        msgs.append(f"nvmax reduced to {nv_total}")
    nv = nv_total - len(fin)
    if n - 1 - nv_total <= 0:
        raise DataError(f"{n} rows cannot fit models of {nv_total} columns and an intercept; lower nvmax")
    if method == "exhaustive" and p > 50 and not really_big:
        raise ParameterError("Exhaustive search will be S L O W, must specify really_big=True (more than 50 columns)")
    Xin = X[:, [idx[c] for c in fin]]
    Xfree = X[:, [idx[c] for c in free_ok]]
    R1, b1, e = leaps.reduce(Xin, Xfree, y)
    ones_in = np.column_stack([np.ones(n), Xin])
    # RSS of every column (forced-out ones too), dependent columns left out: leaps' sserr
    indep = [order[j] for j in range(p) if not dep[j]]
    sserr = leaps.rss_of(np.column_stack([np.ones(n), X[:, indep]]), y)
    # the reduced problem carries everything beyond the forced columns: base = RSS(forced) - ||b1||^2
    base = leaps.rss_of(ones_in, y) - float(b1 @ b1)
    nodes = None
    if method == "exhaustive":
        sets, nodes = leaps.exhaustive(R1, b1, max(base, 0.0), nv)
    else:
        # leaps' tolerance per variable: 5e-10 * column sum of |R| in the design order
        _, Rall = np.linalg.qr(np.column_stack([ones_in, Xfree]), mode="reduced")
        tol = leaps.LINDEP_EPS * np.abs(Rall).sum(axis=0)[1 + len(fin):]
        sets = leaps.sequential(method, R1, b1, base, tol, nv)
    yc = y - y.mean()
    nullrss = float(yc @ yc)
    last = 1 + p - len(fout)
    sigma2 = sserr / (n - last) if n > last else math.nan
    rows = []
    for s, S in enumerate(sets, start=1):
        in_model = set(fin) | {free_ok[j] for j in S}
        terms = [c for c in names if c in in_model]
        rss = leaps.rss_of(np.column_stack([ones_in, Xfree[:, list(S)]]), y)
        i = len(fin) + s + 1
        vr = rss / nullrss
        rows.append({"size": len(fin) + s, "terms": terms, "rss": rss, "rsq": 1 - vr, "adjr2": 1 - vr * (n - 1) / (n - i),
                     "cp": rss / sigma2 - (n - 2 * i), "bic": n * math.log(vr) + i * math.log(n)})
    sizes = pd.DataFrame(rows).set_index("size")
    return RegsubsetsResult(
        target=target, method=method, nvmax=int(nvmax), columns=names, force_in=fin, force_out=fout, sizes=sizes,
        n_rows=n, nullrss=nullrss, sigma2=sigma2, linear_dependencies=dep_names, nodes=nodes, warnings=msgs,
        provenance=provenance(with_r=False),
    )
