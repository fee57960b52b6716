"""``prune_nn``: train a dense MLP on a table, prune it with TF-MOT's rules, report what pruning cost."""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor

from .._data import check_target, prepare_xy
from .._progress import progress as _bar
from .._provenance import provenance
from ..errors import DataError, ParameterError
from ._checks import check_int, check_sparsity
from .mlp import MagnitudePruner, strip_pruning
from .result import NNPruneResult, layer_table, model_sizes
from .schedules import ConstantSparsity, PolynomialDecay, PruningSchedule

__all__ = ["prune_nn"]


def _metrics(est: Any, X: np.ndarray, y: np.ndarray, task: str, y_mean: float = 0.0, y_scale: float = 1.0) -> tuple[float, float]:
    if task == "classification":
        return float(est.score(X, y)), float(log_loss(y, est.predict_proba(X), labels=est.classes_))
    pred = est.predict(X) * y_scale + y_mean  # back on the scale of the target
    return float(r2_score(y, pred)), float(mean_squared_error(y, pred))


def _parse_hidden(hidden: Any) -> tuple[int, ...]:
    if isinstance(hidden, str):
        try:
            hidden = tuple(int(h) for h in hidden.replace(" ", "").split(",") if h)
        except ValueError:
            raise ParameterError(f"hidden must be comma-separated layer sizes such as '64,32' (got {hidden!r})") from None
    if isinstance(hidden, numbers.Integral):
        hidden = (int(hidden),)
    hidden = tuple(hidden)
    if not hidden or any(check_int(h, "hidden") < 1 for h in hidden):
        raise ParameterError(f"hidden must list one or more positive layer sizes (got {hidden!r})")
    return tuple(int(h) for h in hidden)


