"""The search rules of :func:`statprune.stepwise`: R's ``step()`` loop and statprune's own rules.

- :func:`_step_aic`: ``step()`` (and ``MASS::stepAIC``) line by line: ``<none>`` first, then
  drops in term order, then adds in scope order, a stable sort on AIC, and the stop when the
  refitted AIC is not better by more than ``1e-7``.
- :func:`_step_pvalue`: backward elimination by the largest ``drop1`` p-value, or forward
  entry by the smallest ``add1`` p-value.
- :func:`_one_shot`: every term of the full fit tested once, p-values adjusted.
- :func:`_coef_rule`: repeated pruning by generalized VIF or standardized coefficient.

Each returns the path (``models``), the final terms and the tables it looked at.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._text import anova_text
from ..engines.stepwise.engine import Engine, ModelInfo
from ..engines.stepwise.formula import add_scope, drop_scope, sort_terms, term_label
from ..errors import AliasedError
from ._setup import _check_fit, _formula_text, _Problem

_STEP_COLUMNS = ["Step", "Df", "Deviance", "Resid. Df", "Resid. Dev", "AIC"]


def _start_fit(prob: _Problem, k: float, *, with_upper: bool) -> tuple[list[frozenset], ModelInfo]:
    """The starting model's terms and its fit, checked; ``with_upper`` also prepares the full scope."""
    eng = prob.engine
    fit = list(prob.start)
    eng.prepare([fit, sort_terms(list(dict.fromkeys(fit + prob.upper)))] if with_upper else [fit])
    info = eng.info(fit, k)
    _check_fit(eng, fit, info)
    return fit, info


def _row(change: str, info: ModelInfo) -> dict[str, Any]:
    return {"change": change, "deviance": info.deviance, "df_resid": info.df_resid, "AIC": info.aic}


class _Labels:
    """R's term labels as the model is updated.

    ``update.formula`` rebuilds the formula from the current term labels and
    appends the new term, and ``terms()`` orders the variables by first
    appearance in that text; an interaction's label follows that order
    (``breaks ~ tension + wool`` plus ``wool:tension`` is labelled ``tension:wool``).
    """

    def __init__(self, var_order: Sequence[str], response: str | None) -> None:
        self.scope_order = list(var_order)  # the upper/lower scope formulas' order
        self.order = list(var_order)
        self.response = response

    def __call__(self, t: frozenset) -> str:
        return term_label(t, self.order)

    def scope(self, t: frozenset) -> str:
        return term_label(t, self.scope_order)

    def _vars(self, t: frozenset, order: Sequence[str]) -> list[str]:
        pos = {v: i for i, v in enumerate(order)}
        return sorted(t, key=lambda v: (pos.get(v, len(pos)), v))

    def update(self, terms: Sequence[frozenset], added: frozenset | None) -> None:
        seq: list[str] = [self.response] if self.response else []
        for t in terms:
            seq += self._vars(t, self.order)
        if added is not None:
            seq += self._vars(added, self.scope_order)
        new = list(dict.fromkeys(seq))
        self.order = new + [v for v in self.order if v not in new]


def _apply(terms: list[frozenset], change: str, lookup: dict[str, frozenset], labels: _Labels | None = None) -> list[frozenset]:
    sign, lab = change[0], change[2:]
    t = lookup[lab]
    if sign == "-":
        return [u for u in terms if u != t]
    if labels is not None:
        labels.update(terms, t)
    return sort_terms(list(terms) + [t])


def _stable_order(aic: np.ndarray) -> np.ndarray:
    key = np.where(np.isnan(aic), np.inf, aic)
    o = np.argsort(key, kind="stable")
    # NaN last (after +inf) as R's order(na.last = TRUE)
    nan = np.isnan(aic[o])
    return np.concatenate([o[~nan], o[nan]])


def _print_table(tab: pd.DataFrame) -> None:
    print(anova_text(tab))
    print()


