"""The Keras path of :mod:`statprune.nn`: prune a tf-keras model with TF-MOT itself.

TensorFlow is reached through :mod:`statprune.nn._tf` only, on first call (optional extra).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._provenance import provenance
from ..errors import DataError, ParameterError
from . import _tf
from ._checks import check_int
from .result import NNPruneResult, layer_table, model_sizes
from .schedules import ConstantSparsity, as_schedule

__all__ = ["prune_keras"]


def _split_weights(model: Any) -> tuple[list[str], list[np.ndarray], list[np.ndarray]]:
    names, kernels, others = [], [], []
    for layer in model.layers:
        for w in layer.weights:
            v = np.asarray(w.numpy())
            if w.name.split("/")[-1].startswith("kernel"):
                names.append(layer.name)
                kernels.append(v)
            else:
                others.append(v)
    return names, kernels, others


def _evaluate(model: Any, x: np.ndarray, y: np.ndarray, batch_size: int) -> dict[str, float]:
    out = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    return {str(k): float(v) for k, v in out.items()}


def _last_update(schedule: Any, final_step: int) -> tuple[int | None, float]:
    last = None
    for t in range(1, final_step + 1):
        if schedule.should_prune(t):
            last = t
    return last, (schedule.sparsity(last) if last is not None else 0.0)


def prune_keras(
    model: Any,
    X: Any,
    y: Any,
    schedule: Any = None,
    *,
    epochs: int = 2,
    batch_size: int = 32,
    validation_data: tuple[Any, Any] | None = None,
    optimizer: Any = None,
    loss: Any = None,
    metrics: Any = None,
    seed: int | None = None,
    verbose: int = 0,
) -> Any:
    """Prune a compiled tf-keras model with ``tfmot.sparsity.keras.prune_low_magnitude``.

    The model is cloned (never modified), wrapped by TF-MOT with ``schedule`` (a
    statprune or tfmot ``ConstantSparsity``/``PolynomialDecay``; default
    ``ConstantSparsity(0.5, 0)`` as TF-MOT), recompiled with the model's optimizer
    (a fresh one with the same config), loss and metrics unless given, trained
    ``epochs`` epochs with the ``UpdatePruningStep`` callback, and stripped with
    ``strip_pruning``. Loss and metrics are evaluated on ``validation_data`` (default:
    the training data) before and after.

    Returns
    -------
    NNPruneResult
        ``method="tfmot"``; ``.model`` is the stripped tf-keras model, ``.pruned_model``
        the model still wrapped for further masked training.
    """
    _tf.check_model(model)
    tf, keras, tfmot = _tf.load()
    sched = as_schedule(schedule, ConstantSparsity(0.5, 0))  # TF-MOT's default schedule
    epochs = check_int(epochs, "epochs")
    batch_size = check_int(batch_size, "batch_size")
    if epochs < 1 or batch_size < 1:
        raise ParameterError(f"epochs and batch_size must be >= 1 (got {epochs}, {batch_size})")
    feature_names = [str(c) for c in X.columns] if hasattr(X, "columns") else None
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y)
    if feature_names is None and X.ndim == 2:
        feature_names = [f"x{i}" for i in range(X.shape[1])]
    if len(X) != len(y) or len(X) == 0:
        raise DataError(f"X has {len(X)} rows and y has {len(y)}; they must be equal and > 0")
    if not np.isfinite(X).all():
        raise DataError("X contains NaN or inf; remove or impute those values first")
    loss = loss if loss is not None else getattr(model, "loss", None)
    if loss is None or getattr(model, "optimizer", None) is None and optimizer is None:
        raise ParameterError(
            "the model is not compiled: call model.compile(optimizer=..., loss=..., metrics=[...]) "
            "first, or pass optimizer= and loss= to prune_keras"
        )
    if metrics is None:
        user = getattr(getattr(model, "compiled_metrics", None), "_user_metrics", None)
        metrics = list(user) if user else None

    def _opt() -> Any:
        if optimizer is not None:
            return keras.optimizers.get(optimizer) if isinstance(optimizer, str) else optimizer
        o = model.optimizer
        return type(o).from_config(o.get_config())

    if seed is not None:
        keras.utils.set_random_seed(int(seed))
    xv, yv = validation_data if validation_data is not None else (X, y)
    xv = np.asarray(xv, dtype=np.float32)
    yv = np.asarray(yv)
    before = _evaluate(model, xv, yv, batch_size)
    base = keras.models.clone_model(model)
    base.set_weights(model.get_weights())
    _, dense_kernels, dense_other = _split_weights(model)

    pruned = tfmot.sparsity.keras.prune_low_magnitude(base, pruning_schedule=sched.to_tfmot())
    pruned.compile(optimizer=_opt(), loss=loss, metrics=metrics)
    pruned.fit(
        X, y, epochs=epochs, batch_size=batch_size, verbose=verbose, shuffle=True,
        callbacks=[tfmot.sparsity.keras.UpdatePruningStep()],
    )
    wrapper_cls = _tf.prune_low_magnitude_wrapper_class()
    wrappers = [l for l in pruned.layers if isinstance(l, wrapper_cls)]
    final_step = int(wrappers[0].pruning_step.numpy()) if wrappers else 0
    thresholds = {l.layer.name: float(np.asarray(l.pruning_vars[0][2].numpy())) for l in wrappers if l.pruning_vars}
    stripped = tfmot.sparsity.keras.strip_pruning(pruned)
    stripped.compile(optimizer=_opt(), loss=loss, metrics=metrics)
    after = _evaluate(stripped, xv, yv, batch_size)
    names, kernels, other = _split_weights(stripped)
    last, target_now = _last_update(sched, final_step)
    layers = layer_table(kernels, [thresholds.get(n, float("nan")) for n in names], [target_now] * len(kernels), names)
    target = sched.target_sparsity if hasattr(sched, "target_sparsity") else sched.final_sparsity
    score_name = next((k for k in before if k != "loss"), None)
    metrics_out: dict[str, Any] = {
        "score_name": score_name,
        "loss_name": "loss",
        "score_before": before.get(score_name, float("nan")) if score_name else float("nan"),
        "score_after": after.get(score_name, float("nan")) if score_name else float("nan"),
        "loss_before": before["loss"],
        "loss_after": after["loss"],
        "before": before,
        "after": after,
    }
    if score_name and "acc" in score_name:
        metrics_out["accuracy_before"], metrics_out["accuracy_after"] = metrics_out["score_before"], metrics_out["score_after"]
    prov = {
        **provenance(seed=seed, with_r=False),
        "tensorflow_version": tf.__version__,
        "tf_keras_version": getattr(keras, "__version__", None),
        "tfmot_version": getattr(tfmot, "__version__", None),
        "epochs": epochs,
        "batch_size": batch_size,
    }
    res = NNPruneResult(
        method="tfmot",
        task="keras",
        # inputs map to the first kernel's rows only when the first layer is a Dense on X
        feature_names=feature_names if kernels and kernels[0].ndim == 2 and feature_names
        and kernels[0].shape[0] == len(feature_names) else [],
        layers=layers,
        metrics=metrics_out,
        sizes={"dense": model_sizes(dense_kernels, dense_other), "pruned": model_sizes(kernels, other)},
        schedule=sched.get_config(),
        scope="layer",
        target_sparsity=float(target),
        steps=final_step,
        history=[] if last is None else [{"step": last, "target_sparsity": target_now}],
        provenance=prov,
        kernels=kernels,
        dense_kernels=dense_kernels,
        model=stripped,
        pruned_model=pruned,
    )
    return res
