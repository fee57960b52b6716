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
#: test-only R functions (not shipped in the wheel: statprune's own R code is r_scripts/)
TEST_R = Path(__file__).resolve().parent / "r"
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
        if os.environ.get("STATPRUNE_NO_R_TIER"):  # scripts/ci_without_r.sh: the job without R skips what needs R
            pytest.skip(f"needs R (not part of the job without R): {problem.splitlines()[0]}")
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


def doc_blocks(doc: str, heading: str) -> dict[str, list[str]]:
    """The ```python and ```r code blocks of the ``## heading`` section of ``docs/<doc>``."""
    import re

    text = (ROOT / "docs" / doc).read_text()
    m = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m is not None, f"docs/{doc} has no section '## {heading}'"
    sec = m.group(1)
    return {lang: re.findall(rf"```{lang}\n(.*?)```", sec, re.S) for lang in ("python", "r")}


def run_doc_python(code: str, cwd: Path) -> str:
    """Run a docs Python block in ``cwd``; its stdout."""
    import contextlib
    import io

    buf = io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(code, "docs-block", "exec"), {})  # noqa: S102 - our own docs
    finally:
        os.chdir(old)
    return buf.getvalue()


def run_doc_r(code: str, cwd: Path) -> str:
    """Run a docs R block with Rscript in ``cwd``; its stdout."""
    script = cwd / "block.R"
    script.write_text(code)
    proc = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, cwd=cwd, timeout=600,
                          env=child_env(), check=False)
    if proc.returncode != 0:
        raise AssertionError(f"docs R block failed:\n{proc.stderr}")
    return proc.stdout


def number_lines(out: str) -> list[list[str]]:
    """Lines of ``out`` that hold only fixed-point numbers (the lines the docs print in both languages)."""
    import re

    return [ln.split() for ln in out.splitlines() if re.fullmatch(r"\s*-?\d+\.\d+(\s+-?\d+\.\d+)*\s*", ln)]


_TEST_R_ENVS: dict[str, object] = {}


def call_test_r(script: str, function: str, *args: object) -> object:
    """Call ``function`` of the test-only ``tests/r/<script>.R`` with Python values, in R started by statprune.

    The script is sourced once into its own environment; arguments and the value go
    through :func:`statprune._r.to_r` / :func:`statprune._r.from_r`, as the bridge's own calls do.
    """
    from statprune import _r

    ri = _r.start()
    env = _TEST_R_ENVS.get(script)
    if env is None:
        env = ri.baseenv["new.env"]()
        ri.baseenv["sys.source"](ri.StrSexpVector([str(TEST_R / f"{script}.R")]), envir=env)
        _TEST_R_ENVS[script] = env
    return _r.from_r(env.find(function)(*[_r.to_r(a) for a in args]))


_IN_BRIDGE: set[str] = set()


def source_test_r_into_bridge(script: str) -> None:
    """Source the test-only ``tests/r/<script>.R`` into the bridge's own R environment, once.

    Its functions are then reached through :func:`statprune._r.call` (``_r.call("_bridge", name, ...)``),
    so the bridge's tests exercise the package's call path: argument conversion, R's warnings as
    ``RWarning``, R's errors as ``RError`` with R's message and call.
    """
    from statprune import _r

    ri = _r.start()
    if script in _IN_BRIDGE:
        return
    with _r._LOCK:
        ri.baseenv["sys.source"](ri.StrSexpVector([str(TEST_R / f"{script}.R")]), envir=_r._STATE["env"])
    _IN_BRIDGE.add(script)