def _step_aic(
    prob: _Problem, direction: str, k: float, max_steps: int, trace: bool, no_forward: bool = False
) -> dict[str, Any]:
    """R's ``step()`` loop, line by line (``stepAIC``'s for a ``glm.nb`` model: the same loop)."""
    eng = prob.engine
    backward = direction in ("both", "backward")
    forward = direction in ("both", "forward") and not no_forward
    lab = _Labels(eng.var_order, prob.formula.response)
    fit, info = _start_fit(prob, k, with_upper=True)
    if trace:
        print(f"Start:  AIC={info.aic:.2f}\n{_formula_text(prob, fit, lab)}\n")
    models = [_row("", info)]
    history: list[pd.DataFrame] = []
    steps = max_steps
    rejected = False
    while steps > 0:
        steps -= 1
        aic_prev = info.aic
        sc_drop = drop_scope(fit, prob.lower)
        sc_add = add_scope(fit, prob.upper)
        aod = None
        change = None
        lookup = {lab(t): t for t in fit} | {lab.scope(t): t for t in sc_add}
        if backward and sc_drop:
            aod = eng.drop1(fit, sc_drop, k, labels=[lab(t) for t in sc_drop])
            aod.index = ["<none>"] + ["- " + r for r in aod.index[1:]]
            zdf = (aod["Df"] == 0) & aod["Df"].notna()
            if zdf.any():
                change = list(aod.index[zdf.to_numpy()])[-1]
        if change is None:
            if forward and sc_add:
                aodf = eng.add1(fit, sc_add, k, labels=[lab.scope(t) for t in sc_add])
                aodf.index = ["<none>"] + ["+ " + r for r in aodf.index[1:]]
                aod = aodf if aod is None else pd.concat([aod, aodf.iloc[1:]])
            if aod is None:
                break
            nz = (aod["Df"] != 0) | aod["Df"].isna()
            aod = aod[nz.to_numpy()]
            if aod.shape[1] == 0:
                break
            o = _stable_order(aod["AIC"].to_numpy(float))
            history.append(aod.iloc[o])
            if trace:
                _print_table(aod.iloc[o])
            if o[0] == 0:
                break
            change = str(aod.index[o[0]])
        fit = _apply(fit, change, lookup, lab)
        info = eng.info(fit, k)
        if trace:
            print(f"\nStep:  AIC={info.aic:.2f}\n{_formula_text(prob, fit, lab)}\n")
        if info.aic >= aic_prev + 1e-7:
            rejected = True
            break
        models.append(_row(change, info))
    return {"models": models, "fit": fit, "history": history, "rejected": rejected, "labels": lab}


def _pcol(tab: pd.DataFrame) -> str:
    for c in ("Pr(>F)", "Pr(>Chi)"):
        if c in tab.columns:
            return c
    raise RuntimeError("no p-value column")  # pragma: no cover


def _step_pvalue(
    prob: _Problem, direction: str, k: float, threshold: float, test: str, max_steps: int, trace: bool
) -> dict[str, Any]:
    """Backward elimination by the largest ``drop1`` p-value / forward entry by the smallest ``add1`` p-value."""
    eng = prob.engine
    lab = _Labels(eng.var_order, prob.formula.response)
    fit, info = _start_fit(prob, k, with_upper=True)
    models = [_row("", info)]
    history: list[pd.DataFrame] = []
    moved: list[str] = []
    moved_p: list[float] = []
    steps = max_steps
    while steps > 0:
        steps -= 1
        if direction == "backward":
            sc = drop_scope(fit, prob.lower)
            if not sc:
                break
            lookup = {lab(t): t for t in fit}
            tab = eng.drop1(fit, sc, k, test=test, labels=[lab(t) for t in sc])
            history.append(tab)
            if trace:
                _print_table(tab)
            dfs = tab["Df"].to_numpy(float)[1:]
            zero = np.flatnonzero(dfs == 0)
            if zero.size:  # aliased term: no test possible, dropped first as step() does
                i = int(zero[-1])
                p = float("nan")
            else:
                pv = tab[_pcol(tab)].to_numpy(float)[1:]
                if np.all(np.isnan(pv)):
                    break
                i = int(np.nanargmax(pv))
                p = float(pv[i])
                if not p > threshold:
                    break
            change = "- " + str(tab.index[1 + i])
        else:
            sc = add_scope(fit, prob.upper)
            if not sc:
                break
            lookup = {lab.scope(t): t for t in sc}
            tab = eng.add1(fit, sc, k, test=test, labels=[lab.scope(t) for t in sc])
            history.append(tab)
            if trace:
                _print_table(tab)
            pv = tab[_pcol(tab)].to_numpy(float)[1:]
            if np.all(np.isnan(pv)):
                break
            i = int(np.nanargmin(pv))
            p = float(pv[i])
            if not p < threshold:
                break
            change = "+ " + str(tab.index[1 + i])
        fit = _apply(fit, change, lookup, lab)
        info = eng.info(fit, k)
        models.append(_row(change, info))
        moved.append(change[2:])
        moved_p.append(p)
    return {"models": models, "fit": fit, "history": history, "moved": moved, "moved_p": moved_p, "labels": lab}


