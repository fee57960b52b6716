"""The package's shape, as docs/architecture.md states it, checked from the source.

Static checks (AST only, nothing imported): no import cycle between statprune's modules,
no module above the size at which a module usually holds two concerns, the R bridge's
functions called by name from at most two modules, the layers importing only downwards,
and each of glmnet's rules defined in exactly one place.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import ROOT

PKG = ROOT / "statprune"
MAX_LINES = 700
# the modules allowed to call the R bridge's functions by name (``_r.call(script, function)``)
R_CALLERS = {"statprune.lasso._backend_r", "statprune._backend_r"}


def _modname(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_modname(p): p for p in sorted(PKG.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for name, path in MODULES.items()}


def _resolve(module: str, node: ast.ImportFrom) -> list[str]:
    is_pkg = MODULES[module].name == "__init__.py"
    if node.level:
        base = module.split(".")
        base = base if is_pkg else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        stem = ".".join(base + ([node.module] if node.module else []))
    else:
        stem = node.module or ""
    out = []
    for alias in node.names:
        cand = f"{stem}.{alias.name}"
        out.append(cand if cand in MODULES else stem)
    return out


def _imports(module: str) -> set[str]:
    """statprune modules imported by ``module`` anywhere in its body (deferred imports count)."""
    found: set[str] = set()
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.update(_resolve(module, node))
    resolved = set()
    for name in found:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name.startswith("statprune") and name != module:
            resolved.add(name)
    return resolved


GRAPH = {m: _imports(m) for m in MODULES}


def _is_ancestor_package(a: str, b: str) -> bool:
    return b.startswith(a + ".")


def test_no_import_cycles():
    # a package's __init__ re-exporting its submodules is not a cycle with them
    graph = {m: {d for d in deps if not _is_ancestor_package(m, d) and not _is_ancestor_package(d, m)} for m, deps in GRAPH.items()}
    graph = {m: {d for d in deps if d != "statprune"} for m, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module):
    n = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{module} has {n} lines (> {MAX_LINES}): it probably holds two concerns"


def _r_call_sites(module: str) -> list[int]:
    lines = []
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "call":
            v = node.func.value
            if isinstance(v, ast.Name) and v.id in {"_r", "r", "bridge"} and node.args and isinstance(node.args[0], ast.Constant):
                lines.append(node.lineno)
    return lines


def test_r_bridge_called_by_at_most_two_modules():
    callers = {m for m in MODULES if m != "statprune._r" and _r_call_sites(m)}
    assert len(callers) <= 2, f"modules calling R bridge functions by name: {sorted(callers)}"
    assert callers <= R_CALLERS, sorted(callers - R_CALLERS)


def test_only_the_bridge_imports_rpy2():
    users = sorted(m for m, tree in TREES.items() for node in ast.walk(tree)
                   if (isinstance(node, ast.Import) and any(a.name.startswith("rpy2") for a in node.names))
                   or (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rpy2")))
    assert set(users) <= {"statprune._r"}, users


LOWER = ("statprune.engines", "statprune._glmnet", "statprune._validation", "statprune.errors", "statprune._r")


@pytest.mark.parametrize("low", LOWER)
def test_lower_layers_never_call_up(low):
    upper = ("statprune.cli", "statprune.report", "statprune.workflows", "statprune.lasso", "statprune.stepwise",
             "statprune.crosscheck", "statprune.compare", "statprune.stability")
    bad = {m: sorted(d for d in GRAPH[m] if d.startswith(upper)) for m in MODULES if m == low or m.startswith(low + ".")}
    bad = {m: d for m, d in bad.items() if d}
    assert not bad, bad


def test_cli_holds_no_statistics():
    # the CLI parses and prints: workflows (what each command runs), the report (a front end of its own),
    # the cross-check's table rendering, text/JSON output, errors and progress
    allowed = ("statprune.workflows", "statprune.report", "statprune.crosscheck.report", "statprune.errors", "statprune._progress",
               "statprune._text", "statprune._json", "statprune._doctor", "statprune._provenance", "statprune.cli")
    deps = {d for m in MODULES if m == "statprune.cli" or m.startswith("statprune.cli.") for d in GRAPH[m]}
    assert {d for d in deps if not d.startswith(allowed) and d != "statprune"} == set()


def _defined(name: str) -> list[str]:
    where = []
    for m, tree in TREES.items():
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                where.append(m)
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                where.append(m)
    return where


# each of glmnet's rules has one home (docs/architecture.md, "Where each R rule lives")
ONE_HOME = {
    "lambda_interp": "statprune._glmnet.rules",      # coef(fit, s=) interpolation
    "interpolate": "statprune._glmnet.rules",
    "lambda_sequence": "statprune._glmnet.rules",    # glmnet's log-spaced lambda grid
    "lambda_max": "statprune._glmnet.rules",
    "path_stops": "statprune._glmnet.rules",         # fdev / devmax / dfmax stop rules
    "cv_aggregate": "statprune._glmnet.rules",       # cvm and cvsd
    "choose_lambda": "statprune._glmnet.rules",      # lambda.min / lambda.1se
    "check_foldid": "statprune._glmnet.folds",
    "draw_foldid": "statprune._glmnet.folds",        # R's sample(rep(seq(nfolds), length = N))
    "hash_foldid": "statprune._glmnet.folds",        # out-of-core
    "_splitmix64": "statprune._glmnet.folds",
    "class_levels": "statprune._glmnet.families",    # R's factor level order: the binomial event
    "event_class": "statprune._glmnet.families",
    "linkinv": "statprune._glmnet.families",
    "GLMNET_FAMILIES": "statprune._glmnet.families",
    "DEFAULTS": "statprune._glmnet.params",          # glmnet's defaults
    "GlmnetParams": "statprune._glmnet.params",      # glmnet's arguments, one frozen object
    "r_options": "statprune._glmnet.params",         # GlmnetParams -> R's argument names
    "path_settings": "statprune.engines._settings",  # GlmnetParams -> the path kernels' arguments
    "check_design": "statprune._validation",         # a numeric X and its names (R's x1.. / V1..)
    "CONTROL": "statprune._glmnet.params",           # glmnet.control()
}
# names of the copies that the reshape removed: they must not come back
RETIRED = ("_lambda_interp", "_interp", "_glmnet_cv_aggregate", "_glmnet_argmin", "ooc_foldid", "_glmnet_lambda_path",
           "FAMILIES", "_FAMILY_ALIASES", "cv_glmnet_r", "_FDEV", "_DEVMAX", "_BIG", "_MNLAM", "_PMIN",
           "GlmnetDefaults", "r_opts")


@pytest.mark.parametrize("name", sorted(ONE_HOME))
def test_rule_defined_once(name):
    assert _defined(name) == [ONE_HOME[name]]


@pytest.mark.parametrize("name", RETIRED)
def test_retired_copies_stay_gone(name):
    assert _defined(name) == []


def test_glmnet_control_literals_live_in_params():
    # glmnet.control()'s big = 9.9e35 and fdev = 1e-5 written anywhere else would be a second copy
    where = sorted(m for m, tree in TREES.items() for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value in (9.9e35,))
    assert where in ([], ["statprune._glmnet.params"]), where


# --------------------------------------------------------------------------- glmnet's parameter list, once
def _glmnet_params_fields() -> dict[str, object]:
    """GlmnetParams' fields (and class constants) with their default, as written in _glmnet/params.py."""
    cls = next(n for n in TREES["statprune._glmnet.params"].body if isinstance(n, ast.ClassDef) and n.name == "GlmnetParams")
    return {n.target.id: (n.value.value if isinstance(n.value, ast.Constant) else None)
            for n in cls.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}


