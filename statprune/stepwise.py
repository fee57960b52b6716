"""Stepwise selection with R's ``step()``/``drop1()``/``add1()`` semantics on statsmodels.

:func:`stepwise` walks the same path as R's ``step()`` (and ``MASS::stepAIC``):
the same candidate tables, the same tie-breaking (``<none>`` first, then drops
in term order, then adds in scope order, a stable sort on AIC), the same stopping
rule (``<none>`` best, or the refitted AIC not better by more than ``1e-7``), the
same AIC values (``extractAIC``) and the same final model. Factors and
interactions are single terms that enter and leave as a group; marginality is
``drop.scope``/``add.scope``'s.

Besides AIC/BIC it offers p-value elimination (``criterion="pvalue"``: drop the
term with the largest ``drop1`` p-value while it exceeds ``threshold``, or
forward entry by the smallest ``add1`` p-value), one-shot pruning of the full fit
with a multiple-testing adjustment (``criterion="adjusted"``), and two
coefficient-based rules: ``criterion="vif"`` (drop the term with the largest
generalized VIF above ``threshold``, repeat) and ``criterion="stdcoef"`` (drop the
term with the smallest standardized coefficient below ``threshold``, repeat).

The p-values of a model refitted after selection are not valid p-values: the
same data chose the model (selective inference). They are reported as R reports
them, with that warning attached.

Examples
--------
>>> import statprune
>>> from statprune.datasets import load_swiss
>>> res = statprune.stepwise(load_swiss(), "Fertility ~ .")
>>> res.final_terms
['Agriculture', 'Education', 'Catholic', 'Infant.Mortality']
>>> res.steps[["Step", "AIC"]].round(4)
            Step       AIC
0                 190.6913
1  - Examination  189.8606

The R equivalent is ``step(lm(Fertility ~ ., data = swiss))``.
"""

from __future__ import annotations

import math
import sys as _sys
import types as _types
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._engine import Engine, ModelInfo
from ._formula import Design, Formula, add_scope, drop_scope, parse_formula, sort_terms, term_label
from ._json import dumps_to
from .errors import DataError, ParameterError, SelectionWarning

__all__ = ["StepwiseResult", "StepwiseSelector", "add1", "drop1", "stepwise"]

FAMILIES = ("gaussian", "binomial", "poisson", "Gamma")
DIRECTIONS = ("backward", "forward", "both")
CRITERIA = ("aic", "bic", "pvalue", "adjusted", "vif", "stdcoef")
TESTS = ("F", "Chisq", "Rao", "Wald")
_DEFAULT_THRESHOLD = {"pvalue": 0.05, "adjusted": 0.05, "vif": 10.0, "stdcoef": 0.1}
POST_SELECTION_NOTE = (
    "p-values of the model refitted after selection are not valid inference: the same data chose the "
    "model (selective inference); use them descriptively, or split the data / use selective-inference methods."
)
_STEP_COLUMNS = ["Step", "Df", "Deviance", "Resid. Df", "Resid. Dev", "AIC"]


# =========================================================================== problem setup
@dataclass
class _Problem:
    data: pd.DataFrame
    formula: Formula
    engine: Engine
    start: list[frozenset]
    lower: list[frozenset]
    upper: list[frozenset]
    n: int
    dropped_rows: int
    family_label: str = ""


_FAMILY_ALIASES = {"gamma": "Gamma", "normal": "gaussian", "logistic": "binomial", "logit": "binomial",
                   "glm.nb": "glm.nb", "negbin": "glm.nb", "nb": "glm.nb", "inverse_gaussian": "inverse.gaussian"}


def _family_name(family: str) -> str:
    """The family's R name (``Gamma``, ``glm.nb``...) of a spec such as ``"binomial(link = 'probit')"``."""
    return _family_spec(family, None)[0]