def _one_shot(prob: _Problem, k: float, threshold: float, test: str, adjust: str) -> dict[str, Any]:
    """Test every term of the full fit once, adjust the p-values, drop those above ``threshold``."""
    from statsmodels.stats.multitest import multipletests  # noqa: PLC0415 - statsmodels is heavy; this rule alone needs it

    eng = prob.engine
    lookup = {eng.label(t): t for t in prob.upper + prob.start + prob.lower}
    fit, info = _start_fit(prob, k, with_upper=False)
    models = [_row("", info)]
    sc = [t for t in fit if t not in prob.lower]
    if not sc:
        return {"models": models, "fit": fit, "history": [], "moved": [], "moved_p": []}
    tab = eng.drop1(fit, sc, k, test=test)
    p = tab[_pcol(tab)].to_numpy(float)[1:]
    ok = ~np.isnan(p)
    padj = np.full(len(p), np.nan)
    if ok.any():
        padj[ok] = multipletests(p[ok], alpha=threshold, method=adjust)[1]
    tab = tab.copy()
    tab["p.adjust"] = np.r_[np.nan, padj]
    drop = [t for t, pa in zip(sc, padj) if not (pa <= threshold)]
    # keep marginality: a term stays when a kept term contains it
    kept = [t for t in fit if t not in drop]
    drop = [t for t in drop if not any(t < u for u in kept)]
    moved, moved_p = [], []
    for t, pa in zip(sc, padj):
        if t in drop:
            change = "- " + eng.label(t)
            fit = _apply(fit, change, lookup)
            info = eng.info(fit, k)
            models.append(_row(change, info))
            moved.append(eng.label(t))
            moved_p.append(float(pa))
    return {"models": models, "fit": fit, "history": [tab], "moved": moved, "moved_p": moved_p}


def _gvif(eng: Engine, terms: Sequence[frozenset]) -> dict[frozenset, float]:
    """Generalized VIF (car's ``vif.default``, :mod:`statprune.engines.vif`) of each term, on a VIF's scale: GVIF^(1/df).

    A one-term model has GVIF 1; a rank-deficient model gives every term an infinite GVIF.
    """
    if len(terms) < 2:
        return {t: 1.0 for t in terms}
    try:
        g, df = eng.gvif(terms)
    except AliasedError:
        return {t: float("inf") for t in terms}
    return {t: float(gi ** (1.0 / di)) for t, gi, di in zip(terms, g, df)}


def _stdcoef(eng: Engine, terms: Sequence[frozenset]) -> dict[frozenset, float]:
    """Largest |standardized coefficient| of each term's columns: |b| sd(x) / sd(y) (gaussian) or |b| sd(x)."""
    tab = eng.coef_table(terms)
    keys = eng.blocks(terms)
    sdy = float(np.std(eng.y, ddof=1)) if eng.is_lm else 1.0
    out: dict[frozenset, float] = {}
    for t, kk in zip(terms, keys):
        X, names = eng.design.block(*kk)
        b = tab.loc[names, "Estimate"].to_numpy(float)
        s = np.abs(b) * X.std(axis=0, ddof=1) / sdy
        s = s[np.isfinite(s)]
        out[t] = float(s.max()) if s.size else 0.0
    return out


def _coef_rule(prob: _Problem, k: float, threshold: float, rule: str, max_steps: int) -> dict[str, Any]:
    eng = prob.engine
    lookup = {eng.label(t): t for t in prob.upper + prob.start + prob.lower}
    fit, info = _start_fit(prob, k, with_upper=False)
    models = [_row("", info)]
    moved, moved_p, history = [], [], []
    steps = max_steps
    while steps > 0 and fit:
        steps -= 1
        sc = drop_scope(fit, prob.lower)
        if not sc:
            break
        vals = _gvif(eng, fit) if rule == "vif" else _stdcoef(eng, fit)
        tab = pd.DataFrame({"GVIF^(1/Df)" if rule == "vif" else "std. coef": [vals[t] for t in sc]}, index=[eng.label(t) for t in sc])
        history.append(tab)
        v = tab.iloc[:, 0].to_numpy(float)
        if rule == "vif":
            i = int(np.argmax(v))
            if not v[i] > threshold:
                break
        else:
            i = int(np.argmin(v))
            if not v[i] < threshold:
                break
        change = "- " + str(tab.index[i])
        fit = _apply(fit, change, lookup)
        info = eng.info(fit, k)
        models.append(_row(change, info))
        moved.append(change[2:])
        moved_p.append(float(v[i]))
    return {"models": models, "fit": fit, "history": history, "moved": moved, "moved_p": moved_p}


def _steps_frame(models: list[dict[str, Any]]) -> pd.DataFrame:
    rd = np.array([m["deviance"] for m in models], float)
    rdf = np.array([m["df_resid"] for m in models], float)
    return pd.DataFrame(
        {
            "Step": [m["change"] for m in models],
            "Df": np.r_[np.nan, np.diff(rdf)],
            "Deviance": np.r_[np.nan, np.abs(np.diff(rd))],
            "Resid. Df": rdf,
            "Resid. Dev": rd,
            "AIC": [m["AIC"] for m in models],
        },
        columns=_STEP_COLUMNS,
    )
