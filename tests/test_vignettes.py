"""Each vignette runs, in Python and as its R twin, and both print the same numbers.

A vignette prints its key numbers as ``RESULT name=value`` lines (``%.10g``). The
Python file runs with this interpreter, the ``.R`` twin with ``Rscript``; the two
must print the same names, and the values must agree to ``RTOL`` (one unit in the
10th significant digit: both sides compute the same thing, R's glmnet/step/matrix
algebra, so only the last printed digit may differ) or ``ATOL`` near zero.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, child_env

VIGNETTES = ROOT / "vignettes"
RTOL = 1e-9
ATOL = 1e-12
_LINE = re.compile(r"^RESULT (\S+)=(\S+)$")

#: vignette -> which side runs first (the other reads what it wrote)
CASES = {
    "01_boston_lasso": "py",
    "02_logistic_stepwise_vs_lasso": "py",
    "03_rds_handoff": "R",      # the R colleague saves the .rds, Python loads it
    "04_prune_nn": "py",        # Python writes the pruned weights, R recomputes the network
    "05_valid_inference": "py",  # Python writes the stability half-samples, R refits glmnet on them
}


def _run(kind: str, stem: str, outdir: Path) -> dict[str, float]:
    script = VIGNETTES / f"{stem}.{'py' if kind == 'py' else 'R'}"
    cmd = [sys.executable, str(script), str(outdir)] if kind == "py" else ["Rscript", str(script), str(outdir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=str(ROOT), env=child_env())
    assert proc.returncode == 0, f"{script.name} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    out: dict[str, float] = {}
    for line in proc.stdout.splitlines():
        m = _LINE.match(line.strip())
        if m:
            assert m.group(1) not in out, f"{script.name} prints {m.group(1)} twice"
            out[m.group(1)] = float(m.group(2))
    assert len(out) >= 5, f"{script.name} printed only {len(out)} RESULT lines"
    return out


def _differences(py: dict[str, float], r: dict[str, float]) -> dict[str, tuple[float, float]]:
    return {k: (py[k], r[k]) for k in py if not abs(py[k] - r[k]) <= ATOL + RTOL * abs(r[k])}


@pytest.mark.against_r
@pytest.mark.parametrize("stem", sorted(CASES))
def test_vignette_python_and_r_print_the_same_numbers(stem, tmp_path):
    first = CASES[stem]
    second = "R" if first == "py" else "py"
    got = {first: _run(first, stem, tmp_path)}
    got[second] = _run(second, stem, tmp_path)
    py, r = got["py"], got["R"]
    assert sorted(py) == sorted(r), f"names differ: only in Python {sorted(set(py) - set(r))}, only in R {sorted(set(r) - set(py))}"
    bad = _differences(py, r)
    assert not bad, f"{stem}: Python and R differ: {bad}"


def test_vignettes_are_plain_percent_format_with_r_twins():
    pys = sorted(VIGNETTES.glob("*.py"))
    assert {p.stem for p in pys} == set(CASES)
    for p in pys:
        text = p.read_text()
        assert text.startswith("# %% [markdown]"), f"{p.name}: start with a '# %% [markdown]' cell"
        assert "RESULT" in text and (p.with_suffix(".R")).exists(), p.name
    assert not list(VIGNETTES.glob("*.ipynb")) and not list(VIGNETTES.glob("*.qmd")), "no Jupyter/Quarto files"


def test_result_parser_catches_a_difference(tmp_path):
    """The comparison can fail: a perturbed value is reported."""
    r = {"a": 1.0, "b": 2.0, "c": 0.0}
    assert _differences({"a": 1.0 + 5e-10, "b": 2.0 + 1e-8, "c": 1e-13}, r) == {"b": (2.0 + 1e-8, 2.0)}