def _family_spec(family: Any, link: str | None) -> tuple[str, str | None, float | None]:
    """``(name, link, theta)`` of a family given as R writes it.

    Accepted: ``"binomial"``, ``"binomial(link = \"probit\")"``, ``"binomial(probit)"``,
    ``"poisson(link = 'sqrt')"``, ``"inverse.gaussian"``, ``"negative.binomial(theta = 2)"``
    (a fixed theta, R's ``glm(family = MASS::negative.binomial(2))``) and ``"glm.nb"``
    (``MASS::glm.nb``: theta estimated at every fit). ``link=`` overrides the link.
    """
    import ast  # noqa: PLC0415

    from ._glmfit import FAMILY_LINKS  # noqa: PLC0415
    from ._rexpr import parse  # noqa: PLC0415

    names = (*FAMILIES, "inverse.gaussian", "negative.binomial", "glm.nb")
    if not isinstance(family, str) or not family.strip():
        raise ParameterError(f"family must be one of {', '.join(names)} (optionally with a link, e.g. "
                             f"'binomial(link = \"probit\")'), got {family!r}")
    text = family.strip()
    if text.startswith("MASS::"):
        text = text[6:]
    if text.startswith("stats::"):
        text = text[7:]
    spec_link: str | None = None
    theta: float | None = None
    if "(" in text:
        node = parse(text)
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            raise ParameterError(f"family {family!r}: write it as R does, e.g. 'binomial(link = \"probit\")'")
        fname = node.func.id
        args = list(node.args)
        kw = {k.arg: k.value for k in node.keywords}
        bad = [k for k in kw if k not in ("link", "theta")]
        if bad:
            raise ParameterError(f"family {family!r}: argument {bad[0]!r} is not supported")
        if fname in ("negative.binomial",):
            th = kw.get("theta", args.pop(0) if args else None)
            if not (isinstance(th, ast.Constant) and isinstance(th.value, float) and th.value > 0):
                raise ParameterError(f"family {family!r}: negative.binomial needs theta, a positive number")
            theta = float(th.value)
        ln = kw.get("link", args.pop(0) if args else None)
        if args:
            raise ParameterError(f"family {family!r}: too many arguments")
        if ln is not None:
            if isinstance(ln, ast.Constant) and isinstance(ln.value, str):
                spec_link = ln.value
            elif isinstance(ln, ast.Name):
                spec_link = ln.id
            else:
                raise ParameterError(f"family {family!r}: the link is a name such as \"probit\"")
        text = fname
    f = _FAMILY_ALIASES.get(text.lower(), text)
    if f not in names:
        f = text.lower() if text.lower() in names else f
    if f not in names:
        if text.startswith("quasi"):
            raise ParameterError(f"family {family!r}: quasi families have no AIC (R's step() stops: 'AIC is not "
                                 "defined for this model'); use binomial/poisson, or family='glm.nb'")
        raise ParameterError(f"family must be one of {', '.join(names)}, got {family!r}")
    if link is not None:
        if spec_link is not None and spec_link != link:
            raise ParameterError(f"family {family!r} and link={link!r} disagree")
        spec_link = link
    fam_key = "negative.binomial" if f == "glm.nb" else f
    if spec_link is not None and spec_link not in FAMILY_LINKS[fam_key]:
        raise ParameterError(
            f"link \"{spec_link}\" not available for {fam_key} family; available links are "
            + ", ".join(f"'{x}'" for x in FAMILY_LINKS[fam_key])
        )
    return f, spec_link, theta


def _column_or_array(spec: Any, df: pd.DataFrame, what: str) -> np.ndarray | None:
    """A weights/offset argument: a column name or a numeric array of one value per row."""
    if spec is None:
        return None
    if isinstance(spec, str):
        if spec not in df.columns:
            raise DataError(f"{what} column {spec!r} is not in the data (columns: {', '.join(map(str, df.columns))})")
        col = df[spec]
        if not pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
            raise DataError(f"{what} column {spec!r} must be numeric")
        return col.to_numpy(dtype=float)
    arr = np.asarray(spec, dtype=float)
    if arr.ndim != 1 or len(arr) != len(df):
        raise DataError(f"{what} must have one value per row ({len(df)}), got shape {arr.shape}")
    return arr


def _scope_terms(spec: Any, columns: Sequence[str], base: Formula, what: str) -> list[frozenset] | None:
    """A scope given as a formula string ('~ a + b'), or a list of term labels."""
    if spec is None:
        return None
    if isinstance(spec, str):
        text = spec if "~" in spec else "~ " + spec
        f = parse_formula(text, columns, response=base.response, need_response=False, dot_terms=base.terms, var_order=base.var_order)
        return [t for t in f.terms]
    if isinstance(spec, (list, tuple)):
        out: list[frozenset] = []
        for lab in spec:
            if not isinstance(lab, str):
                raise ParameterError(f"{what} must be a formula string or a list of term labels, got {spec!r}")
            f = parse_formula("~ " + lab, columns, response=base.response, need_response=False, var_order=base.var_order)
            for t in f.terms:
                if t not in out:
                    out.append(t)
        return out
    raise ParameterError(f"{what} must be a formula string like '~ a + b' or a list of term labels, got {spec!r}")


