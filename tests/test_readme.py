"""The README's Python examples run, and the numbers it shows are the numbers statprune gives."""

from __future__ import annotations

import re

import numpy as np
import pytest
from helpers import ROOT

pytestmark = [pytest.mark.against_r, pytest.mark.slow]


def test_readme_python_blocks_run_and_match_the_text(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), ns)  # noqa: S102 - our own README
    est, res = ns["est"], ns["res"]
    # the numbers quoted in the README (and printed by R in the same README)
    assert est.lambda_min_ == pytest.approx(0.02118501942064922, rel=1e-12)
    assert est.lambda_1se_ == pytest.approx(0.3145908147490857, rel=1e-12)
    assert "0.02118501942064922" in text and "0.31459081474908568" in text
    coef = est.result_.coef("lambda.min")
    np.testing.assert_allclose([coef["(Intercept)"], coef["crim"]], [34.880894915, -0.100714832], atol=5e-10)
    assert coef["indus"] == 0.0
    assert res.final_terms == ["Agriculture", "Education", "Catholic", "Infant.Mortality"]
    np.testing.assert_allclose(list(res.steps["AIC"]), [190.6913463, 189.8606219], atol=5e-8)
    assert ns["rep"].ok