def prune_nn(
    data: Any,
    target: str,
    *,
    sparsity: float = 0.5,
    schedule: Literal["constant", "polynomial"] | PruningSchedule = "constant",
    hidden: Any = (64, 32),
    epochs: int = 200,
    prune_epochs: int = 20,
    scope: Literal["layer", "global"] = "layer",
    task: Literal["auto", "classification", "regression"] = "auto",
    test_size: float = 0.25,
    batch_size: int | Literal["auto"] = "auto",
    seed: int = 0,
    exclude: Sequence[str] = (),
    progress: bool = False,
    drop_missing: bool = False,
    categorical: Literal["error", "encode"] = "error",
) -> NNPruneResult:
    """Train a dense MLP, prune it with TF-MOT's rules, and report what pruning cost.

    The rows are split into training and test sets (``test_size``, stratified for
    classification, ``seed``); the predictors are standardised with the training
    means and sds (and, for regression, the target too; metrics are on the target's
    own scale). ``result.model`` is the stripped network; it expects inputs
    standardised with ``result.preprocessing["x_mean"]``/``["x_scale"]`` (and predicts
    ``(y - y_mean) / y_scale`` for regression). A dense ``MLPClassifier``/``MLPRegressor`` (adam, ``hidden``
    layers, ``epochs`` epochs, ``random_state=seed``) is trained, then fine-tuned
    ``prune_epochs`` epochs by :class:`MagnitudePruner` and stripped. Test metrics
    are reported before and after (accuracy and log loss for classification, R^2
    and mean squared error for regression).

    ``schedule="constant"`` is ``ConstantSparsity(sparsity, begin_step=0,
    frequency=steps_per_epoch)`` (masks updated at the last mini-batch of every
    epoch); ``"polynomial"`` is ``PolynomialDecay(0, sparsity, begin_step=0,
    end_step=steps_per_epoch * ceil(prune_epochs / 2), frequency=steps_per_epoch)``,
    which reaches ``sparsity`` half-way and fine-tunes at it for the remaining epochs.
    A schedule object can be passed instead.

    ``task="auto"`` treats a non-numeric, boolean or integer target as classes and
    a float target as a regression target. ``progress=True`` shows a tqdm bar on
    stderr over the two stages (dense training, pruning). ``drop_missing`` and
    ``categorical`` are passed to the shared data checks (drop NaN/inf rows; expand
    text columns into R's treatment dummies).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.datasets import load_digits
    >>> d = load_digits(as_frame=True).frame.sample(600, random_state=0)
    >>> res = prune_nn(d, "target", sparsity=0.5, hidden=(32,))
    >>> res.layers[["layer", "n_weights", "n_nonzero", "sparsity"]]
         layer  n_weights  n_nonzero  sparsity
    0  dense_0       2048       1024       0.5
    1  dense_1        320        160       0.5
    >>> res.metrics["score_before"] > 0.9, res.metrics["score_after"] > 0.85
    (True, True)
    """
    if not isinstance(schedule, PruningSchedule):
        check_sparsity(sparsity, "sparsity")
        if schedule not in ("constant", "polynomial"):
            raise ParameterError(f"schedule must be 'constant' or 'polynomial' (got {schedule!r})")
    if scope not in ("layer", "global"):
        raise ParameterError(f"scope must be 'layer' or 'global' (got {scope!r})")
    if task not in ("auto", "classification", "regression"):
        raise ParameterError(f"task must be 'auto', 'classification' or 'regression' (got {task!r})")
    hidden_t = _parse_hidden(hidden)
    for name, v in (("epochs", epochs), ("prune_epochs", prune_epochs)):
        if check_int(v, name) < 1:
            raise ParameterError(f"{name} must be >= 1 (got {v})")
    if not (isinstance(test_size, numbers.Real) and 0 < test_size < 1):
        raise ParameterError(f"test_size must be a fraction in (0, 1) (got {test_size!r})")
    seed = check_int(seed, "seed")

    prep = prepare_xy(data, target, exclude=exclude, drop_missing=drop_missing, categorical=categorical)
    ys = prep.y
    if task == "auto":
        numeric = pd.api.types.is_numeric_dtype(ys.dtype) and not pd.api.types.is_bool_dtype(ys.dtype)
        task = "regression" if numeric and pd.api.types.is_float_dtype(ys.dtype) else "classification"
    if task == "classification":
        y = check_target(ys, target, kind="categorical")
        counts = pd.Series(y).value_counts()
        if counts.min() < 2:
            raise DataError(
                f"target '{target}' has class(es) with a single row ({list(map(str, counts[counts < 2].index))[:5]}); "
                "a stratified train/test split needs at least 2 rows per class"
            )
    else:
        y = check_target(ys, target, kind="numeric")
        if np.ptp(y) == 0:
            raise DataError(f"target '{target}' is constant; there is nothing to predict")
    X = prep.X.to_numpy(dtype=np.float64)
    if len(X) < 10:
        raise DataError(f"only {len(X)} rows; pruning a network needs a training and a test set (>= 10 rows)")

    strat = y if task == "classification" else None
    try:
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=test_size, random_state=seed, stratify=strat)
    except ValueError as exc:
        raise DataError(f"cannot split the rows into training and test sets: {exc}") from None
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
    sd[sd == 0] = 1.0
    Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
    y_mean, y_scale = 0.0, 1.0
    if task == "regression":  # the network learns the standardised target; metrics on y's own scale
        y_mean, y_scale = float(ytr.mean()), float(ytr.std()) or 1.0
    ytr_fit = ytr if task == "classification" else (ytr - y_mean) / y_scale

    cls = MLPClassifier if task == "classification" else MLPRegressor
    dense = cls(hidden_layer_sizes=hidden_t, solver="adam", max_iter=int(epochs), batch_size=batch_size, random_state=seed)
    bar = _bar(total=2, desc="prune-nn", unit="stage", disable=not progress)
    bar.set_postfix_str(f"dense training ({int(epochs)} epochs)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        dense.fit(Xtr, ytr_fit)
    bar.update(1)
    score_b, loss_b = _metrics(dense, Xte, yte, task, y_mean, y_scale)

    bs = min(200, len(Xtr)) if batch_size == "auto" else int(np.clip(batch_size, 1, len(Xtr)))
    spe = math.ceil(len(Xtr) / bs)
    if isinstance(schedule, PruningSchedule):
        sched = schedule
    elif schedule == "constant":
        sched = ConstantSparsity(float(sparsity), begin_step=0, frequency=spe)
    else:
        sched = PolynomialDecay(0.0, float(sparsity), begin_step=0, end_step=spe * math.ceil(prune_epochs / 2), frequency=spe)
    target_s = sched.target_sparsity if isinstance(sched, ConstantSparsity) else sched.final_sparsity

    pruner = MagnitudePruner(dense, sched, scope=scope, epochs=int(prune_epochs), batch_size=batch_size, random_state=seed)
    bar.set_postfix_str(f"pruning ({int(prune_epochs)} epochs)")
    pruner.fit(Xtr, ytr_fit)
    bar.update(1)
    bar.close()
    plain = strip_pruning(pruner)
    score_a, loss_a = _metrics(plain, Xte, yte, task, y_mean, y_scale)

    names = [f"dense_{i}" for i in range(len(plain.coefs_))]
    last = pruner.history_[-1]["target_sparsity"] if pruner.history_ else 0.0
    layers = layer_table(plain.coefs_, pruner.thresholds_, [last] * len(plain.coefs_), names)
    metrics = {
        "score_name": "accuracy" if task == "classification" else "r2",
        "loss_name": "log_loss" if task == "classification" else "mse",
        "score_before": score_b,
        "score_after": score_a,
        "loss_before": loss_b,
        "loss_after": loss_a,
        "n_train": int(len(Xtr)),
        "n_test": int(len(Xte)),
    }
    if task == "classification":
        metrics["accuracy_before"], metrics["accuracy_after"] = score_b, score_a
    sizes = {
        "dense": model_sizes(dense.coefs_, dense.intercepts_),
        "pruned": model_sizes(plain.coefs_, plain.intercepts_),
    }
    return NNPruneResult(
        method="magnitude",
        task=task,
        feature_names=prep.feature_names,
        layers=layers,
        metrics=metrics,
        sizes=sizes,
        schedule=sched.get_config(),
        scope=scope,
        target_sparsity=float(target_s),
        steps=pruner.step_,
        history=pruner.history_,
        provenance={**provenance(seed=seed, with_r=False), "hidden": list(hidden_t), "epochs": int(epochs),
                    "prune_epochs": int(prune_epochs), "batch_size": bs, "test_size": float(test_size)},
        kernels=[w.copy() for w in plain.coefs_],
        dense_kernels=[w.copy() for w in dense.coefs_],
        model=plain,
        preprocessing={"x_mean": mu, "x_scale": sd, "y_mean": y_mean, "y_scale": y_scale},
    )