def _setup(
    data: Any,
    formula: str,
    family: str,
    direction: str,
    scope_lower: Any,
    scope_upper: Any,
    keep: Any,
    start: Any,
    *,
    link: str | None = None,
    weights: Any = None,
    offset: Any = None,
    collation: str = "C",
) -> _Problem:
    from ._data import read_table  # noqa: PLC0415
    from ._formula import collation_key  # noqa: PLC0415

    collation_key(collation)
    df = read_table(data)
    if not isinstance(df, pd.DataFrame):
        raise DataError("data must be a pandas DataFrame or a path to a CSV/Parquet file")
    cols = [str(c) for c in df.columns]
    df = df.copy()
    df.columns = cols
    f = parse_formula(formula, cols)
    lower = _scope_terms(scope_lower, cols, f, "scope_lower") or []
    for t in _scope_terms(keep, cols, f, "keep") or []:
        if t not in lower:
            lower.append(t)
    upper_given = _scope_terms(scope_upper, cols, f, "scope_upper")
    if start is not None:
        start_terms = _scope_terms(start, cols, f, "start") or []
        upper = upper_given if upper_given is not None else list(f.terms)
    elif direction == "forward":
        # R: step(lm(y ~ <lower>), scope = list(lower = ..., upper = formula), direction = "forward")
        start_terms = sort_terms(lower)
        upper = upper_given if upper_given is not None else list(f.terms)
    else:
        start_terms = list(f.terms)
        upper = upper_given if upper_given is not None else list(f.terms)
    fam_name, fam_link, fam_theta = _family_spec(family, link)
    # the response: a column or expression, or cbind(successes, failures) for a binomial glm
    resp_vars: list[str] = [f.response]  # type: ignore[list-item]
    cbind = None
    if f.response is not None and f.response.startswith("cbind(") and f.response.endswith(")"):
        import ast  # noqa: PLC0415

        from ._rexpr import deparse, parse, tokenize  # noqa: PLC0415

        node = parse(f.response)
        if len(node.args) != 2 or node.keywords:  # type: ignore[attr-defined]
            raise ParameterError(f"response {f.response!r}: cbind(successes, failures) takes two columns")
        if fam_name != "binomial":
            raise ParameterError(f"response {f.response!r}: a two-column response is for family='binomial'")
        inner = f.response[len("cbind("):-1]
        # split at the top-level comma and deparse each side as R labels it
        depth, cut = 0, -1
        for j, ch in enumerate(inner):
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                cut = j
                break
        cbind = [deparse(tokenize(inner[:cut])), deparse(tokenize(inner[cut + 1:]))]
        _ = ast
        resp_vars = list(cbind)
    # variables used anywhere: evaluate them once, drop incomplete rows (R's na.omit)
    var_labels = list(resp_vars) + [v for v in f.var_order if v != f.response and v not in f.offsets]
    for t in list(upper) + list(lower) + list(start_terms):
        for v in t:
            if v not in var_labels:
                var_labels.append(v)
    off_labels = [o[len("offset("):-1] for o in f.offsets]
    for o in off_labels:
        if o not in var_labels:
            var_labels.append(o)
    var_order = [f.response] + [v for v in var_labels if v not in resp_vars and v != f.response]
    design = Design(df, var_labels, collation=collation)
    w_arr = _column_or_array(weights, df, "weights")
    o_arr = _column_or_array(offset, df, "offset")
    n0 = len(df)
    bad = np.zeros(n0, bool)
    for lab in var_labels:
        v = design.var(lab)
        if v.is_factor:
            bad |= v.codes < 0
        else:
            vals = v.values if v.values.ndim == 1 else v.values.sum(axis=1)  # type: ignore[union-attr]
            n_inf = int(np.isinf(vals).sum())
            if n_inf:  # R's na.omit keeps Inf and lm.fit then stops ("NA/NaN/Inf in 'x'"): never drop silently
                raise DataError(
                    f"column {lab!r} holds {n_inf} infinite value(s) (R's lm/glm stop with 'NA/NaN/Inf in x'); "
                    "replace or remove those rows"
                )
            bad |= ~np.isfinite(vals)
    for arr, what in ((w_arr, "weights"), (o_arr, "offset")):
        if arr is not None:
            if np.isinf(arr).any():
                raise DataError(f"{what} hold infinite values; replace or remove those rows")
            bad |= np.isnan(arr)
    dropped = int(bad.sum())
    if dropped:
        if dropped == n0:
            raise DataError("every row has a missing value in a variable of the formula")
        warnings.warn(
            f"{dropped} row(s) with missing values in the formula's variables were removed (R's na.omit)",
            SelectionWarning,
            stacklevel=3,
        )
        design = design.subset(~bad)  # R: model.frame evaluates every row, then na.omit
        w_arr = None if w_arr is None else w_arr[~bad]
        o_arr = None if o_arr is None else o_arr[~bad]
    if w_arr is not None:
        if np.any(w_arr < 0):
            raise DataError("weights: missing or negative weights not allowed (R's error)")
        if np.any(w_arr == 0):
            raise DataError("weights: zero weights are not supported by statprune's step() (R keeps those rows in n "
                            "but not in the fit); remove the rows with weight 0")
    # offsets: the argument plus every offset() term (R's model.offset)
    off_total = None if o_arr is None else o_arr.copy()
    for o in off_labels:
        ov = design.var(o)
        if ov.is_factor or ov.values.ndim != 1:  # type: ignore[union-attr]
            raise DataError(f"offset({o}) must be numeric")
        off_total = ov.values.copy() if off_total is None else off_total + ov.values  # type: ignore[union-attr]
    n_trials = None
    if cbind is not None:
        s_v, f_v = design.var(cbind[0]), design.var(cbind[1])
        if s_v.is_factor or f_v.is_factor:
            raise DataError(f"response {f.response!r}: successes and failures must be numeric counts")
        succ, fail = np.asarray(s_v.values, float), np.asarray(f_v.values, float)
        if np.any(succ < 0) or np.any(fail < 0):
            raise DataError(f"response {f.response!r}: counts must be >= 0")
        n_trials = succ + fail
        with np.errstate(invalid="ignore", divide="ignore"):
            y = np.where(n_trials == 0, 0.0, succ / np.where(n_trials == 0, 1, n_trials))
        w_arr = n_trials if w_arr is None else w_arr * n_trials
        if np.any(n_trials == 0):
            raise DataError(f"response {f.response!r}: rows with 0 trials are not supported (weight 0)")
    else:
        yv = design.var(f.response)  # type: ignore[arg-type]
        if yv.is_factor:
            if fam_name != "binomial":
                raise DataError(f"response {f.response!r} is not numeric; use family='binomial' for a two-level factor")
            if len(yv.levels) != 2:
                raise DataError(f"binomial response {f.response!r} must have 2 levels, it has {yv.levels}")
            y = (yv.codes != 0).astype(float)
        else:
            if yv.values.ndim != 1:  # type: ignore[union-attr]
                raise DataError(f"response {f.response!r} must be one column")
            y = np.asarray(yv.values, float)
    from ._glmfit import Family  # noqa: PLC0415

    fam_obj: Any
    if fam_name == "gaussian" and (fam_link in (None, "identity")):
        fam_obj = "gaussian"
    elif fam_name == "glm.nb":
        fam_obj = Family("negative.binomial", fam_link, theta=1.0)
    else:
        fam_obj = Family(fam_name, fam_link, theta=fam_theta)
    if fam_obj != "gaussian":
        msg = fam_obj.check_y(y)
        if msg:
            raise DataError(f"response {f.response!r}: {msg}")
        if fam_obj.name == "binomial" and cbind is None:
            m = y if w_arr is None else y * w_arr
            if np.any(np.abs(m - np.round(m)) > 1e-3):
                warnings.warn("non-integer #successes in a binomial glm!", SelectionWarning, stacklevel=3)
    predictors = [v for v in var_labels if v not in resp_vars and v not in off_labels]
    design.check_factors([v for v in predictors if any(v in t for t in list(upper) + list(start_terms))])
    engine = Engine(design, y, fam_obj, f.intercept, var_order, weights=w_arr, offset=off_total, n_trials=n_trials)
    if fam_name == "glm.nb":
        engine.family = "glm.nb"
    prob = _Problem(df, f, engine, list(start_terms), lower, list(upper), len(y), dropped)
    prob.family_label = _family_label(fam_name, engine)
    return prob


