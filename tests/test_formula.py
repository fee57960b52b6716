"""Formula parsing (statprune.engines.stepwise.formula on formulaic) against R's ``terms()``.

The live test runs a small pure-R check through ``Rscript`` (marker ``against_r``):
``attr(terms(f, data = d), "term.labels")`` and ``attr(, "intercept")`` for each
formula, and ``update(base, scope)`` for the scope formulas of ``step()``. The
unit tests pin R's answers for the cases where formulaic on its own differs from
R (each one a shim in ``statprune/engines/stepwise/formula.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from helpers import child_env

from statprune.engines.stepwise.formula import Design, _deparse, _r_tokens, parse_formula
from statprune.errors import DataError, ParameterError

COLUMNS = ["y", "a", "b", "c", "Infant.Mortality", "x", "odd name", "g"]

# formula -> (R's term.labels, R's intercept), from R 4.2.2:
#   d <- data.frame(y=, a=, b=, c=, Infant.Mortality=, x=, `odd name`=, g=<factor>, check.names = FALSE)
#   attr(terms(f, data = d), "term.labels"); attr(terms(f, data = d), "intercept")
R_TERMS = {
    "y ~ b:a + a": (["a", "b:a"], 1),  # label follows R's variable order (b first)
    "y ~ a + b:a": (["a", "a:b"], 1),
    "y ~ c + b:a + a:c": (["c", "b:a", "c:a"], 1),
    "y ~ a*b - a": (["b", "a:b"], 1),  # "- term"
    "y ~ .": (["a", "b", "c", "Infant.Mortality", "x", "odd name", "g"], 1),
    "y ~ 0 + .": (["a", "b", "c", "Infant.Mortality", "x", "odd name", "g"], 0),
    "y ~ . - a - 1": (["b", "c", "Infant.Mortality", "x", "odd name", "g"], 0),
    "y ~ b:a + .": (["a", "b", "c", "Infant.Mortality", "x", "odd name", "g", "b:a"], 1),
    "log(y) ~ .": (["a", "b", "c", "Infant.Mortality", "x", "odd name", "g"], 1),  # "." leaves out all.vars(lhs)
    "y ~ -1 + a": (["a"], 0),
    "y ~ a + -1 + b": (["a", "b"], 0),
    "y ~ -a + b": (["b"], 1),
    "y ~ a + (b - a)": (["a", "b"], 1),
    "y ~ (a+b+c)^2": (["a", "b", "c", "a:b", "a:c", "b:c"], 1),  # "^", R's order by degree
    "y ~ (a + b + c)^2 - b:c": (["a", "b", "c", "a:b", "a:c"], 1),
    "y ~ a*b*c - a:b:c": (["a", "b", "c", "a:b", "a:c", "b:c"], 1),
    "y ~ (a+b)*(c+x)": (["a", "b", "c", "x", "a:c", "a:x", "b:c", "b:x"], 1),
    "y ~ a %in% b": (["a:b"], 1),  # formulaic alone: b + b:a
    "y ~ b %in% a": (["b:a"], 1),
    "y ~ a*b %in% c": (["a", "b:c", "a:b:c"], 1),  # %in% binds tighter than *
    "y ~ a:b %in% c": (["a:b:c"], 1),  # and looser than :
    "y ~ a/b": (["a", "a:b"], 1),
    "y ~ a/(b+c)": (["a", "a:b", "a:c"], 1),
    "y ~ (a + b) / c": (["a", "b", "a:b:c"], 1),
    "y ~ a:a + a + a": (["a"], 1),  # duplicates collapse
    "y ~ I(x^2) + log(x)": (["I(x^2)", "log(x)"], 1),  # R's deparse, not formulaic's "I(x ^ 2)"
    "y ~ log(x + 1) + I(x*2) + I(x * -1)": (["log(x + 1)", "I(x * 2)", "I(x * -1)"], 1),
    "y ~ x + I(x^2):a": (["x", "I(x^2):a"], 1),
    "y ~ I(x**2) + (a+b)**2": (["I(x^2)", "a", "b", "a:b"], 1),  # R reads ** as ^
    'y ~ relevel(g, ref = "b") + as.factor(g) + factor(g):C(g)': (
        ['relevel(g, ref = "b")', "as.factor(g)", "factor(g):C(g)"],
        1,
    ),
    "y ~ Infant.Mortality + `odd name` - 1": (["Infant.Mortality", "odd name"], 0),
    # R's deparse of call text: %/% %% / tight, numbers in R's format, keyword spacing
    "y ~ I(x %/% 2) + I(x%%2) + I(1e-3*x) + log(x, base=2) + poly(x,2) + I(x/.5) + I(1e5*x)": (
        ["I(x%/%2)", "I(x%%2)", "I(0.001 * x)", "log(x, base = 2)", "poly(x, 2)", "I(x/0.5)", "I(1e+05 * x)"],
        1,
    ),
    "y ~ I(!a) + I(a > 1 & b < 2) + I(-x^2) + I((x+1)*2)": (["I(!a)", "I(a > 1 & b < 2)", "I(-x^2)", "I((x + 1) * 2)"], 1),
    "y ~ a + offset(log(x)) + b": (["a", "b"], 1),  # an offset is not a term
    "y ~ 1": ([], 1),
    "y ~ 0": ([], 0),
}

# (base model, scope formula) -> R: attr(terms(update(base, scope)), "term.labels")
R_SCOPES = {
    ("y ~ a*b + x", "~ . + c"): ["a", "b", "x", "c", "a:b"],
    ("y ~ a*b + x", "~ . - a:b"): ["a", "b", "x"],
    ("y ~ a*b + x", "~ .^2"): ["a", "b", "x", "a:b", "a:x", "b:x", "a:b:x"],
    ("y ~ b:a + x", "~ . + I(x^2)"): ["x", "I(x^2)", "b:a"],
    ("y ~ a*b + I(x^2) + `odd name`", "~ . - I(x^2)"): ["a", "b", "odd name", "a:b"],
    ("y ~ a*b + I(x^2) + `odd name`", "~ . - `odd name` + c"): ["a", "b", "I(x^2)", "c", "a:b"],
    ("y ~ a*b + I(x^2) + `odd name`", "~ .^2 - I(x^2):a"): [
        "a", "b", "I(x^2)", "odd name", "a:b", "a:odd name", "b:I(x^2)", "b:odd name", "I(x^2):odd name",
        "a:b:I(x^2)", "a:b:odd name",
    ],
}

_R_CHECK = r"""
library(jsonlite)
args <- commandArgs(TRUE)
spec <- fromJSON(args[1], simplifyVector = FALSE)
d <- data.frame(y = 1:6, a = 1:6, b = 2:7, c = 3:8, Infant.Mortality = 1:6, x = 1:6,
                `odd name` = 1:6, g = factor(c("a", "b", "c", "a", "b", "c")), check.names = FALSE)
