"""Commands of R's stepwise family: stepwise, drop1, add1, subsets, vif."""

from __future__ import annotations

import math
import warnings
from typing import Annotated, Any, Optional

import typer

from .._text import anova_text
from ..errors import ParameterError
from ._common import DataArg, JsonOpt, app, deprecated_opt, emit_json, handle_errors, renamed, show, target_opt, workflows


_FAMILY_HELP = ("gaussian (lm), binomial, poisson, Gamma, inverse.gaussian (glm), glm.nb (MASS::glm.nb), "
                "negative.binomial(theta = 2); a link as R writes it: 'binomial(link = \"probit\")' or --link.")
_COLLATION_HELP = "Order of text factor levels: C (code points, R under LC_COLLATE=C) or locale (R in an English locale)."

# the options of the model given by formula (an lm, glm or glm.nb): declared once for step, drop1 and add1
Family = Annotated[str, typer.Option("--family", help=_FAMILY_HELP)]
Link = Annotated[Optional[str], typer.Option(
    "--link", help="Link of the family (probit, cloglog, log, identity, sqrt, inverse, 1/mu^2...).")]
WeightsColumn = Annotated[Optional[str], typer.Option("--weights-column", help="Column of prior weights (R's weights =).")]
OffsetColumn = Annotated[Optional[str], typer.Option(
    "--offset-column", help="Column added to the linear predictor (R's offset =).")]
Collation = Annotated[str, typer.Option("--collation", help=_COLLATION_HELP)]
#: drop1/add1's ``k``
AicK = Annotated[float, typer.Option("--k", help="Penalty per parameter of the AIC column.")]