def _family_label(name: str, engine: Engine) -> str:
    """How R prints the family of the fit (``binomial(link = "probit")``, ``glm.nb``)."""
    if name == "gaussian" and engine.is_lm:
        return "gaussian"
    fam = engine.fam
    if name == "glm.nb":
        return "glm.nb" if fam.link == "log" else f'glm.nb(link = "{fam.link}")'  # type: ignore[union-attr]
    from ._glmfit import FAMILY_LINKS  # noqa: PLC0415

    base = f"negative.binomial(theta = {fam.theta:.6g}" if name == "negative.binomial" else f"{name}("  # type: ignore[union-attr]
    default = FAMILY_LINKS[fam.name][0]  # type: ignore[union-attr]
    if fam.link == default:  # type: ignore[union-attr]
        return name if name != "negative.binomial" else base + ")"
    sep = ", " if name == "negative.binomial" else ""
    return f'{base}{sep}link = "{fam.link}")'  # type: ignore[union-attr]


def _check_test(test: Any, allowed: Sequence[str]) -> str | None:
    """R's test names; ``"LRT"`` is R's alias of ``"Chisq"``."""
    if test is None:
        return None
    if test == "LRT":
        return "Chisq"
    if not isinstance(test, str) or test not in allowed:
        raise ParameterError(f"test must be one of {', '.join(allowed)} or 'LRT' (R's alias of 'Chisq'), got {test!r}")
    return test


def _check_test_for(test: str | None, engine: Engine) -> None:
    if test == "Rao" and engine.is_lm:
        raise ParameterError("test='Rao' is the score test of glm's drop1/add1; R's drop1.lm/add1.lm offer "
                             "'F' and 'Chisq' (fit the model with family='gaussian', link='log' for a glm)")
    if engine.is_negbin and test not in (None, "Chisq"):
        raise ParameterError(f"test={test!r} is not available for a negative binomial model (MASS's dropterm/"
                             "addterm offer 'Chisq')")


def _check_fit(engine: Engine, terms: Sequence[frozenset], info: ModelInfo) -> None:
    if info.df_resid > 0 and engine.is_lm and info.deviance <= 0:
        raise DataError(
            "the starting model fits the response exactly (RSS = 0, AIC is -infinity, so 'step' cannot "
            "proceed): is the response, or a copy of it, among the predictors?"
        )
    if info.df_resid <= 0:
        p = info.edf
        raise DataError(
            f"zero residual degrees of freedom: the starting model has {p} estimable coefficients for "
            f"{engine.n} rows (AIC is -infinity, so 'step' cannot proceed); use fewer terms or more rows"
        )
    if not math.isfinite(info.aic):
        raise DataError("AIC is not defined for this model, so 'step' cannot proceed")


