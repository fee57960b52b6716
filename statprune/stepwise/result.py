"""The result of a stepwise selection: R's ``fit$anova`` path and the final model."""

from __future__ import annotations

import gzip
import html
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import _backend_r
from .._glmnet.families import class_levels
from .._json import write_atomic
from .._text import anova_text
from ..engines.stepwise.engine import Engine
from ..errors import ParameterError
from ..results import SelectionResult
from ._setup import _family_spec

__all__ = ["StepwiseResult"]


@dataclass(repr=False)
class StepwiseResult(SelectionResult):
    """The path and the final model of a stepwise selection.

    Attributes
    ----------
    steps : DataFrame
        R's ``fit$anova``: ``Step`` (``""``, ``"- term"``, ``"+ term"``), ``Df``,
        ``Deviance``, ``Resid. Df``, ``Resid. Dev``, ``AIC`` (the criterion with ``k``).
    final_terms : list of str
        Term labels of the final model, in R's order.
    final_model : statsmodels results
        ``OLS``/``GLM`` refit of the final model (aliased columns left out).
    coefficients, pvalues : Series
        R's ``summary()`` of the final model; aliased coefficients are NaN (R's ``NA``).
    dropped, dropped_p : list
        For p-value rules, the terms removed in order and the p-value each had.
    history : list of DataFrame
        The ``drop1``/``add1`` table R printed at each step (``trace = 1``).
    """

    formula: str
    family: str
    direction: str
    criterion: str
    k: float
    threshold: float | None
    test: str | None
    steps: pd.DataFrame
    initial_terms: list[str]
    final_terms: list[str]
    final_formula: str
    coef_table: pd.DataFrame
    n: int
    forced_terms: list[str] = field(default_factory=list)
    candidate_terms: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    dropped_p: list[float] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    added_p: list[float] = field(default_factory=list)
    history: list[pd.DataFrame] = field(default_factory=list)
    final_tests: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)
    collation: str = "C"
    weights: str | None = None
    offset: str | None = None
    theta: float | None = None
    _problem: Any = field(default=None, repr=False)
    _final: Any = field(default=None, repr=False)
    _final_order: Any = field(default=None, repr=False)
    _final_model: Any = field(default=None, repr=False)

    # ------------------------------------------------------------------ accessors
    @property
    def selected(self) -> list[str]:
        """The terms of the final model (``final_terms``)."""
        return list(self.final_terms)

    @property
    def pruned(self) -> list[str]:
        """The terms of the starting model that the selection removed."""
        return [t for t in self.initial_terms if t not in self.final_terms]

    @property
    def n_rows(self) -> int:
        """Rows of the fit (after R's ``na.omit``)."""
        return self.n

    @property
    def coefficients(self) -> pd.Series:
        return self.coef_table["Estimate"]

    @property
    def pvalues(self) -> pd.Series:
        return self.coef_table.iloc[:, 3]

    @property
    def aic(self) -> float:
        return float(self.steps["AIC"].iloc[-1])

    @property
    def final_model(self) -> Any:
        """The statsmodels results object of the final model (fitted on first access)."""
        if self._final_model is None:
            self._final_model = _statsmodels_fit(self._problem.engine, self._final, self._final_order)
        return self._final_model

    def r_code(self, data: str = "data.csv") -> str:
        """The R call that gives this selection: ``step()`` from the same start and scope.

        ``data`` is the file name written into the code (``read.csv(data, stringsAsFactors =
        TRUE)``). The code runs as is in R for the AIC/BIC rules (``k``); for the p-value,
        VIF and coefficient rules (not in base R) it refits the final model and prints it.
        """
        fam, link, theta = _family_spec(self.family, None)
        model = "lm" if fam == "gaussian" and link in (None, "identity") else (
            "MASS::glm.nb" if fam == "glm.nb" else "glm")
        fam_arg = ""
        if model == "glm":
            fam_arg = (f", family = MASS::negative.binomial({theta:g})" if fam == "negative.binomial"
                       else f", family = {fam}" if link is None else f', family = {fam}(link = "{link}")')
        extra = "".join(f", {k} = {v}" for k, v in (("weights", self.weights), ("offset", self.offset)) if v)
        lines = [f'd <- read.csv("{data}", stringsAsFactors = TRUE)']
        if self.criterion in ("aic", "bic"):
            start = self.formula
            lines.append(f"fit0 <- {model}({start}, data = d{fam_arg}{extra})")
            k = "log(nrow(d))" if self.criterion == "bic" else f"{self.k:.17g}"
            lines.append(f'fit <- step(fit0, direction = "{self.direction}", k = {k})')
        else:
            lines.append(f"# {self.criterion} pruning is statprune's rule; the final model it chose:")
            lines.append(f"fit <- {model}({self.final_formula}, data = d{fam_arg}{extra})")
        lines += ["fit$anova", "summary(fit)"]
        return "\n".join(lines) + "\n"

    def save_rds(self, path: Any) -> Any:
        """Write the final model as R's ``step()`` returns it, for ``readRDS()`` in R.

        The file holds the ``lm`` (gaussian) or ``glm`` (``MASS::glm.nb``) fit of the final model,
        refitted by R on the rows the selection used, with ``$anova`` the path (``Step``, ``Df``,
        ``Deviance``, ``Resid. Df``, ``Resid. Dev``, ``AIC``) and ``$call`` naming the data ``d``.
        Written atomically (as :meth:`LassoResult.save_rds`). Needs R.
        """
        if self._problem is None:
            raise ParameterError("save_rds() needs the data of the selection; this result does not hold it")
        fam, link, theta = _family_spec(self.family, None)
        data = self._problem.data.copy()
        for c in data.columns:  # text columns: factors with the levels in the order statprune used
            if data[c].dtype == object or pd.api.types.is_string_dtype(data[c].dtype):
                levels = class_levels(data[c].dropna().astype(str), collation=self.collation)
                data[c] = pd.Categorical(data[c].astype(str), categories=levels)
        anova = self.steps.copy()
        anova.columns = ["Step", "Df", "Deviance", "Resid. Df", "Resid. Dev", "AIC"]
        stream = _backend_r.stepwise_rds(data, self.final_formula, fam, link, anova, self.weights, self.offset, theta)
        write_atomic(path, gzip.compress(stream, compresslevel=6, mtime=0))
        return path

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate term.

        Columns: ``selected``, ``forced`` (lower scope), ``step`` (row of ``steps`` where
        it left or entered), ``aic_if_dropped`` (criterion change when a selected term
        is dropped from the final model, ``drop1``; positive = the term earns its place),
        ``p_value`` (p-value rules: the p-value at removal/entry; otherwise the final
        model's ``drop1`` test of a selected term, not valid inference after selection).
        """
        rows = []
        when: dict[str, int] = {}
        for i, s in enumerate(self.steps["Step"]):
            if s:
                when[s[2:]] = i
        dp = dict(zip(self.dropped, self.dropped_p))
        ap = dict(zip(self.added, self.added_p))
        ft = self.final_tests
        pcol = None
        if ft is not None:
            pc = [c for c in ft.columns if c.startswith("Pr(")]
            pcol = pc[0] if pc else None
        for t in self.candidate_terms:
            sel = t in self.final_terms
            p = np.nan
            if t in dp and not sel:
                p = dp[t]
            elif t in ap and sel:
                p = ap[t]
            elif sel and ft is not None and pcol is not None and t in ft.index:
                p = ft.loc[t, pcol]
            delta = np.nan
            if sel and ft is not None and t in ft.index and "AIC" in ft.columns:
                delta = float(ft.loc[t, "AIC"] - ft["AIC"].iloc[0])
            rows.append(
                {
                    "term": t,
                    "selected": sel,
                    "forced": t in self.forced_terms,
                    "step": when.get(t, pd.NA),
                    "aic_if_dropped": delta,
                    "p_value": p,
                }
            )
        return pd.DataFrame(rows, columns=["term", "selected", "forced", "step", "aic_if_dropped", "p_value"])

    def _details(self) -> dict[str, Any]:
        """The keys of the CLI's JSON document after ``selected``, ``pruned``, ``n_rows``, ``provenance``."""
        st = []
        for _, r in self.steps.iterrows():
            st.append(
                {
                    "step": r["Step"],
                    "df": _intish(r["Df"]),
                    "deviance": _num(r["Deviance"]),
                    "resid_df": _intish(r["Resid. Df"]),
                    "resid_dev": _num(r["Resid. Dev"]),
                    "aic": _num(r["AIC"]),
                }
            )
        out: dict[str, Any] = {
            "formula": self.formula,
            "family": self.family,
            "direction": self.direction,
            "criterion": self.criterion,
            "k": self.k,
            "threshold": self.threshold,
            "test": self.test,
            "n": self.n,
            "collation": self.collation,
            "weights": self.weights,
            "offset": self.offset,
            "theta": _num(self.theta) if self.theta is not None else None,
            "steps": st,
            "initial_terms": list(self.initial_terms),
            "final_terms": list(self.final_terms),
            "final_formula": self.final_formula,
            "forced_terms": list(self.forced_terms),
            "coefficients": {k: _num(v) for k, v in self.coefficients.items()},
            "pvalues": {k: _num(v) for k, v in self.pvalues.items()},
            "aliased": [k for k, v in self.coefficients.items() if not np.isfinite(v)],
        }
        if self.criterion in ("pvalue", "adjusted", "vif", "stdcoef"):
            out["dropped"] = list(self.dropped)
            out["dropped_p"] = [_num(p) for p in self.dropped_p]
            if self.added:
                out["added"] = list(self.added)
                out["added_p"] = [_num(p) for p in self.added_p]
        out["warnings"] = list(self.warnings)
        out["notes"] = list(self.notes)
        return out

    def _summary_text(self) -> str:
        """Text like R's ``print(fit$anova)`` followed by ``summary(fit)``'s coefficient table."""
        lines = ["Stepwise Model Path", "Analysis of Deviance Table", "", "Initial Model:"]
        resp = self.formula.split("~")[0].strip()
        lines.append(f"{resp} ~ " + (" + ".join(self.initial_terms) or "1"))
        lines += ["", "Final Model:", self.final_formula, ""]
        lines.append(anova_text(self.steps.set_index("Step"), index_name=""))
        extra = "".join([
            f", weights: {self.weights}" if self.weights else "",
            f", offset: {self.offset}" if self.offset else "",
            f", theta = {self.theta:.6g}" if self.theta is not None else "",
        ])
        lines += ["", f"criterion: {self.criterion} (k = {self.k:.6g}), family: {self.family}, n = {self.n}{extra}",
                  f"factor levels ordered by collation {self.collation!r}"
                  + (" (code points, R under LC_COLLATE=C)" if self.collation == "C" else " (R in an English locale)"), ""]
        lines.append("Coefficients:")
        lines.append(anova_text(self.coef_table, index_name=""))
        if self.dropped:
            lines += ["", "Dropped: " + ", ".join(f"{t} (p = {p:.4g})" if np.isfinite(p) else t for t, p in zip(self.dropped, self.dropped_p))]
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        for nt in self.notes:
            lines.append(f"Note: {nt}")
        return "\n".join(lines)

    def _summary_html(self) -> str:
        parts = [
            f"<div><b>Stepwise selection</b> ({html.escape(self.criterion)}, {html.escape(self.family)}, "
            f"direction={html.escape(self.direction)}, k={self.k:.4g})",
            f"<p>Final model: <code>{html.escape(self.final_formula)}</code></p>",
            self.steps.to_html(index=False, na_rep="", float_format=lambda v: f"{v:.6g}"),
            self.coef_table.to_html(na_rep="NA", float_format=lambda v: f"{v:.6g}"),
        ]
        parts += [f"<p><i>{html.escape(n)}</i></p>" for n in self.notes]
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_info(self) -> str:
        return (f"criterion={self.criterion!r} family={self.family!r} direction={self.direction!r} "
                f"steps={len(self.steps) - 1} final_formula={self.final_formula!r}")


def _num(v: Any) -> Any:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    if not math.isfinite(f):
        return None
    return int(f) if isinstance(v, (int, np.integer)) else f


def _intish(v: Any) -> Any:
    f = _num(v)
    return int(f) if isinstance(f, float) and f.is_integer() else f


def _statsmodels_fit(engine: Engine, terms: Sequence[frozenset], var_order: Any = None) -> Any:
    """The final model as a statsmodels results object (R's ``NA`` columns left out).

    Prior weights are statsmodels' ``var_weights`` (R's ``weights``), the offset its ``offset``;
    a ``glm.nb`` model is a ``NegativeBinomial(alpha = 1/theta)`` GLM at R's theta.
    """
    import statsmodels.api as sm  # noqa: PLC0415 - heavy (~1 s); only the final model's object needs it

    tab = engine.coef_table(terms, var_order)
    X = tab.attrs["X"]
    keep = np.isfinite(tab["Estimate"].to_numpy())
    exog = pd.DataFrame(X[:, keep], columns=list(tab.index[keep]))
    if engine.is_lm:
        y = engine.y if engine.offset is None else engine.y - engine.offset
        if engine.weights is not None:
            return sm.WLS(y, exog, weights=engine.weights).fit()
        return sm.OLS(y, exog).fit()
    L = sm.families.links
    links = {"logit": L.Logit, "probit": L.Probit, "cauchit": L.Cauchy, "cloglog": L.CLogLog, "log": L.Log,
             "identity": L.Identity, "inverse": L.InversePower, "sqrt": L.Sqrt, "1/mu^2": L.InverseSquared}
    fam = engine.fam
    link = links[fam.link]()  # type: ignore[union-attr]
    F = sm.families
    if fam.name == "negative.binomial":  # type: ignore[union-attr]
        theta = engine.glm(engine.blocks(terms), engine._theta_of.get(tuple(engine.blocks(terms)))).theta or fam.theta  # type: ignore[union-attr]
        smfam = F.NegativeBinomial(link=link, alpha=1.0 / float(theta))
    else:
        cls = {"binomial": F.Binomial, "poisson": F.Poisson, "Gamma": F.Gamma, "gaussian": F.Gaussian,
               "inverse.gaussian": F.InverseGaussian}[fam.name]  # type: ignore[union-attr]
        smfam = cls(link=link)
    model = sm.GLM(engine.y, exog, family=smfam, var_weights=engine.weights, offset=engine.offset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(start_params=tab["Estimate"].to_numpy()[keep], maxiter=100, tol=1e-10)