terms_of <- function(f) {
  tt <- terms(as.formula(f), data = d)
  list(labels = I(attr(tt, "term.labels")), intercept = attr(tt, "intercept"))
}
out <- list(
  formulas = lapply(spec$formulas, terms_of),
  scopes = lapply(spec$scopes, function(s)
    list(labels = I(attr(terms(update(as.formula(s[[1]]), as.formula(s[[2]]))), "term.labels"))))
)
cat(toJSON(out, auto_unbox = TRUE))
"""


def _parse(formula: str):
    return parse_formula(formula, COLUMNS)


def _scope_labels(base: str, scope: str) -> list[str]:
    b = _parse(base)
    s = parse_formula(scope, COLUMNS, response=b.response, need_response=False, dot_terms=b.terms, var_order=b.var_order)
    return s.labels()


@pytest.mark.parametrize("formula", list(R_TERMS))
def test_term_labels_and_intercept_as_r(formula):
    labels, intercept = R_TERMS[formula]
    f = _parse(formula)
    assert f.labels() == labels
    assert f.intercept == bool(intercept)


@pytest.mark.parametrize(("base", "scope"), list(R_SCOPES))
def test_scope_dot_is_update_formula(base, scope):
    assert _scope_labels(base, scope) == R_SCOPES[(base, scope)]


@pytest.mark.against_r
def test_terms_against_live_r(tmp_path):
    """Every formula above (and the scopes) through R's own terms()/update(), live."""
    script = tmp_path / "terms_check.R"
    script.write_text(_R_CHECK)
    spec = {"formulas": list(R_TERMS), "scopes": [list(k) for k in R_SCOPES]}
    proc = subprocess.run(
        ["Rscript", str(script), json.dumps(spec)], capture_output=True, text=True, timeout=120, env=child_env()
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)

    def r_labels(got: dict) -> list[str]:  # R backticks non-syntactic names (`odd name`); statprune keeps the name
        return [lab.replace("`", "") for lab in got["labels"]]

    # one answer per formula and scope: zip over a short (or empty) R answer would check nothing
    assert len(out["formulas"]) == len(R_TERMS) and len(out["scopes"]) == len(R_SCOPES)
    for formula, got in zip(R_TERMS, out["formulas"]):
        f = _parse(formula)
        assert (f.labels(), int(f.intercept)) == (r_labels(got), int(got["intercept"])), formula
        assert R_TERMS[formula] == (r_labels(got), int(got["intercept"])), f"stale pin for {formula}"
    for key, got in zip(R_SCOPES, out["scopes"]):
        assert _scope_labels(*key) == r_labels(got), key


def test_variable_order_and_response():
    f = _parse("log(y) ~ b:a + .")
    assert f.response == "log(y)"
    assert f.var_order[:3] == ["log(y)", "b", "a"]  # R: attr(terms(.), "variables")
    f = parse_formula("~ a + c", COLUMNS, response="y", need_response=False)
    assert f.response == "y" and f.labels() == ["a", "c"]


def test_model_matrix_of_a_nested_term():
    df = pd.DataFrame({"y": [1.0, 2, 3, 4], "g": ["a", "b", "a", "b"], "x": [1.0, 2, 3, 5]})
    f = parse_formula("y ~ x %in% g", df.columns)
    _, names, _ = Design(df, f.var_order).matrix(f.terms, f.intercept, f.var_order)
    # R: colnames(model.matrix(y ~ x %in% g, df))
    assert names == ["(Intercept)", "x:ga", "x:gb"]


@pytest.mark.parametrize(
    ("text", "deparsed"),
    [("x^2", "x^2"), ("x**2", "x^2"), ("x<=-1", "x <= -1"), ("x*2", "x * 2"), ("-x", "-x"), ("x * -1", "x * -1"), ('g == "b"', 'g == "b"'),
     ("1e-5*x", "1e-05 * x"), ("a & !b", "a & !b"), ("f(g(x),2)", "f(g(x), 2)")],
)
def test_r_deparse_of_call_arguments(text, deparsed):
    assert _deparse(_r_tokens(text)) == deparsed


@pytest.mark.parametrize(
    ("formula", "match"),
    [
        ("y ~ a +", "ends"),
        ("y ~ 2*a", "only 0 and 1"),
        ("y ~ a:2", "only 0 and 1"),
        ('y ~ a + "b"', "only 0 and 1"),
        ("y ~ (a + b)^1.5", "positive integer"),
        ("y ~ a | b", "cannot parse"),
        ("y ~ (a + b", "cannot parse"),
        ("y ~ a; b", "cannot parse"),
        ("y ~", "nothing on the right"),
        ("y", "no '~'"),
    ],
)
def test_bad_formulas_are_parameter_errors(formula, match):
    with pytest.raises(ParameterError, match=match):
        _parse(formula)


def test_python_only_formulaic_never_sees_calls():
    """R names that are not Python (as.factor) parse; the label is R's text."""
    f = _parse("y ~ as.factor(g) + log(Infant.Mortality)")
    assert f.labels() == ["as.factor(g)", "log(Infant.Mortality)"]
    assert "formulaic" in sys.modules


# ----------------------------------------------------------------------------- no code runs from a formula (#18 item 9)
_HOSTILE = [
    "y ~ I(x . a)",  # two names side by side: once reached Python attribute access
    'y ~ I("a"[0])',  # indexing
    'y ~ __import__("os")',
    'y ~ I(__import__("os").system("touch PWNED"))',
    "y ~ I(x$real)",
    "y ~ I(x@a)",
    'y ~ I(base::system("touch PWNED"))',
    "y ~ I(x[1])",
    "y ~ I({x})",
    "y ~ I(x <- 1)",
    'y ~ eval(parse(text = "1"))',
    'y ~ getattr(x, "real")',
    "y ~ I(x && a)",
    "y ~ I(a < x < b)",
    "y ~ I(x:a)",
    "y ~ log(x, evil = 1)",
]