def _signatures():
    for m, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = node.args
                positional = a.posonlyargs + a.args
                defaults = dict(zip([x.arg for x in positional[len(positional) - len(a.defaults):]], a.defaults))
                defaults.update({x.arg: d for x, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None})
                yield m, node, [x.arg for x in positional + a.kwonlyargs], defaults


def test_glmnet_default_values_are_written_only_in_params():
    # `alpha: float = 1.0` or `nfolds=10` in a signature is a second copy of glmnet's default: use DEFAULTS.alpha
    numeric = {k: v for k, v in _glmnet_params_fields().items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    assert {"alpha", "nlambda", "thresh", "maxit", "nfolds"} <= set(numeric)
    copies = sorted(f"{m}.{node.name}({name}={d.value!r})" for m, node, _, defaults in _signatures()
                    if m != "statprune._glmnet.params" for name, d in defaults.items()
                    if name in numeric and isinstance(d, ast.Constant) and d.value == numeric[name]
                    and not isinstance(d.value, bool))
    assert copies == [], copies


# the signatures that must spell glmnet's parameters one by one: scikit-learn's get_params/clone read
# GlmnetCV.__init__, and typer reads the lasso command's options
SPELLED_OUT = {("statprune.lasso.estimator", "__init__"), ("statprune.cli._lasso", "lasso")}


def test_glmnet_parameter_list_is_spelled_out_once():
    # a function taking 10 or more of glmnet's parameters one by one is a copy of the list (r_options took 26,
    # path_settings 13): take a GlmnetParams; a method's own signature with a few of them (alpha, nfolds...) is fine
    names = set(_glmnet_params_fields())
    lists = sorted((m, node.name) for m, node, args, _ in _signatures() if len(names & set(args)) >= 10)
    assert set(lists) <= SPELLED_OUT, sorted(set(lists) - SPELLED_OUT)


def test_stepwise_commands_declare_the_model_options_once():
    # step, drop1 and add1 share one declaration of the options of the model (typer Annotated aliases)
    tree = TREES["statprune.cli._stepwise"]
    declared = [a.value for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Option"
                for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("--")]
    for opt in ("--family", "--link", "--weights-column", "--offset-column", "--collation"):
        assert declared.count(opt) == 1, (opt, declared.count(opt))


def test_cli_shows_glmnet_defaults():
    # the CLI's copies of glmnet's alpha and nfolds (it imports no method at start-up) are DEFAULTS'
    from statprune._glmnet.params import DEFAULTS
    from statprune.cli._common import GLMNET_ALPHA, GLMNET_NFOLDS

    assert (GLMNET_ALPHA, GLMNET_NFOLDS) == (DEFAULTS.alpha, DEFAULTS.nfolds)
    for m in ("statprune.cli._lasso", "statprune.cli._methods"):
        literal = [n.lineno for n in ast.walk(TREES[m]) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "Option"
                   and any(isinstance(a, ast.Constant) and a.value in ("--alpha", "--nfolds") for a in n.args)
                   and n.args and isinstance(n.args[0], ast.Constant) and n.args[0].value in (1.0, 10)]
        assert literal == [], (m, literal)
