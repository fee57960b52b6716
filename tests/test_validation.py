"""statprune._validation: targets per family, weights, offsets, folds, with statprune's messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from statprune._validation import check_foldid, check_nfolds, check_offset, check_target, check_weights
from statprune.errors import DataError, ParameterError


def test_target_shapes_and_lengths():
    assert check_target(pd.DataFrame({"y": [1.0, 2.0, 4.0]}), "gaussian", n=3).y.tolist() == [1.0, 2.0, 4.0]
    assert check_target(np.array([[1.0], [2.0]]), "gaussian").y.tolist() == [1.0, 2.0]
    with pytest.raises(DataError, match="requires y to be passed"):
        check_target(None, "gaussian", caller="GlmnetCV")
    with pytest.raises(DataError, match="has 2 columns; family='gaussian' needs one"):
        check_target(pd.DataFrame({"a": [1.0, 2], "b": [1.0, 3]}), "gaussian")
    with pytest.raises(DataError, match="1-D"):
        check_target(np.ones((2, 2, 2)), "poisson")
    with pytest.raises(DataError, match="y has 3 values but X has 4 rows"):
        check_target([1.0, 2.0, 3.0], "gaussian", n=4)
    with pytest.raises(DataError, match="target 'medv' has 1 missing"):
        check_target(pd.Series([1.0, np.nan, 2.0], name="medv"), "gaussian")


@pytest.mark.parametrize(("y", "classes", "event"), [
    ([2, 10, 2, 10], [2, 10], 10),
    (pd.Series([10, 2, 2]), [2, 10], 10),
    (["yes", "no", "yes"], ["no", "yes"], "yes"),
    ([True, False, False], [False, True], True),
    (pd.Series(pd.Categorical(["up", "down"], categories=["up", "down"])), ["up", "down"], "down"),
])
def test_binomial_class_order_is_rs(y, classes, event):
    t = check_target(y, "binomial")
    assert t.classes == classes and t.classes[1] == event
    assert list(t.y.categories) == [str(c) for c in classes]
    assert [str(v) for v in np.asarray(t.y)] == [str(v) for v in (y.tolist() if hasattr(y, "tolist") else y)]


def test_two_column_and_matrix_targets():
    assert check_target(pd.DataFrame({"fail": [1, 2], "ok": [3, 0]}), "binomial").classes == ["fail", "ok"]
    assert check_target(np.array([[1.0, 2.0], [3.0, 4.0]]), "mgaussian", n=2).classes == ["y1", "y2"]
    assert check_target(pd.DataFrame({"time": [1.0, 2], "status": [1, 0]}), "cox", n=2).y.shape == (2, 2)


def test_weights_and_offsets():
    assert check_weights(None, 3) is None and check_offset(None, 3) is None
    with pytest.raises(DataError, match="sample_weight has 2 values for 3 rows"):
        check_weights([1, 2], 3)
    with pytest.raises(DataError, match="finite and >= 0"):
        check_weights([1, np.inf, 2], 3)
    with pytest.raises(DataError, match="at least one non-zero"):
        check_weights([0, 0], 2)
    assert check_offset([[0.5], [1.0]], 2).tolist() == [0.5, 1.0]
    assert check_offset(np.zeros((2, 3)), 2).shape == (2, 3)
    with pytest.raises(DataError, match="offset must be finite with 3 rows"):
        check_offset([0.0, 1.0], 3)
    with pytest.raises(DataError, match="NaN or inf"):
        check_offset([0.0, np.nan], 2)


def test_folds_delegate_to_the_fold_policy():
    assert check_foldid([3, 1, 2, 1], 4).tolist() == [3, 1, 2, 1]
    with pytest.raises(DataError, match="fold"):
        check_foldid([1, 1, 2, 2], 4)
    with pytest.raises(ParameterError):
        check_nfolds(2, 10)