@pytest.mark.parametrize("formula", _HOSTILE)
def test_hostile_terms_are_refused_and_nothing_runs(formula, tmp_path, monkeypatch):
    import builtins

    from statprune.stepwise import stepwise

    import statprune.engines.stepwise.formula
    import statprune.engines.stepwise.rexpr

    monkeypatch.chdir(tmp_path)
    calls = []
    for mod in (statprune.engines.stepwise.formula, statprune.engines.stepwise.rexpr):  # a global shadows the builtin inside the module
        for name in ("eval", "exec", "compile", "__import__", "getattr"):
            real = getattr(builtins, name)
            monkeypatch.setattr(mod, name, lambda *a, _r=real, _n=name, **k: (calls.append(_n), _r(*a, **k))[1],
                                raising=False)
    df = pd.DataFrame({"y": [1.0, 2, 3, 5, 4, 6], "x": [1.0, 2, 3, 4, 5, 6], "a": [2.0, 1, 4, 3, 6, 5],
                       "b": [0.0, 1, 0, 1, 0, 1]})
    with pytest.raises((ParameterError, DataError)) as info:
        stepwise(df, formula)
    monkeypatch.undo()
    assert not (tmp_path / "PWNED").exists()
    assert not calls, calls
    msg = str(info.value)
    assert "\n" not in msg and len(msg) < 600


def test_terms_evaluate_without_python_eval(monkeypatch):
    """I(), log(), poly() and friends are evaluated on the parsed tree, never through eval/compile."""
    import statprune.engines.stepwise.formula
    import statprune.engines.stepwise.rexpr
    from statprune.stepwise import stepwise

    def boom(*a, **k):
        raise AssertionError("Python eval/compile was called on a formula")

    for mod in (statprune.engines.stepwise.formula, statprune.engines.stepwise.rexpr):
        for name in ("eval", "exec", "compile"):
            monkeypatch.setattr(mod, name, boom, raising=False)
    df = pd.DataFrame({"y": [1.0, 2, 3, 5, 4, 6, 8, 7], "x": [1.0, 2, 3, 4, 5, 6, 7, 9],
                       "a": [2.0, 1, 4, 3, 6, 5, 8, 6]})
    res = stepwise(df, "y ~ I(x^2) + log(a, base = 2) + I(a > 3 & x < 7) + I(x %/% 2)", direction="backward")
    assert res.initial_terms == ["I(x^2)", "log(a, base = 2)", "I(a > 3 & x < 7)", "I(x%/%2)"]


def test_r_arithmetic_semantics():
    from statprune.engines.stepwise.formula import evaluate_variable

    df = pd.DataFrame({"x": [-3.0, -1, 2, 5], "b": [True, False, True, True]})
    ev = lambda t: evaluate_variable(t, df).values  # noqa: E731
    assert ev("I(x %/% 2)").tolist() == [-2, -1, 1, 2]  # floor division, as R
    assert ev("I(x %% 2)").tolist() == [1, 1, 0, 1]  # sign of the divisor, as R
    assert ev("I(-x^2)").tolist() == [-9, -1, -4, -25]  # ^ binds tighter than unary minus
    assert ev("I(2^-1 * x)").tolist() == [-1.5, -0.5, 1, 2.5]
    assert ev("I(b + b)").tolist() == [2, 0, 2, 2]  # logical arithmetic is numeric (TRUE + TRUE = 2)
    v = evaluate_variable("I(x > 0 & b)", df)  # a logical term is a factor FALSE/TRUE, as in model.matrix
    assert v.levels == ["FALSE", "TRUE"] and v.codes.tolist() == [0, 0, 1, 1]
    assert evaluate_variable("I(!x > 0)", df).codes.tolist() == [1, 1, 0, 0]  # ! is looser than >


def test_cli_hostile_formula_exits_2_without_traceback(tmp_path):
    from typer.testing import CliRunner

    from statprune.cli import app

    data = tmp_path / "d.csv"
    data.write_text("y,x1,x2\n1,2,3\n2,1,4\n3,4,1\n5,3,2\n4,6,5\n")
    for formula in ("y ~ I(x1 . x2)", 'y ~ x1 + I("a"[0])', 'y ~ I(__import__("os").system("touch PWNED"))'):
        r = CliRunner().invoke(app, ["stepwise", str(data), "--formula", formula])
        assert r.exit_code == 2, (formula, r.output)
        assert "Traceback" not in r.output and "error:" in r.output
    assert not (tmp_path / "PWNED").exists() and not (__import__("pathlib").Path("PWNED")).exists()