# =========================================================================== result
@dataclass
class StepwiseResult:
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
        import gzip  # noqa: PLC0415

        from . import _r  # noqa: PLC0415
        from ._json import write_atomic  # noqa: PLC0415

        if self._problem is None:
            raise ParameterError("save_rds() needs the data of the selection; this result does not hold it")
        fam, link, theta = _family_spec(self.family, None)
        if fam == "glm.nb":
            _r.require_r_packages("MASS")
        data = self._problem.data.copy()
        for c in data.columns:  # text columns: factors with the levels in the order statprune used
            if data[c].dtype == object or pd.api.types.is_string_dtype(data[c].dtype):
                levels = sorted(data[c].dropna().astype(str).unique())
                data[c] = pd.Categorical(data[c].astype(str), categories=levels)
        anova = self.steps.copy()
        anova.columns = ["Step", "Df", "Deviance", "Resid. Df", "Resid. Dev", "AIC"]
        stream = _r.call("stepwise", "sps_step_rds", data, self.final_formula, fam, link, anova,
                         self.weights, self.offset, theta, _context="serialize")
        write_atomic(path, gzip.compress(bytes(stream), compresslevel=6, mtime=0))
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

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of the CLI (keys as in the issue), plain Python types."""
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
        out["provenance"] = dict(self.provenance)
        return out

    def to_json(self, path: str | None = None) -> str:
        """JSON text of :meth:`to_dict` (NaN as null); written atomically when ``path`` is given."""
        return dumps_to(self.to_dict(), path)

    def summary(self) -> str:
        """Text like R's ``print(fit$anova)`` followed by ``summary(fit)``'s coefficient table."""
        lines = ["Stepwise Model Path", "Analysis of Deviance Table", "", "Initial Model:"]
        resp = self.formula.split("~")[0].strip()
        lines.append(f"{resp} ~ " + (" + ".join(self.initial_terms) or "1"))
        lines += ["", "Final Model:", self.final_formula, ""]
        lines.append(_format_table(self.steps.set_index("Step"), index_name=""))
        extra = "".join([
            f", weights: {self.weights}" if self.weights else "",
            f", offset: {self.offset}" if self.offset else "",
            f", theta = {self.theta:.6g}" if self.theta is not None else "",
        ])
        lines += ["", f"criterion: {self.criterion} (k = {self.k:.6g}), family: {self.family}, n = {self.n}{extra}",
                  f"factor levels ordered by collation {self.collation!r}"
                  + (" (code points, R under LC_COLLATE=C)" if self.collation == "C" else " (R in an English locale)"), ""]
        lines.append("Coefficients:")
        lines.append(_format_table(self.coef_table, index_name=""))
        if self.dropped:
            lines += ["", "Dropped: " + ", ".join(f"{t} (p = {p:.4g})" if np.isfinite(p) else t for t, p in zip(self.dropped, self.dropped_p))]
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        for nt in self.notes:
            lines.append(f"Note: {nt}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html  # noqa: PLC0415

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

    def __repr__(self) -> str:
        return (
            f"StepwiseResult(criterion={self.criterion!r}, family={self.family!r}, direction={self.direction!r}, "
            f"steps={len(self.steps) - 1}, final_formula={self.final_formula!r})"
        )


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


def _format_table(df: pd.DataFrame, index_name: str = "") -> str:
    def fmt(v: Any) -> str:
        if isinstance(v, str):
            return v
        try:
            f = float(v)
        except (TypeError, ValueError):
            return str(v)
        if not math.isfinite(f):
            return "NA" if np.isnan(f) else str(f)
        if f == int(f) and abs(f) < 1e9:
            return str(int(f))
        return f"{f:.6g}"

    cols = [index_name] + [str(c) for c in df.columns]
    body = [[str(i)] + [fmt(v) for v in row] for i, row in zip(df.index, df.itertuples(index=False))]
    widths = [max(len(r[j]) for r in [cols] + body) for j in range(len(cols))]
    out = ["  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(cols, widths)))]
    for r in body:
        out.append("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(out)


def _statsmodels_fit(engine: Engine, terms: Sequence[frozenset], var_order: Any = None) -> Any:
    """The final model as a statsmodels results object (R's ``NA`` columns left out).

    Prior weights are statsmodels' ``var_weights`` (R's ``weights``), the offset its ``offset``;
    a ``glm.nb`` model is a ``NegativeBinomial(alpha = 1/theta)`` GLM at R's theta.
    """
    import statsmodels.api as sm  # noqa: PLC0415

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


# =========================================================================== algorithms
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
    print(_format_table(tab))
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
    from statsmodels.stats.multitest import multipletests  # noqa: PLC0415

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
    """Generalized VIF (car's ``vif.default``, :mod:`statprune._vif`) of each term, on a VIF's scale: GVIF^(1/df).

    A one-term model has GVIF 1; a rank-deficient model gives every term an infinite GVIF.
    """
    from ._vif import AliasedError, gvif  # noqa: PLC0415

    if len(terms) < 2:
        return {t: 1.0 for t in terms}
    keys = eng.blocks(terms)
    widths = [eng.design.block(*kk)[0].shape[1] for kk in keys]
    assign = np.repeat(np.arange(1, len(terms) + 1), widths)
    if eng.intercept:
        assign = np.r_[0, assign]
    try:
        g, df = gvif(eng.matrix(keys), assign, eng.intercept)
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


def _formula_text(prob: _Problem, terms: Sequence[frozenset], label: Any = None) -> str:
    label = label or prob.engine.label
    labs = [_quote(label(t)) for t in terms] + list(prob.formula.offsets)
    rhs = " + ".join(labs) if labs else "1"
    if not prob.formula.intercept:
        rhs += " - 1"
    return f"{_quote(prob.formula.response or '')} ~ {rhs}"


def _quote(label: str) -> str:
    import re  # noqa: PLC0415

    parts = label.split(":")
    out = []
    for p in parts:
        if re.fullmatch(r"[A-Za-z.][A-Za-z0-9._]*", p) or "(" in p:
            out.append(p)
        else:
            out.append(f"`{p}`")
    return ":".join(out)


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


# =========================================================================== public API
def stepwise(
    data: Any,
    formula: str,
    family: str = "gaussian",
    direction: str | None = None,
    criterion: str = "aic",
    k: float | None = None,
    threshold: float | None = None,
    test: str | None = None,
    scope_lower: Any = None,
    scope_upper: Any = None,
    max_steps: int | None = None,
    trace: bool = False,
    keep: Sequence[str] | None = None,
    start: Any = None,
    adjust: str = "holm",
    *,
    link: str | None = None,
    weights: Any = None,
    offset: Any = None,
    collation: str = "C",
) -> StepwiseResult:
    """Select terms of a linear model or GLM as R's ``step()`` does.

    Parameters
    ----------
    data : DataFrame or path
        The data (CSV/Parquet path or DataFrame). String, boolean and categorical
        columns are factors (treatment contrasts; reference level first
        alphabetically, or the first category).
    formula : str
        R formula, e.g. ``"Fertility ~ ."``, ``"low ~ age + lwt + race + smoke"``,
        ``"y ~ a * b + C(g)"``. For backward/both it is the starting model (and the
        default upper scope); for forward it is the upper scope.
    family : {"gaussian", "binomial", "poisson", "Gamma"}
        ``gaussian`` is R's ``lm`` (OLS); the others R's ``glm`` with the default link.
    direction : {"backward", "forward", "both"}
        As in ``step()``. Forward starts from ``start`` or the lower scope (default ``~ 1``).
    criterion : {"aic", "bic", "pvalue", "adjusted", "vif", "stdcoef"}
        ``aic``/``bic``: ``step()`` with ``k = 2`` / ``k = log(n)``. ``pvalue``:
        elimination by ``drop1`` p-values (or entry by ``add1`` p-values when
        ``direction="forward"``). ``adjusted``: one-shot pruning of the full fit,
        p-values adjusted by ``adjust``. ``vif``: drop the largest GVIF^(1/df) above
        ``threshold``, repeat. ``stdcoef``: drop the smallest standardized coefficient
        below ``threshold``, repeat.
    k : float, optional
        Penalty per parameter; default 2 (``aic``) or ``log(n)`` (``bic``).
    threshold : float, optional
        ``pvalue``/``adjusted``: significance level (default 0.05); ``vif``: default 10;
        ``stdcoef``: default 0.1.
    test : {"F", "Chisq", "Wald"}, optional
        Test of the p-value rules: default ``F`` for gaussian (``drop1.lm``) and
        ``Chisq`` (likelihood ratio, ``drop1.glm``) for GLMs; ``Wald`` uses the
        coefficient covariance of the current fit.
    scope_lower, scope_upper : str or list of str, optional
        R's ``scope = list(lower = , upper = )``: formulas like ``"~ Education"``
        (``.`` means the model's terms) or lists of term labels. Lower-scope terms
        are never dropped.
    max_steps : int, optional
        R's ``steps`` (default 1000).
    trace : bool
        Print the ``drop1``/``add1`` tables as ``step(trace = 1)`` does.
    keep : list of str, optional
        Terms forced into the model (added to ``scope_lower``).
    start : str or list of str, optional
        Right side of the starting model when it is neither the formula nor the lower scope.
    adjust : str
        ``statsmodels.stats.multitest.multipletests`` method for ``criterion="adjusted"``
        (``holm``, ``fdr_bh``, ``bonferroni``...).

    Returns
    -------
    StepwiseResult

    Examples
    --------
    >>> import statprune
    >>> from statprune.datasets import load_mtcars
    >>> cars = load_mtcars().drop(columns="model")
    >>> res = statprune.stepwise(cars, "mpg ~ .", criterion="bic")
    >>> res.final_terms
    ['wt', 'qsec', 'am']
    >>> round(res.aic, 4)
    67.1702
    """
    if not isinstance(criterion, str) or criterion.lower() not in CRITERIA:
        raise ParameterError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    criterion = criterion.lower()
    direction_missing = direction is None
    if direction is None:  # step()'s default: "both"; the p-value and pruning rules' default: backward
        direction = "both" if criterion in ("aic", "bic") else "backward"
    if not isinstance(direction, str) or direction not in DIRECTIONS:
        raise ParameterError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    test = _check_test(test, TESTS)
    if max_steps is None:
        max_steps = 1000
    if not isinstance(max_steps, (int, np.integer)) or isinstance(max_steps, bool) or max_steps < 0:
        raise ParameterError(f"max_steps must be a non-negative integer, got {max_steps!r}")
    if threshold is None:
        threshold = _DEFAULT_THRESHOLD.get(criterion)
    elif not isinstance(threshold, (int, float)) or not math.isfinite(threshold) or threshold < 0:
        raise ParameterError(f"threshold must be a non-negative number, got {threshold!r}")
    if criterion in ("pvalue", "adjusted") and threshold is not None and not 0 < threshold <= 1:
        raise ParameterError(f"threshold is a significance level for criterion={criterion!r}: 0 < threshold <= 1, got {threshold}")
    if criterion == "pvalue" and direction == "both":
        raise ParameterError("criterion='pvalue' supports direction='backward' or 'forward'; use criterion='aic'/'bic' for 'both'")
    if criterion in ("adjusted", "vif", "stdcoef") and direction != "backward":
        raise ParameterError(f"criterion={criterion!r} prunes the full model: use direction='backward'")
    if k is not None and (not isinstance(k, (int, float)) or not math.isfinite(k) or k < 0):
        raise ParameterError(f"k must be a non-negative number, got {k!r}")
    if test == "Wald" and direction == "forward":
        raise ParameterError("test='Wald' needs the term in the fit; use 'F' or 'Chisq' for forward selection")

    prob = _setup(data, formula, family, direction, scope_lower, scope_upper, keep, start, link=link,
                  weights=weights, offset=offset, collation=collation)
    eng = prob.engine
    fam = prob.family_label
    _check_test_for(test, eng)
    if k is None:
        k = math.log(prob.n) if criterion == "bic" else 2.0
    elif criterion == "bic" and not math.isclose(k, math.log(prob.n)):
        raise ParameterError(f"criterion='bic' means k = log(n) = {math.log(prob.n):.6g}; got k={k} (use criterion='aic' with k)")
    if test is None:
        test = "F" if eng.is_lm else "Chisq"
    notes = [POST_SELECTION_NOTE]
    added: list[str] = []
    added_p: list[float] = []
    dropped: list[str] = []
    dropped_p: list[float] = []
    if criterion in ("aic", "bic"):
        # R's step(): with the direction and the scope both missing, nothing is ever added
        no_forward = direction_missing and scope_upper is None and start is None
        out = _step_aic(prob, direction, float(k), int(max_steps), trace, no_forward=no_forward)
        if out["rejected"]:
            notes.append(
                "the last candidate step did not lower the refitted AIC (drop1/add1 use the deviance/dispersion "
                "shortcut): as in R's step(), the search stopped and the returned model is that candidate"
            )
    elif criterion == "pvalue":
        out = _step_pvalue(prob, direction, float(k), float(threshold), test, int(max_steps), trace)
        if direction == "backward":
            dropped, dropped_p = out["moved"], out["moved_p"]
        else:
            added, added_p = out["moved"], out["moved_p"]
    elif criterion == "adjusted":
        out = _one_shot(prob, float(k), float(threshold), test, adjust)
        dropped, dropped_p = out["moved"], out["moved_p"]
    else:
        out = _coef_rule(prob, float(k), float(threshold), criterion, int(max_steps))
        dropped, dropped_p = out["moved"], out["moved_p"]
    final = out["fit"]
    lab_final = out.get("labels")
    final_label = lab_final if lab_final is not None else eng.label
    final_order = lab_final.order if lab_final is not None else None
    tab = eng.coef_table(final, final_order)
    final_tests = None
    sc = [t for t in final]
    if sc:
        try:
            final_tests = eng.drop1(final, sc, float(k), test=test, labels=[final_label(t) for t in sc])
        except (np.linalg.LinAlgError, ValueError):  # pragma: no cover - numerical corner
            final_tests = None
    cand = list(dict.fromkeys([eng.label(t) for t in prob.start + prob.upper]))
    from ._provenance import provenance  # noqa: PLC0415

    res = StepwiseResult(
        formula=formula,
        family=fam,
        direction=direction,
        collation=collation,
        weights=weights if isinstance(weights, str) else (None if weights is None else "<array>"),
        offset=offset if isinstance(offset, str) else (None if offset is None else "<array>"),
        theta=(eng.glm(eng.blocks(final), eng._theta_of.get(tuple(eng.blocks(final)))).theta if eng.is_negbin else None),
        criterion=criterion,
        k=float(k),
        threshold=None if threshold is None else float(threshold),
        test=test if criterion in ("pvalue", "adjusted") else None,
        steps=_steps_frame(out["models"]),
        initial_terms=[eng.label(t) for t in prob.start],
        final_terms=[final_label(t) for t in final],
        final_formula=_formula_text(prob, final, final_label),
        coef_table=tab,
        n=prob.n,
        forced_terms=[eng.label(t) for t in prob.lower],
        candidate_terms=cand,
        dropped=list(dropped),
        dropped_p=list(dropped_p),
        added=list(added),
        added_p=list(added_p),
        history=out["history"],
        final_tests=final_tests,
        warnings=list(eng.messages),
        notes=notes,
        provenance=provenance(with_r=False),
        _problem=prob,
        _final=final,
        _final_order=final_order,
    )
    for m in eng.messages:
        from ._glmfit import _warning_category  # noqa: PLC0415

        warnings.warn(m, _warning_category(m), stacklevel=2)
    aliased = [c for c, v in tab["Estimate"].items() if not np.isfinite(v)]
    if aliased:
        res.notes.append(f"{len(aliased)} coefficient(s) not defined because of singularities (R's NA): {', '.join(aliased)}")
    return res


def drop1(
    data: Any,
    formula: str,
    family: str = "gaussian",
    test: str | None = None,
    k: float = 2.0,
    scope: Any = None,
    *,
    link: str | None = None,
    weights: Any = None,
    offset: Any = None,
    collation: str = "C",
) -> pd.DataFrame:
    """R's ``drop1(fit, scope, test = test, k = k)`` for an ``lm``/``glm`` (or ``glm.nb``) given by formula.

    ``test``: ``"F"``, ``"Chisq"`` (``"LRT"``, its alias), ``"Rao"`` (glm only) or
    statprune's ``"Wald"``. ``family``, ``link``, ``weights``, ``offset`` and
    ``collation`` as in :func:`stepwise`. For ``family="glm.nb"`` the table is
    MASS's ``dropterm`` (each candidate refitted with theta re-estimated). The
    table's ``attrs`` record the family and the collation of factor levels.

    Examples
    --------
    >>> from statprune import drop1
    >>> from statprune.datasets import load_swiss
    >>> drop1(load_swiss(), "Fertility ~ .", test="F")["AIC"].round(3).tolist()
    [190.691, 195.104, 189.861, 209.358, 197.755, 197.032]
    """
    test = _check_test(test, TESTS)
    prob = _setup(data, formula, family, "backward", None, None, None, None, link=link, weights=weights,
                  offset=offset, collation=collation)
    eng = prob.engine
    _check_test_for(test, eng)
    sc = prob.start if scope is None else _scope_terms(scope, list(prob.data.columns), prob.formula, "scope")
    sc = drop_scope(prob.start, []) if scope is None else sc
    missing = [t for t in sc if t not in prob.start]  # type: ignore[union-attr]
    if missing:
        raise ParameterError("scope is not a subset of term labels")
    if not _k_ok(k):
        raise ParameterError(f"k must be a non-negative number, got {k!r}")
    eng.prepare([prob.start])
    tab = eng.drop1(prob.start, sc, float(k), test=test)  # type: ignore[arg-type]
    return _table_attrs(tab, prob, "Single term deletions", collation)


def add1(
    data: Any,
    formula: str,
    scope: Any,
    family: str = "gaussian",
    test: str | None = None,
    k: float = 2.0,
    *,
    link: str | None = None,
    weights: Any = None,
    offset: Any = None,
    collation: str = "C",
) -> pd.DataFrame:
    """R's ``add1(fit, scope, test = test, k = k)``: ``scope`` is a formula such as ``"~ . + x3"``.

    ``test``: ``"F"``, ``"Chisq"`` (``"LRT"``) or ``"Rao"`` (glm only); the other
    arguments as in :func:`drop1`.

    Examples
    --------
    >>> from statprune import add1
    >>> from statprune.datasets import load_swiss
    >>> add1(load_swiss(), "Fertility ~ Education", "~ . + Agriculture + Catholic")["AIC"].round(3).tolist()
    [213.042, 214.311, 202.183]
    """
    test = _check_test(test, ("F", "Chisq", "Rao"))
    prob = _setup(data, formula, family, "backward", None, scope, None, None, link=link, weights=weights,
                  offset=offset, collation=collation)
    eng = prob.engine
    _check_test_for(test, eng)
    sc = add_scope(prob.start, prob.upper)
    if not sc:
        raise ParameterError("no terms in scope for adding to object")
    if not _k_ok(k):
        raise ParameterError(f"k must be a non-negative number, got {k!r}")
    eng.prepare([sort_terms(list(dict.fromkeys(prob.start + prob.upper)))])
    tab = eng.add1(prob.start, sc, float(k), test=test)
    return _table_attrs(tab, prob, "Single term additions", collation)


def _k_ok(k: Any) -> bool:
    return isinstance(k, (int, float)) and not isinstance(k, bool) and math.isfinite(k) and k >= 0


def _table_attrs(tab: pd.DataFrame, prob: _Problem, heading: str, collation: str) -> pd.DataFrame:
    lab = prob.engine.label
    tab.attrs.update({
        "heading": heading,
        "model": _formula_text(prob, prob.start, lab),
        "family": prob.family_label,
        "collation": collation,
        "n": prob.n,
    })
    if prob.engine.is_negbin:
        tab.attrs["theta"] = prob.engine.glm(prob.engine.blocks(prob.start)).theta
    tab.attrs["warnings"] = list(prob.engine.messages)
    from ._glmfit import _warning_category  # noqa: PLC0415

    for m in prob.engine.messages:  # R's warnings (glm.fit's, "F test assumes 'quasipoisson' family")
        warnings.warn(m, _warning_category(m), stacklevel=3)
    return tab


# =========================================================================== scikit-learn
from sklearn.base import BaseEstimator  # noqa: E402
from sklearn.feature_selection import SelectorMixin  # noqa: E402


class StepwiseSelector(SelectorMixin, BaseEstimator):
    """Feature selection by :func:`stepwise` for scikit-learn pipelines.

    Each column of ``X`` is one term (``y ~ .``); the selected features are those
    in the final model. Parameters are those of :func:`stepwise`.

    Attributes
    ----------
    result_ : StepwiseResult
    support_ : ndarray of bool
    feature_names_in_ : ndarray of str (when ``X`` has column names)
    n_features_in_ : int

    Examples
    --------
    >>> from statprune import StepwiseSelector
    >>> from statprune.datasets import load_swiss
    >>> df = load_swiss()
    >>> sel = StepwiseSelector().fit(df.drop(columns="Fertility"), df["Fertility"])
    >>> sel.get_feature_names_out().tolist()
    ['Agriculture', 'Education', 'Catholic', 'Infant.Mortality']
    """

    def __init__(
        self,
        family: str = "gaussian",
        direction: str | None = None,
        criterion: str = "aic",
        k: float | None = None,
        threshold: float | None = None,
        test: str | None = None,
        keep: Sequence[str] | None = None,
        max_steps: int | None = None,
        adjust: str = "holm",
    ) -> None:
        self.family = family
        self.direction = direction
        self.criterion = criterion
        self.k = k
        self.threshold = threshold
        self.test = test
        self.keep = keep
        self.max_steps = max_steps
        self.adjust = adjust

    def fit(self, X: Any, y: Any) -> StepwiseSelector:
        from sklearn_compat.utils.validation import validate_data  # noqa: PLC0415

        Xa, ya = validate_data(self, X, y, y_numeric=True, ensure_min_samples=2)
        p = Xa.shape[1]
        names = [str(c) for c in getattr(self, "feature_names_in_", [f"x{j}" for j in range(p)])]
        resp = "y"
        while resp in names:
            resp = "." + resp
        df = pd.DataFrame(Xa, columns=names)
        df[resp] = np.asarray(ya, float)
        rhs = " + ".join(f"`{nm}`" for nm in names)
        self.result_ = stepwise(
            df,
            f"`{resp}` ~ {rhs}",
            family=self.family,
            direction=self.direction,
            criterion=self.criterion,
            k=self.k,
            threshold=self.threshold,
            test=self.test,
            keep=None if self.keep is None else [f"`{t}`" for t in self.keep],
            max_steps=self.max_steps,
            adjust=self.adjust,
        )
        final = set(self.result_.final_terms)
        self.support_ = np.array([nm in final for nm in names], dtype=bool)
        return self

    def _get_support_mask(self) -> np.ndarray:
        return self.support_

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


# ``statprune.stepwise`` is both this module and the function: importing the submodule binds
# the package attribute to the module, so the module itself is made callable.
class _CallableModule(_types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> StepwiseResult:
        return stepwise(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallableModule
