"""Helpers shared by the tests (import as ``from helpers import ...``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
R_SCRIPTS = ROOT / "r_scripts"
EXPECTED = Path(__file__).resolve().parent / "expected"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
def _r_problem() -> str | None:
    from statprune import _r
    from statprune.errors import RNotAvailableError

    try:
        _r.start()
        _r.require_r_packages("glmnet", "MASS", "jsonlite")
    except RNotAvailableError as exc:
        return str(exc)
    if shutil.which("Rscript") is None:
        return "Rscript is not on PATH"
    return None


_R_PROBLEM: list[str | None] = []


def r_problem() -> str | None:
    if not _R_PROBLEM:
        _R_PROBLEM.append(_r_problem())
    return _R_PROBLEM[0]


def require_r() -> None:
    """Skip (or, under CI=true, fail) when R is not usable."""
    problem = r_problem()
    if problem is not None:
        if IN_CI:
            pytest.fail(f"R is required under CI=true but is not usable: {problem}")
        pytest.skip(f"R not available: {problem}")


def run_rscript(script: str, *args: str, timeout: float = 600) -> dict:
    """Run a pure-R reference script from r_scripts/ and parse its JSON stdout."""
    require_r()
    proc = subprocess.run(
        ["Rscript", str(R_SCRIPTS / script), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"Rscript {script} failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


def load_expected(name: str) -> dict:
    """Stored expected values produced by r_scripts/make_expected.R."""
    return json.loads((EXPECTED / name).read_text())


def assert_allclose(actual, desired, rtol=0.0, atol=0.0, err_msg=""):
    np.testing.assert_allclose(np.asarray(actual, float), np.asarray(desired, float), rtol=rtol, atol=atol, err_msg=err_msg)


def child_env() -> dict:
    """Environment for child processes (Python, Rscript) started by tests.

    Starting the embedded R (rpy2) prepends R's library folders, among them
    ``/usr/lib/x86_64-linux-gnu``, to this process's ``LD_LIBRARY_PATH``; a child
    Python would then load the system ``libpython`` instead of its own (a different
    patch version). Children start R themselves when they need it.
    """
    env = dict(os.environ)
    if "/usr/lib/R/lib" in env.get("LD_LIBRARY_PATH", "").split(":"):
        env.pop("LD_LIBRARY_PATH")
    return env
