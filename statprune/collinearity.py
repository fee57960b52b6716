"""Variance inflation factors of a linear model, as ``car::vif(lm(formula, data))`` reports them.

Every model term gets ``GVIF``, ``Df`` and ``GVIF^(1/(2 Df))`` (Fox & Monette's
generalized VIF; see :mod:`statprune.engines.vif` for the formula). Factors and
interactions are single terms with one column per coefficient of R's
``model.matrix`` (treatment contrasts, R's marginality coding), as car's default
``type = "terms"`` treats them. When every term has one column, ``GVIF`` is the
ordinary VIF ``1 / (1 - R_j^2)`` (car then prints a plain vector).

``threshold`` adds VIF pruning: the term with the largest ``GVIF^(1/Df)`` above
it is dropped and the VIFs recomputed, until none exceeds it (the
``stepwise(criterion="vif")`` rule); those terms are ``pruned``, the others
``selected``.

Examples
--------
>>> import statprune
>>> from statprune.datasets import load_mtcars
>>> res = statprune.vif(load_mtcars(), "mpg ~ disp + hp + wt + drat")
>>> res.to_frame()["gvif"].round(6)
term
disp    8.209402
hp      2.894373
wt      5.096601
drat    2.279547
Name: gvif, dtype: float64

The R equivalent is ``car::vif(lm(mpg ~ disp + hp + wt + drat, data = mtcars))``.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._provenance import provenance
from .errors import AliasedError, DataError, ParameterError
from .results import SelectionResult
from .stepwise import stepwise
from .stepwise._setup import _setup  # the same formula, NA and design path as step()

__all__ = ["VIFResult", "vif"]


@dataclass(repr=False)
class VIFResult(SelectionResult):
    """(Generalized) variance inflation factors of one linear model.

    Attributes
    ----------
    terms : DataFrame
        One row per model term (index ``term``): ``gvif``, ``df``, ``gvif_adj``
        (``GVIF^(1/(2 Df))``), ``selected``.
    threshold : float or None
        The ``GVIF^(1/Df)`` pruning threshold, when pruning was asked for.
    dropped : list of str
        Terms pruned, in order, with ``dropped_gvif`` the ``GVIF^(1/Df)`` each had then.
    """

    formula: str
    terms: pd.DataFrame
    n_rows: int
    intercept: bool
    threshold: float | None = None
    dropped: list[str] = field(default_factory=list)
    dropped_gvif: list[float] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def all_one_df(self) -> bool:
        return bool((self.terms["df"] == 1).all())

    @property
    def selected(self) -> list[str]:
        return [t for t in self.terms.index if t not in self.dropped]

    @property
    def pruned(self) -> list[str]:
        return list(self.dropped)

    def to_frame(self) -> pd.DataFrame:
        """``term`` x (``gvif``, ``df``, ``gvif_adj``, ``selected``)."""
        df = self.terms.copy()
        df["selected"] = [t not in self.dropped for t in df.index]
        return df

    def _details(self) -> dict[str, Any]:
        """The keys of ``statprune vif``'s JSON after the common ones."""
        return {
            "method": "vif",
            "formula": self.formula,
            "terms": [{"term": t, "gvif": float(r["gvif"]), "df": int(r["df"]), "gvif_adj": float(r["gvif_adj"])}
                      for t, r in self.terms.iterrows()],
            "all_one_df": self.all_one_df,
            "threshold": self.threshold,
            "dropped": list(self.dropped),
            "dropped_gvif": [float(v) for v in self.dropped_gvif],
            "warnings": list(self.warnings),
        }

    def _summary_text(self) -> str:
        """Text like ``print(car::vif(fit))``: a VIF vector, or the GVIF / Df / GVIF^(1/(2*Df)) table."""
        t = self.terms
        if self.all_one_df:
            body = t[["gvif"]].rename(columns={"gvif": "VIF"}).to_string(float_format=lambda v: f"{v:.6f}")
        else:
            body = t.rename(columns={"gvif": "GVIF", "df": "Df", "gvif_adj": "GVIF^(1/(2*Df))"}).to_string(
                float_format=lambda v: f"{v:.6f}")
        lines = [f"Variance inflation factors: {self.formula} (n = {self.n_rows})", "", body]
        if self.threshold is not None:
            lines += ["", f"pruning at GVIF^(1/Df) > {self.threshold:g}: "
                      + (", ".join(f"{d} ({g:.4g})" for d, g in zip(self.dropped, self.dropped_gvif)) or "nothing dropped")]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def _summary_html(self) -> str:
        return (f"<div><b>Variance inflation factors</b> <code>{html.escape(self.formula)}</code>"
                + self.to_frame().to_html(float_format=lambda v: f"{v:.6g}") + "</div>")

    def _repr_info(self) -> str:
        return f"formula={self.formula!r}, terms={list(self.terms.index)!r}"


def _table(eng: Any, terms: list) -> pd.DataFrame:
    """car's ``vif.default`` table for the model with these terms (engine of statprune.stepwise)."""
    try:
        g, df = eng.gvif(terms)
    except AliasedError as exc:
        raise DataError(f"{exc}: some model columns are linear combinations of others; drop one of them") from None
    return pd.DataFrame({"gvif": g, "df": df, "gvif_adj": g ** (1.0 / (2 * df))},
                        index=pd.Index([eng.label(t) for t in terms], name="term"))


def vif(data: Any, formula: str, *, threshold: float | None = None) -> VIFResult:
    """(G)VIF of every term of ``lm(formula, data)``, as ``car::vif``; optional VIF pruning.

    Parameters
    ----------
    data : DataFrame or path to a CSV/Parquet file
    formula : str
        An R model formula, e.g. ``"prestige ~ income + education + type"``; factors
        and interactions as R codes them.
    threshold : float, optional
        Prune: drop the term with the largest ``GVIF^(1/Df)`` (the VIF for one-column
        terms) while it exceeds ``threshold`` (10 is common), refitting each time.

    Returns
    -------
    VIFResult

    Examples
    --------
    >>> from statprune.datasets import load_boston
    >>> res = vif(load_boston(), "medv ~ .", threshold=5)
    >>> res.dropped
    ['tax']
    >>> round(float(res.terms.loc["rad", "gvif"]), 6)
    7.484496
    """
    if threshold is not None and not (isinstance(threshold, (int, float)) and np.isfinite(threshold) and threshold > 0):
        raise ParameterError(f"threshold must be a positive number, got {threshold!r}")
    if not isinstance(formula, str) or "~" not in formula:
        raise ParameterError(f"formula must be an R formula string like 'y ~ a + b', got {formula!r}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prob = _setup(data, formula, "gaussian", "backward", None, None, None, None)
    msgs = [str(w.message) for w in caught]
    eng = prob.engine
    terms = list(prob.start)
    if len(terms) < 2:
        raise DataError("model contains fewer than 2 terms (car::vif needs at least two)")
    if not eng.intercept:
        msgs.append("No intercept: vifs may not be sensible.")
    table = _table(eng, terms)
    dropped: list[str] = []
    dropped_g: list[float] = []
    if threshold is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = stepwise(prob.data, formula, direction="backward", criterion="vif", threshold=float(threshold))
        dropped, dropped_g = list(res.dropped), [float(v) for v in res.dropped_p]
    return VIFResult(formula=formula, terms=table, n_rows=eng.n, intercept=eng.intercept,
                     threshold=None if threshold is None else float(threshold), dropped=dropped, dropped_gvif=dropped_g,
                     warnings=msgs, provenance=provenance(with_r=False))