@app.command()
@handle_errors
def stepwise(
    data: DataArg,
    formula: Optional[str] = typer.Option(None, "--formula", help="R formula, e.g. 'Fertility ~ .' or 'cbind(s, f) ~ x + offset(log(n))'."),
    target: Optional[str] = target_opt("Target column: the formula 'TARGET ~ .' (when --formula is not given).", None),
    family: Family = "gaussian",
    link: Link = None,
    direction: Optional[str] = typer.Option(None, "--direction", help="both (step()'s default; without --upper/--start nothing is added), backward or forward."),
    criterion: str = typer.Option("aic", "--criterion", help="aic, bic, pvalue, adjusted, vif, stdcoef."),
    k: Optional[float] = typer.Option(None, "--k", help="Penalty per parameter (default 2; log(n) for bic)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="p-value level (0.05), VIF (10), std. coef (0.1)."),
    test: Optional[str] = typer.Option(None, "--test", help="F, Chisq (LRT), Rao or Wald for the p-value rules."),
    keep: list[str] = typer.Option([], "--keep", help="Term forced into the model (R's scope lower); repeatable."),
    lower: Optional[str] = typer.Option(None, "--lower", help="Lower scope formula, e.g. '~ Education'."),
    upper: Optional[str] = typer.Option(None, "--upper", help="Upper scope formula, e.g. '~ .^2'."),
    start: Optional[str] = typer.Option(None, "--start", help="Starting model's right side, e.g. '~ 1': step(lm(y ~ 1), scope = <formula>)."),
    steps: Optional[int] = typer.Option(None, "--steps", help="Maximum number of steps (R's steps)."),
    adjust: str = typer.Option("holm", "--adjust", help="multipletests method for --criterion adjusted."),
    weights_column: WeightsColumn = None,
    offset_column: OffsetColumn = None,
    collation: Collation = "C",
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Stepwise selection with R's step()/drop1() semantics (same path, AIC and final model as R)."""
    if formula is None and target is None:
        raise ParameterError("give --formula (e.g. 'Fertility ~ .') or -y/--target (for 'TARGET ~ .')")
    if formula is None:
        formula = f"`{target}` ~ ."
    elif target is not None and formula.partition("~")[0].strip().strip("`") != target:
        raise ParameterError(f"--target {target!r} is not the response of --formula {formula!r}; give one of them")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = workflows.stepwise(data, formula, family=family, direction=direction, criterion=criterion, k=k,
                        threshold=threshold, test=test, keep=keep or None, scope_lower=lower, scope_upper=upper,
                        max_steps=steps, adjust=adjust, start=start, link=link, weights=weights_column,
                        offset=offset_column, collation=collation)
    for w in caught:  # R's warnings (e.g. glm.fit's perfect separation) go to stderr
        typer.echo(f"warning: {w.message}", err=True)
    show(res, json_out)


# --- best subsets and VIF (issue 17)
@app.command()
@handle_errors
def subsets(
    data: DataArg,
    target: str = typer.Option(..., "--target", "-y", help="Numeric target column; every other column is a predictor."),
    search: Optional[str] = typer.Option(None, "--search", help="exhaustive (the default) | forward | backward | seqrep: leaps' method=."),
    method_old: Optional[str] = deprecated_opt("--method"),
    nvmax: int = typer.Option(8, "--nvmax", help="Largest subset size (leaps' nvmax)."),
    force_in: list[str] = typer.Option([], "--force-in", help="Column in every model; repeatable."),
    force_out: list[str] = typer.Option([], "--force-out", help="Column in no model; repeatable."),
    exclude: list[str] = typer.Option([], "--exclude", help="Columns that are not predictors; repeatable."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Best subset selection as R's leaps::regsubsets: criteria per size and the subsets chosen by BIC, Cp, adjusted R^2."""
    method = renamed(search, method_old, "--method", "--search") or "exhaustive"
    show(workflows.subsets(data, target, method=method, nvmax=nvmax, force_in=force_in, force_out=force_out,
                    exclude=exclude), json_out)


@app.command()
@handle_errors
def vif(
    data: DataArg,
    formula: str = typer.Option(..., "--formula", help="R formula of the linear model, e.g. 'medv ~ .'."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Prune: drop the largest GVIF^(1/Df) above this, repeat."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """(Generalized) variance inflation factors as R's car::vif, with optional VIF pruning."""
    show(workflows.vif(data, formula, threshold=threshold), json_out)


def _single_term_table(tab: Any, json_out: Optional[str]) -> None:
    """Print a drop1/add1 table as R does (heading, model, table), or write it as JSON.

    Its ``attrs`` hold R's heading, the model, family, n and the missing-cell counts (``missing``).
    """
    attrs = dict(tab.attrs)
    missing = attrs.pop("missing", None) or {}
    if json_out is not None:
        rows = []
        for name, row in tab.iterrows():
            rec: dict[str, Any] = {"term": name}
            for col, v in row.items():
                f = float(v)
                rec[col] = None if not math.isfinite(f) else f
            rows.append(rec)
        emit_json({**{k: v for k, v in attrs.items()}, "columns": list(tab.columns), "rows": rows,
                   "missing": missing}, json_out)
        return
    typer.echo(attrs.get("heading", ""))
    typer.echo("")
    typer.echo(f"Model:\n{attrs.get('model', '')}")
    extra = f", theta = {attrs['theta']:.6g}" if attrs.get("theta") is not None else ""
    typer.echo(f"family: {attrs.get('family')}, n = {attrs.get('n')}{extra}, factor levels: collation {attrs.get('collation')!r}")
    typer.echo(anova_text(tab))
    if missing:
        typer.echo(workflows.missing_line(missing))


@app.command("drop1")
@handle_errors
def drop1_cmd(
    data: DataArg,
    formula: str = typer.Option(..., "--formula", help="R formula of the fitted model, e.g. 'counts ~ outcome + treatment'."),
    family: Family = "gaussian",
    link: Link = None,
    test: Optional[str] = typer.Option(None, "--test", help="none (default), F, Chisq (LRT), Rao (glm) or Wald."),
    k: AicK = 2.0,
    scope: Optional[str] = typer.Option(None, "--scope", help="Terms to drop, e.g. '~ outcome' (default: drop.scope)."),
    weights_column: WeightsColumn = None,
    offset_column: OffsetColumn = None,
    collation: Collation = "C",
    json_out: Optional[str] = JsonOpt,
) -> None:
    """R's drop1(fit, test = ...): the single-term deletions table of an lm/glm/glm.nb."""
    tab = workflows.drop1(data, formula, family=family, test=None if test == "none" else test, k=k, scope=scope, link=link,
                 weights=weights_column, offset=offset_column, collation=collation)
    _single_term_table(tab, json_out)


@app.command("add1")
@handle_errors
def add1_cmd(
    data: DataArg,
    formula: str = typer.Option(..., "--formula", help="R formula of the fitted model."),
    scope: str = typer.Option(..., "--scope", help="Terms that may be added, e.g. '~ . + x3' or '~ outcome * treatment'."),
    family: Family = "gaussian",
    link: Link = None,
    test: Optional[str] = typer.Option(None, "--test", help="none (default), F, Chisq (LRT) or Rao (glm)."),
    k: AicK = 2.0,
    weights_column: WeightsColumn = None,
    offset_column: OffsetColumn = None,
    collation: Collation = "C",
    json_out: Optional[str] = JsonOpt,
) -> None:
    """R's add1(fit, scope, test = ...): the single-term additions table of an lm/glm/glm.nb."""
    tab = workflows.add1(data, formula, scope, family=family, test=None if test == "none" else test, k=k, link=link,
                weights=weights_column, offset=offset_column, collation=collation)
    _single_term_table(tab, json_out)


# --- the order of `statprune --help` (commands register in file order; list them as a user meets them)
