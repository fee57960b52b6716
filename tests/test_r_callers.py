"""At most two modules call the R bridge's functions by name (issue 12).

``statprune.lasso._backend_r`` calls the lasso's glmnet functions (``r_scripts/bridge/glmnet.R``),
``statprune._backend_r`` every other R function the package needs; every other module calls
these typed functions. Static check (AST only, nothing imported).
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

PKG = ROOT / "statprune"
# the modules allowed to call the R bridge's functions by name (``_r.call(script, function)``)
R_CALLERS = {"statprune.lasso._backend_r", "statprune._backend_r"}


def _modname(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


TREES = {_modname(p): ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in sorted(PKG.rglob("*.py"))}


def _r_call_sites(module: str) -> list[int]:
    lines = []
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "call":
            v = node.func.value
            if isinstance(v, ast.Name) and v.id in {"_r", "r", "bridge"} and node.args and isinstance(node.args[0], ast.Constant):
                lines.append(node.lineno)
    return lines


def test_r_bridge_called_by_at_most_two_modules():
    callers = {m for m in TREES if m != "statprune._r" and _r_call_sites(m)}
    assert len(callers) <= 2, f"modules calling R bridge functions by name: {sorted(callers)}"
    assert callers <= R_CALLERS, sorted(callers - R_CALLERS)
