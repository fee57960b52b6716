"""R's ``set.seed(s); sample(rep(seq(k), length = n))`` without R (statprune._rng, statprune._glmnet.folds).

Expected values come from R: the stored fixture ``tests/expected/r_folds.json``
(``r_scripts/make_expected_rng.R``, many seeds, n around powers of two, nfolds
3/5/10/n) and live comparisons through the R bridge and through ``cv.glmnet``'s
own draw (``keep = TRUE``).  Fold ids are integers: equality is exact.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import call_test_r

from statprune._glmnet.folds import r_foldid
from statprune._rng import RRandom, r_runif, r_sample_int

FIXTURE = Path(__file__).parent / "expected" / "r_folds.json"
DOC = json.loads(FIXTURE.read_text())
CASES = DOC["cases"]


def test_fixture_records_r_defaults():
    assert DOC["rngkind"] == ["Mersenne-Twister", "Inversion", "Rejection"]
    assert len(CASES) > 1000


@pytest.mark.parametrize("n", sorted({c["n"] for c in CASES}))
def test_folds_equal_stored_r_draws(n):
    for case in (c for c in CASES if c["n"] == n):
        rng = RRandom(case["seed"])
        perm = rng.sample_int(n)
        f = (perm - 1) % case["nfolds"] + 1
        where = f"n={n} nfolds={case['nfolds']} seed={case['seed']}"
        if case["foldid"] is not None:
            assert f.tolist() == list(np.atleast_1d(case["foldid"])), where
        assert f[: len(np.atleast_1d(case["head"]))].tolist() == list(np.atleast_1d(case["head"])), where
        assert f[-len(np.atleast_1d(case["tail"])):].tolist() == list(np.atleast_1d(case["tail"])), where
        idx = np.arange(1, n + 1, dtype=float)
        assert float(f.astype(float) @ idx) == case["checksum"], where
        assert float((f % 7).astype(float) @ (idx % 1009)) == case["checksum2"], where
        # the generator is left where R's is: the next runif() agrees too
        assert rng.unif_rand(1)[0] == pytest.approx(case["runif_after"], rel=0, abs=1e-15), where


def test_public_helpers_agree_with_stream():
    assert r_foldid(100, 10, 3).tolist() == ((r_sample_int(100, 3) - 1) % 10 + 1).tolist()
    u = r_runif(5, 11)
    assert np.all((u > 0) & (u < 1))


def test_bad_seed_is_a_clear_error():
    with pytest.raises(ValueError, match="valid R integer"):
        RRandom(2**31)


@pytest.mark.against_r
def test_live_r_sample_and_runif(r):
    rng = np.random.default_rng(20261201)
    for _ in range(40):
        n = int(rng.choice([int(rng.integers(3, 300)), int(2 ** rng.integers(2, 17) + rng.integers(-2, 3))]))
        k = int(rng.choice([3, 5, 10, n]))
        seed = int(rng.integers(-(2**31) + 1, 2**31 - 1))
        got = r_foldid(n, k, seed)
        want = np.asarray(r.call("glmnet", "spg_draw_foldid", n, k, seed)).astype(int).reshape(-1)
        np.testing.assert_array_equal(got, want, err_msg=f"n={n} nfolds={k} seed={seed}")


@pytest.mark.against_r
def test_live_cv_glmnet_own_fold_draw(r):
    # what cv.glmnet itself draws after set.seed(seed) (keep = TRUE), not only our R helper
    for n, k, seed in [(137, 10, 2024), (256, 5, 1), (1025, 3, -7)]:
        x = np.zeros((n, 3)) + np.arange(n)[:, None] * [1.0, 2.0, 3.0] + np.sin(np.arange(3 * n)).reshape(n, 3)
        rfid = call_test_r("gram", "gram_cv_foldid_check", x, np.arange(n, dtype=float) % 7, k, seed)
        np.testing.assert_array_equal(r_foldid(n, k, seed), np.asarray(rfid).astype(int).reshape(-1))
