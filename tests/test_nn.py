"""statprune.nn: TF-MOT magnitude pruning (schedules, masks, sklearn MLPs, Keras via tfmot).

Tiers:
* formula tests: schedules and masks against TF-MOT's formulas written out independently;
* TF-MOT tests (``tfmot`` fixture): the same values from TF-MOT's own schedule objects and
  its ``Pruning._update_mask``, and a small Keras model pruned by tfmot itself. TensorFlow is
  imported once per session. They skip only when the ``keras`` extra is absent outside CI;
  under CI=true (where ``setup.sh`` installs the extra) a missing extra is a failure.
* digits: a pruned MLP keeps its test accuracy within 0.02 at 50% sparsity and 0.04 at 80%
  (seeds 0 and 1, both schedules; observed drops are at most 0.005 and 0.02).
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import IN_CI
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError
from sklearn.neural_network import MLPClassifier, MLPRegressor

from statprune.errors import DataError, ParameterError, SelectionWarning
from statprune.nn import (
    ConstantSparsity,
    MagnitudePruner,
    NNPruneDisplay,
    PolynomialDecay,
    global_magnitude_masks,
    magnitude_mask,
    prune_nn,
    strip_pruning,
)

F32 = np.float32

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def tfmot():
    """(tensorflow, tf-keras, tfmot), imported once; skip outside CI when the extra is absent."""
    from statprune.nn import _tf

    try:
        return _tf.load()
    except ImportError as exc:
        if IN_CI:
            pytest.fail(f"the keras extra must be installed under CI=true: {exc}")
        pytest.skip(f"keras extra not installed: {exc}")


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


@pytest.fixture(scope="module")
def digits_frame():
    return load_digits(as_frame=True).frame


@pytest.fixture(scope="module")
def dense_mlp(digits):
    X, y = digits
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MLPClassifier((32, 16), max_iter=30, random_state=0).fit(X, y)


# --------------------------------------------------------------------------- schedule formulas
def ref_should_prune(step, begin, end, freq):
    return step >= begin and (step <= end or end < 0) and (step - begin) % freq == 0


def ref_poly(step, init, final, begin, end, power):
    p = min(1.0, max(0.0, (step - begin) / (end - begin)))
    return final + (init - final) * (1 - p) ** power


CONSTANT_CASES = [(0.5, 0, -1, 100), (0.8, 10, 250, 7), (0.0, 3, 3, 1), (0.95, 0, 400, 50)]
POLY_CASES = [(0.0, 0.8, 0, 300, 3, 100), (0.5, 0.9, 20, 220, 2, 10), (0.1, 0.8, 0, 10, 3, 1), (0.3, 0.3, 5, 100, 1.5, 3), (0.2, 0.95, 3, 1000, 3, 7)]


@pytest.mark.parametrize("target,begin,end,freq", CONSTANT_CASES)
def test_constant_schedule_matches_formula(target, begin, end, freq):
    s = ConstantSparsity(target, begin, end, freq)
    for step in range(0, 501):
        should, sp = s(step)
        assert should == ref_should_prune(step, begin, end, freq), step
        assert sp == float(F32(target))


@pytest.mark.parametrize("init,final,begin,end,power,freq", POLY_CASES)
def test_polynomial_schedule_matches_formula(init, final, begin, end, power, freq):
    s = PolynomialDecay(init, final, begin, end, power, freq)
    for step in range(0, 401):
        should, sp = s(step)
        assert should == ref_should_prune(step, begin, end, freq), step
        # float32 evaluation (as TF-MOT) vs float64 formula: float32 rounding only
        assert sp == pytest.approx(ref_poly(step, init, final, begin, end, power), abs=2e-7), step
    assert s(end)[1] == float(F32(final))
    assert s(begin)[1] == pytest.approx(init, abs=1e-7)


def test_schedule_first_prune_step_and_repr():
    assert ConstantSparsity(0.5, 0).first_prune_step() == 100
    assert ConstantSparsity(0.5, 7, frequency=3).first_prune_step() == 7
    s = PolynomialDecay(0.0, 0.5, 0, 10, frequency=5)
    assert "PolynomialDecay(initial_sparsity=0.0" in repr(s)
    assert s == PolynomialDecay(0.0, 0.5, 0, 10, frequency=5)


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: ConstantSparsity(1.0, 0), r"target_sparsity must be in \[0, 1\)"),
        (lambda: ConstantSparsity(-0.1, 0), r"target_sparsity must be in \[0, 1\)"),
        (lambda: ConstantSparsity(0.5, -1), "begin_step must be >= 0"),
        (lambda: ConstantSparsity(0.5, 10, 5), r"end_step \(5\) < begin_step \(10\)"),
        (lambda: ConstantSparsity(0.5, 0, -3), "end_step must be -1 or >= 0"),
        (lambda: ConstantSparsity(0.5, 0, frequency=0), "frequency must be > 0"),
        (lambda: ConstantSparsity(0.5, 1.5), "begin_step must be an integer"),
        (lambda: PolynomialDecay(0.0, 1.2, 0, 10), r"final_sparsity must be in \[0, 1\)"),
        (lambda: PolynomialDecay(0.0, 0.5, 0, -1), "needs an end_step"),
        (lambda: PolynomialDecay(0.0, 0.5, 20, 10), r"end_step \(10\) < begin_step \(20\)"),
    ],
)
def test_schedule_bad_arguments(make, match):
    with pytest.raises(ParameterError, match=match):
        make()


# --------------------------------------------------------------------------- masks
def n_keep(n, s):
    # TF-MOT: k = max(round(float32(n) * (1 - float32(s))), 1), round half to even
    return int(max(np.round(F32(n) * (F32(1) - F32(s))), 1))


@pytest.mark.parametrize("shape", [(7,), (64, 32), (33, 10), (5, 5, 3)])
@pytest.mark.parametrize("sparsity", [0.0, 0.1, 0.5, 0.8, 0.9, 0.999])
def test_mask_keeps_exactly_k_largest(shape, sparsity):
    rng = np.random.default_rng(1)
    w = rng.normal(size=shape)
    thr, mask = magnitude_mask(w, sparsity)
    k = n_keep(w.size, sparsity)
    assert mask.shape == w.shape and mask.dtype == bool
    assert int(mask.sum()) == k
    # the kept ones are the k largest magnitudes, threshold the smallest kept
    order = np.sort(np.abs(w).ravel())[::-1]
    assert thr == order[k - 1]
    assert np.abs(w[mask]).min() == thr
    if k < w.size:
        assert np.abs(w[~mask]).max() < thr


def test_mask_rounding_matches_float32_round_half_even():
    # 10 * (1 - 0.25) = 7.5 -> 8 (half to even); 2048 * (1 - 0.8f) = 409.6 -> 410
    w = np.arange(1, 11, dtype=float)
    assert magnitude_mask(w, 0.25)[1].sum() == 8
    w = np.arange(1, 2049, dtype=float)
    assert magnitude_mask(w, 0.8)[1].sum() == 410
    assert magnitude_mask(np.arange(1, 4097, dtype=float), 0.8)[1].sum() == 819
    assert magnitude_mask(np.array([3.0, 1.0]), 0.99)[1].tolist() == [True, False]  # at least one kept


def test_mask_ties_are_kept():
    w = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, -2.0])
    thr, mask = magnitude_mask(w, 0.5)  # k = 4: threshold 0 -> everything kept
    assert thr == 0.0 and mask.all()
    w = np.array([0.5, -0.5, 0.5, 0.1, 0.2, 0.9])
    thr, mask = magnitude_mask(w, 0.5)  # k = 3, threshold 0.5 tied three times plus 0.9
    assert thr == 0.5 and mask.tolist() == [True, True, True, False, False, True]


def test_mask_bad_input():
    with pytest.raises(ParameterError, match=r"sparsity must be in \[0, 1\)"):
        magnitude_mask(np.ones(3), 1.0)
    with pytest.raises(DataError, match="NaN or inf"):
        magnitude_mask(np.array([1.0, np.nan]), 0.5)


def test_global_mask_pools_the_layers():
    rng = np.random.default_rng(2)
    ws = [rng.normal(size=(20, 10)), 3 * rng.normal(size=(10, 5))]
    thr, masks = global_magnitude_masks(ws, 0.7)
    k = n_keep(250, 0.7)
    assert sum(int(m.sum()) for m in masks) == k
    allw = np.concatenate([np.abs(w).ravel() for w in ws])
    assert thr == np.sort(allw)[::-1][k - 1]
    # the larger layer-2 weights survive more often
    assert masks[1].mean() > masks[0].mean()


# --------------------------------------------------------------------------- sklearn pruner
def test_pruner_reaches_target_exactly_and_counts_steps(digits, dense_mlp):
    X, y = digits
    n, bs = len(X), 200
    spe = math.ceil(n / bs)  # 9 steps per epoch
    sched = ConstantSparsity(0.8, begin_step=3, end_step=20, frequency=4)
    pr = MagnitudePruner(dense_mlp, sched, epochs=3, random_state=0).fit(X, y)
    assert pr.step_ == 3 * spe
    assert [h["step"] for h in pr.history_] == [3, 7, 11, 15, 19]
    for w, m in zip(pr.estimator_.coefs_, pr.masks_):
        assert int(np.count_nonzero(w)) == n_keep(w.size, 0.8)  # distinct magnitudes: exact
        assert np.array_equal(w != 0, m)
    # biases are not pruned (TF-MOT prunes kernels only)
    assert all(np.count_nonzero(b) == b.size for b in pr.estimator_.intercepts_)
    # the original estimator is untouched
    assert all(np.count_nonzero(w) == w.size for w in dense_mlp.coefs_)


def test_polynomial_schedule_drives_masks(digits, dense_mlp):
    X, y = digits
    sched = PolynomialDecay(0.2, 0.9, begin_step=0, end_step=18, frequency=9)
    pr = MagnitudePruner(dense_mlp, sched, epochs=3, random_state=0).fit(X, y)
    steps = [h["step"] for h in pr.history_]
    assert steps == [9, 18]
    for h in pr.history_:
        assert h["target_sparsity"] == sched(h["step"])[1]
    assert pr.history_[-1]["target_sparsity"] == pytest.approx(0.9, abs=1e-7)
    assert pr.layer_sparsity_.tolist() == [1 - n_keep(w.size, 0.9) / w.size for w in pr.estimator_.coefs_]


def test_masks_stay_applied_during_further_training(digits, dense_mlp):
    X, y = digits
    pr = MagnitudePruner(dense_mlp, ConstantSparsity(0.5, 0, end_step=9, frequency=9), epochs=1, random_state=0).fit(X, y)
    zeros = [w == 0 for w in pr.estimator_.coefs_]
    before = [w.copy() for w in pr.estimator_.coefs_]
    for _ in range(3):
        pr.partial_fit(X, y)
    assert pr.step_ == 4 * 9 and len(pr.history_) == 1  # end_step passed: masks frozen
    for z, w, w0 in zip(zeros, pr.estimator_.coefs_, before):
        assert np.all(w[z] == 0)
        assert not np.allclose(w[~z], w0[~z])  # the kept weights did train


def test_strip_pruning_gives_plain_model_with_same_predictions(digits, dense_mlp):
    X, y = digits
    pr = MagnitudePruner(dense_mlp, ConstantSparsity(0.7, 0, frequency=9), epochs=2, random_state=0).fit(X, y)
    plain = strip_pruning(pr)
    assert type(plain) is MLPClassifier and not isinstance(plain, MagnitudePruner)
    np.testing.assert_array_equal(plain.predict(X), pr.predict(X))
    np.testing.assert_array_equal(plain.predict_proba(X), pr.predict_proba(X))
    assert plain.score(X, y) == pr.score(X, y)
    for w, m in zip(plain.coefs_, pr.masks_):
        assert np.array_equal(w != 0, m)
    # a plain model: further training no longer keeps the zeros (as TF-MOT's stripped models)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain.partial_fit(X, y)
    assert np.count_nonzero(plain.coefs_[0]) > pr.masks_[0].sum()


def test_global_scope_on_mlp(digits, dense_mlp):
    X, y = digits
    pr = MagnitudePruner(dense_mlp, ConstantSparsity(0.6, 0, frequency=9), scope="global", epochs=1, random_state=0).fit(X, y)
    total = sum(w.size for w in pr.estimator_.coefs_)
    assert sum(int(np.count_nonzero(w)) for w in pr.estimator_.coefs_) == n_keep(total, 0.6)
    assert len(set(pr.thresholds_)) == 1


def test_pruner_regressor():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 6))
    y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.normal(size=300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg = MLPRegressor(hidden_layer_sizes=(16,), max_iter=50, random_state=0).fit(X, y)
    pr = MagnitudePruner(reg, ConstantSparsity(0.5, 0, frequency=2), epochs=2, random_state=0).fit(X, y)
    assert [int(np.count_nonzero(w)) for w in pr.estimator_.coefs_] == [48, 8]
    assert type(strip_pruning(pr)) is MLPRegressor


def test_pruner_bad_input(digits, dense_mlp):
    X, y = digits
    with pytest.raises(NotFittedError, match="train the dense network first"):
        MagnitudePruner(MLPClassifier()).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = MLPClassifier((4,), solver="lbfgs", max_iter=5).fit(X, y)
    with pytest.raises(ParameterError, match="solver='lbfgs' has no partial_fit"):
        MagnitudePruner(lb).fit(X, y)
    with pytest.raises(ParameterError, match="MLPClassifier or MLPRegressor"):
        MagnitudePruner(object()).fit(X, y)
    with pytest.raises(ParameterError, match="scope must be"):
        MagnitudePruner(dense_mlp, scope="net").fit(X, y)
    with pytest.raises(DataError, match="trained on 64"):
        MagnitudePruner(dense_mlp).fit(X[:, :10], y)
    with pytest.raises(DataError, match="NaN or inf"):
        Xn = X.copy()
        Xn[0, 0] = np.nan
        MagnitudePruner(dense_mlp).fit(Xn, y)
    with pytest.raises(NotFittedError):
        strip_pruning(MagnitudePruner(dense_mlp))
    with pytest.raises(ParameterError, match="ConstantSparsity or PolynomialDecay"):
        MagnitudePruner(dense_mlp, schedule=0.5).fit(X, y)


def test_warns_when_no_pruning_step_is_reached(digits, dense_mlp):
    X, y = digits
    with pytest.warns(SelectionWarning, match="no pruning step was reached.*at step 100"):
        pr = MagnitudePruner(dense_mlp, ConstantSparsity(0.5, 0), epochs=1).fit(X, y)
    assert pr.layer_sparsity_.tolist() == [0.0, 0.0, 0.0]


# --------------------------------------------------------------------------- digits accuracy
MARGIN = {0.5: 0.02, 0.8: 0.04}


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("schedule", ["constant", "polynomial"])
@pytest.mark.parametrize("sparsity", [0.5, 0.8])
def test_digits_accuracy_within_margin(digits_frame, sparsity, schedule, seed):
    res = prune_nn(digits_frame, "target", sparsity=sparsity, schedule=schedule, seed=seed)
    m = res.metrics
    assert m["score_before"] > 0.95
    assert m["score_before"] - m["score_after"] <= MARGIN[sparsity], m
    counts = res.layers["n_nonzero"].tolist()
    assert counts == [n_keep(n, sparsity) for n in res.layers["n_weights"]]
    assert res.sizes["pruned"]["gzip_bytes"] < res.sizes["dense"]["gzip_bytes"]


# --------------------------------------------------------------------------- result, display, regression
@pytest.fixture(scope="module")
def small_result(digits_frame):
    return prune_nn(digits_frame.sample(500, random_state=0), "target", sparsity=0.8, hidden=(16,), epochs=40, prune_epochs=3)


def test_result_outputs(small_result):
    res = small_result
    fr = res.to_frame()
    assert list(fr.columns) == ["layer", "shape", "n_weights", "n_nonzero", "sparsity", "target_sparsity", "threshold"]
    assert fr["layer"].tolist() == ["dense_0", "dense_1"]
    d = json.loads(res.to_json())
    for key in ("method", "scores", "selected", "pruned", "metrics", "layers", "sizes", "schedule", "provenance"):
        assert key in d
    assert d["method"] == "magnitude"
    assert set(d["selected"]) | set(d["pruned"]) == set(res.feature_names)
    # constant pixels (pixel_0_0 is always 0) carry no signal: their weights decay and are pruned
    assert "pixel_0_0" in d["pruned"]
    assert d["metrics"]["accuracy_after"] == d["metrics"]["score_after"]
    assert d["sizes"]["pruned"]["kernel_nonzero"] == sum(fr["n_nonzero"])
    assert "accuracy" in res.summary() and "gzip" in res.summary()
    assert "<table" in res._repr_html_()


def test_display_plots(small_result):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    disp = NNPruneDisplay.from_result(small_result).plot()
    ax1, ax2 = disp.axes_
    assert [p.get_height() for p in ax1.patches] == pytest.approx(small_result.layers["sparsity"].tolist())
    assert ax2.get_xlabel() == "|weight|"
    plt.close(disp.figure_)


def test_regression_task():
    from statprune.datasets import load_boston

    res = prune_nn(load_boston(), "medv", sparsity=0.5)
    assert res.task == "regression" and res.metrics["score_name"] == "r2" and res.metrics["loss_name"] == "mse"
    assert res.metrics["score_before"] > 0.75 and res.metrics["score_after"] > 0.6
    assert res.metrics["loss_before"] < 25  # mse on medv's own scale (var(medv) is 84)
    pp = res.preprocessing
    assert pp["y_scale"] > 5 and 15 < pp["y_mean"] < 30
    with pytest.raises(DataError, match="constant"):
        prune_nn(load_boston().assign(medv=1.5), "medv")


def test_prune_nn_bad_input(digits_frame):
    df = digits_frame.head(50).copy()
    with pytest.raises(ParameterError, match=r"sparsity must be in \[0, 1\)"):
        prune_nn(df, "target", sparsity=1.0)
    with pytest.raises(ParameterError, match=r"sparsity must be in \[0, 1\)"):
        prune_nn(df, "target", sparsity=-0.2)
    with pytest.raises(DataError, match="single class"):
        prune_nn(df.assign(target=1), "target")
    with pytest.raises(DataError, match="not found"):
        prune_nn(df, "nope")
    with pytest.raises(DataError, match="non-numeric"):
        prune_nn(df.assign(pixel_0_0="a"), "target")
    with pytest.raises(ParameterError, match="hidden"):
        prune_nn(df, "target", hidden="8,x")
    with pytest.raises(ParameterError, match="schedule must be"):
        prune_nn(df, "target", schedule="cubic")


# --------------------------------------------------------------------------- CLI
def test_cli_prune_nn(tmp_path, digits_frame):
    from typer.testing import CliRunner

    from statprune.cli import app

    csv = tmp_path / "digits.csv"
    digits_frame.sample(400, random_state=0).to_csv(csv, index=False)
    r = CliRunner().invoke(app, ["prune-nn", str(csv), "--target", "target", "--sparsity", "0.5", "--hidden", "16",
                                 "--epochs", "30", "--prune-epochs", "2", "--json", "-"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["method"] == "magnitude" and set(d["scores"]) == {"dense_0", "dense_1"}
    assert {"accuracy_before", "accuracy_after", "loss_before", "loss_after"} <= set(d["metrics"])
    out = tmp_path / "o.json"
    r = CliRunner().invoke(app, ["prune-nn", str(csv), "--target", "target", "--hidden", "8", "--epochs", "5",
                                 "--prune-epochs", "1", "--schedule", "polynomial", "--global", "--json", str(out)])
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["scope"] == "global"
    for args in (["--sparsity", "1"], ["--schedule", "x"], ["--target", "zzz"]):
        r = CliRunner().invoke(app, ["prune-nn", str(csv), "--target", "target", *args])
        assert r.exit_code == 2, (args, r.output)
        assert "error:" in r.output


# --------------------------------------------------------------------------- TF-MOT itself
def _tf_schedule_values(tf, sched, steps):
    out = []
    for t in steps:
        should, sp = sched(tf.constant(t, dtype=tf.int64))
        out.append((bool(should.numpy()), float(np.float32(sp.numpy()))))
    return out


@pytest.mark.parametrize("target,begin,end,freq", CONSTANT_CASES)
def test_constant_schedule_matches_tfmot_objects(tfmot, target, begin, end, freq):
    tf, _, t = tfmot
    ours = ConstantSparsity(target, begin, end, freq)
    steps = list(range(0, 420))
    assert [ours(s) for s in steps] == _tf_schedule_values(tf, t.sparsity.keras.ConstantSparsity(target, begin, end, freq), steps)
    assert type(ours.to_tfmot()).__name__ == "ConstantSparsity"


@pytest.mark.parametrize("init,final,begin,end,power,freq", POLY_CASES)
def test_polynomial_schedule_matches_tfmot_objects(tfmot, init, final, begin, end, power, freq):
    tf, _, t = tfmot
    ours = PolynomialDecay(init, final, begin, end, power, freq)
    steps = list(range(0, 420))
    theirs = _tf_schedule_values(tf, t.sparsity.keras.PolynomialDecay(init, final, begin, end, power, freq), steps)
    # float32 arithmetic on both sides, compared exactly
    assert [ours(s) for s in steps] == theirs


@pytest.mark.parametrize("sparsity", [0.0, 0.3, 0.5, 0.8, 0.95])
def test_masks_match_tfmot_update_mask(tfmot, sparsity):
    tf, _, t = tfmot
    from tensorflow_model_optimization.python.core.sparsity.keras import pruning_impl

    rng = np.random.default_rng(3)
    cases = [
        rng.normal(size=(16, 8)).astype(np.float32),
        np.round(rng.normal(size=(12, 5)), 1).astype(np.float32),  # many ties
        np.where(rng.random((10, 10)) < 0.6, 0, rng.normal(size=(10, 10))).astype(np.float32),  # many zeros
    ]
    sched = t.sparsity.keras.ConstantSparsity(sparsity, 0, frequency=1)
    impl = pruning_impl.Pruning(lambda: tf.constant(1, tf.int64), [], sched, (1, 1), "AVG")
    for w in cases:
        thr_tf, mask_tf = impl._update_mask(tf.constant(w))
        thr, mask = magnitude_mask(w, sparsity)
        assert thr == float(thr_tf.numpy())
        np.testing.assert_array_equal(mask, mask_tf.numpy().astype(bool))


def test_keras_model_pruned_by_tfmot_and_stripped(tfmot, digits):
    tf, keras, t = tfmot
    X, y = digits
    X = X.astype(np.float32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(64,)), keras.layers.Dense(10)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(X[:1200], y[:1200], epochs=15, batch_size=64, verbose=0)
    dense_weights = [w.copy() for w in model.get_weights()]
    res = prune_keras_small(X, y, model)
    # steps: 19 per epoch x 2 epochs; masks updated at 5, 10, ..., 35
    assert res.steps == 38 and res.history[-1]["step"] == 35
    assert res.layers["n_nonzero"].tolist() == [n_keep(64 * 16, 0.75), n_keep(16 * 10, 0.75)]
    stripped, pruned = res.model, res.pruned_model
    from tensorflow_model_optimization.python.core.sparsity.keras.pruning_wrapper import PruneLowMagnitude

    assert any(isinstance(layer, PruneLowMagnitude) for layer in pruned.layers)
    assert not any(isinstance(layer, PruneLowMagnitude) for layer in stripped.layers)
    np.testing.assert_allclose(stripped.predict(X[1200:], verbose=0), pruned.predict(X[1200:], verbose=0), rtol=0, atol=1e-6)
    # strip_pruning dispatches to tfmot for Keras models
    again = strip_pruning(pruned)
    assert not any(isinstance(layer, PruneLowMagnitude) for layer in again.layers)
    # the user's model is not modified
    for a, b in zip(model.get_weights(), dense_weights):
        np.testing.assert_array_equal(a, b)
    assert res.metrics["score_name"] == "accuracy" and res.metrics["score_before"] > 0.7
    assert res.metrics["score_before"] - res.metrics["score_after"] < 0.15
    assert res.sizes["pruned"]["gzip_bytes"] < res.sizes["dense"]["gzip_bytes"]
    assert json.loads(res.to_json())["method"] == "tfmot"


def prune_keras_small(X, y, model):
    from statprune.nn import prune_keras

    return prune_keras(model, X[:1200], y[:1200], ConstantSparsity(0.75, 0, frequency=5), epochs=2, batch_size=64,
                       validation_data=(X[1200:], y[1200:]), seed=0)


def test_keras_bad_input(tfmot, digits):
    tf, keras, t = tfmot
    from statprune.nn import prune_keras

    X, y = digits
    m = keras.Sequential([keras.layers.Dense(4, input_shape=(64,))])
    with pytest.raises(ParameterError, match="not compiled"):
        prune_keras(m, X, y)
    with pytest.raises(ParameterError, match="Keras model: use statprune.nn.prune_keras"):
        MagnitudePruner(m).fit(X, y)
    keras3 = pytest.importorskip("keras") if not IN_CI else __import__("keras")
    if keras3.__version__.startswith("3."):
        m3 = keras3.Sequential([keras3.Input((64,)), keras3.layers.Dense(2)])
        with pytest.raises(ParameterError, match="Keras 3 model.*supports only Keras 2"):
            prune_keras(m3, X, y)


def test_tfmot_step_counting_is_what_magnitude_pruner_uses(tfmot, digits):
    """TF-MOT's own training loop: the first mini-batch is step 1 and masks change only at the
    schedule's steps, which is the counting MagnitudePruner applies to partial_fit calls."""
    tf, keras, t = tfmot
    X, y = digits
    X = X[:64].astype(np.float32)
    y = y[:64]
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.layers.Dense(6, input_shape=(64,)), keras.layers.Dense(10)])
    sched = ConstantSparsity(0.5, begin_step=2, frequency=3)
    pruned = t.sparsity.keras.prune_low_magnitude(base, pruning_schedule=sched.to_tfmot())
    pruned.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    wrapper = pruned.layers[0]
    mask_var = wrapper.pruning_vars[0][1]
    seen = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append((int(wrapper.pruning_step.numpy()), float(1 - mask_var.numpy().mean())))

    # 8 batches of 8 rows, one epoch
    pruned.fit(X, y, batch_size=8, epochs=1, shuffle=False, verbose=0,
               callbacks=[t.sparsity.keras.UpdatePruningStep(), Record()])
    steps = [s for s, _ in seen]
    assert steps == list(range(1, 9))
    changed = [s for s, sp in seen if sp > 0]
    assert changed[0] == sched.first_prune_step() == 2
    assert [s for s in range(1, 9) if sched.should_prune(s)] == [2, 5, 8]
    # the same counting in MagnitudePruner: 8 rows per batch, 64 rows -> steps 1..8
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlp = MLPClassifier((6,), max_iter=2, batch_size=8, random_state=0).fit(X, y)
    pr = MagnitudePruner(mlp, sched, epochs=1, shuffle=False).fit(X, y)
    assert pr.step_ == 8 and [h["step"] for h in pr.history_] == [2, 5, 8]


def test_masks_are_nested_in_sparsity_property():
    """Pruning more never revives a weight: masks shrink as the sparsity grows (threshold rule)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from hypothesis.extra.numpy import arrays

    @settings(max_examples=60, deadline=None)
    @given(
        arrays(np.float64, st.integers(1, 60), elements=st.floats(-10, 10, allow_nan=False)),
        st.floats(0, 0.99),
        st.floats(0, 0.99),
    )
    def check(w, s1, s2):
        lo, hi = sorted((s1, s2))
        m_lo, m_hi = magnitude_mask(w, lo)[1], magnitude_mask(w, hi)[1]
        assert np.all(m_lo | ~m_hi)  # m_hi implies m_lo
        assert m_hi.sum() >= n_keep(w.size, hi)  # ties only ever keep more
        assert m_hi.any()

    check()
