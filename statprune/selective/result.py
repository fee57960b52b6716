"""The result of selective inference: one row per tested term, the conditioning event."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._provenance import provenance
from ..results import TableResult

__all__ = ["SelectiveResult"]

ROW_COLUMNS = ["term", "estimate", "p_value", "ci_lower", "ci_upper", "vlo", "vup", "sign",
               "tailarea_lower", "tailarea_upper", "naive_p_value"]
_REFERENCE = "R selectiveInference 1.2.5 (fixedLassoInf, fsInf, larInf), transcribed numerics"


@dataclass(repr=False)
class SelectiveResult(TableResult):
    """Selective p-values and confidence intervals for the terms of a selected model.

    Attributes
    ----------
    method : str
        ``"fixed-lasso"``, ``"forward-stepwise"`` or ``"lar"``.
    table : DataFrame
        One row per tested term: ``term``, ``estimate`` (the refitted coefficient the
        test is about), ``p_value`` (selective, one-sided in the direction of the
        sign conditioned on, as R reports it), ``ci_lower``, ``ci_upper`` (level
        ``1 - alpha``), ``vlo``, ``vup`` (the truncation interval: the conditioning
        event for this statistic), ``sign``, ``tailarea_lower``/``tailarea_upper``
        (achieved tail areas; close to ``alpha / 2`` when the grid search worked),
        ``naive_p_value`` (refit p-value: not valid after selection).
    selected : list of str
        Terms of the selected model whose selective p-value is at most ``alpha``.
    active : list of str
        Every term of the selected model (the conditioning set).
    pruned : list of str
        Candidate terms not in ``selected``.
    """

    method: str
    family: str
    type: str
    table: pd.DataFrame
    feature_names: list[str]
    alpha: float
    sigma: float | None
    n_rows: int
    conditioning: str
    lambda_: float | None = None
    glmnet_lambda: float | None = None
    k: int | None = None
    khat: int | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def active(self) -> list[str]:
        return [str(t) for t in self.table["term"]]

    @property
    def selected(self) -> list[str]:
        ok = self.table["p_value"].to_numpy(float) <= self.alpha
        return [str(t) for t, s in zip(self.table["term"], ok) if s]

    @property
    def pruned(self) -> list[str]:
        sel = set(self.selected)
        return [f for f in self.feature_names if f not in sel]

    def _details(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "family": self.family,
            "type": self.type,
            "alpha": self.alpha,
            "sigma": self.sigma,
            "lambda": self.lambda_,
            "glmnet_lambda": self.glmnet_lambda,
            "k": self.k,
            "khat": self.khat,
            "conditioning": self.conditioning,
            "rows": self.table_records(),
            "active": self.active,
            "note": "naive_p_value is the refit p-value, not valid after selection; p_value is selective",
        }

    def to_json(self, path: str | os.PathLike[str] | None = None, indent: int | None = 2) -> str:
        """JSON text (written atomically to ``path`` when given).

        An infinite confidence bound (R's ``Inf``: the grid search found no end point)
        is written as ``null``, as every statprune JSON writes non-finite numbers.
        """
        return super().to_json(path, indent)

    def _summary_text(self) -> str:
        head = {"fixed-lasso": "Selective inference for the lasso at fixed lambda (selectiveInference::fixedLassoInf)",
                "forward-stepwise": "Selective inference for forward stepwise (selectiveInference::fsInf)",
                "lar": "Selective inference for least angle regression (selectiveInference::larInf)"}[self.method]
        lines = [head, f"family: {self.family}; type: {self.type}; alpha: {self.alpha:g}"]
        if self.sigma is not None:
            lines.append(f"sigma (specified or estimated): {self.sigma:.6g}")
        if self.lambda_ is not None:
            g = "" if self.glmnet_lambda is None else f" (glmnet lambda {self.glmnet_lambda:.6g} x n)"
            lines.append(f"lambda: {self.lambda_:.6g}{g}")
        if self.khat is not None:
            lines.append(f"estimated stopping point ({'AIC' if self.type == 'aic' else 'ForwardStop'}): {self.khat}")
        lines.append(f"conditioning on: {self.conditioning}")
        lines.append("")
        shown = self.table[["term", "estimate", "p_value", "ci_lower", "ci_upper", "naive_p_value"]]
        lines.append(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        lines.append("")
        lines.append("p_value/ci: selective (valid given the selection); naive_p_value: refit, NOT valid after selection.")
        return "\n".join(lines)

    def _repr_info(self) -> str:
        return f"{self.method}: {len(self.table)} terms, selected={self.selected}"


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The result table of ``rows`` (the columns of :data:`ROW_COLUMNS`, also when empty)."""
    return pd.DataFrame(rows, columns=ROW_COLUMNS) if rows else pd.DataFrame(columns=ROW_COLUMNS)


def row(term: str, estimate: float, pv: float, ci: tuple[float, float], lim_vlo: float, lim_vup: float,
        sign: float, tail: tuple[float, float], naive: float) -> dict[str, Any]:
    """One row of the table: a tested term's estimate, p-value, interval, truncation limits."""
    return {"term": term, "estimate": float(estimate), "p_value": float(pv), "ci_lower": float(ci[0]),
            "ci_upper": float(ci[1]), "vlo": float(lim_vlo), "vup": float(lim_vup), "sign": float(sign),
            "tailarea_lower": float(tail[0]), "tailarea_upper": float(tail[1]), "naive_p_value": float(naive)}


def selective_provenance() -> dict[str, Any]:
    """Provenance of a selective-inference result (numerics transcribed from R; R is not run)."""
    return provenance(with_r=False, reference=_REFERENCE)
