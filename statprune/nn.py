"""Neural-network magnitude pruning with the semantics of TF-MOT's ``prune_low_magnitude``.

This module re-implements, in plain numpy, the pruning rules of TensorFlow Model
Optimization (TF-MOT 0.8, ``tfmot.sparsity.keras``) and applies them to
scikit-learn's :class:`~sklearn.neural_network.MLPClassifier` and
:class:`~sklearn.neural_network.MLPRegressor`. For Keras models it drives TF-MOT itself
(optional extra ``statprune[keras]``, see :func:`prune_keras`). Nothing here imports
TensorFlow unless a Keras function is called.

What is reproduced exactly (read from TF-MOT's ``pruning_schedule.py``,
``pruning_impl.py``, ``pruning_wrapper.py`` and ``pruning_callbacks.py``):

* **Schedules** :class:`ConstantSparsity` and :class:`PolynomialDecay` return
  ``(should_prune, sparsity)`` for a step, computed in float32 like TF-MOT.
  ``should_prune`` is ``step >= begin_step and (step <= end_step or end_step < 0)
  and (step - begin_step) % frequency == 0``.
* **Masks**: for a weight tensor of ``n`` entries and sparsity ``s``, TF-MOT keeps
  ``k = max(round(float32(n) * (1 - s)), 1)`` weights (``round`` half to even), takes
  the ``k``-th largest magnitude as the threshold and keeps every weight with
  ``|w| >= threshold``. **Ties** at the threshold are therefore all kept, so the
  achieved sparsity can be *below* the target when magnitudes tie (for example many
  exact zeros); with distinct magnitudes it is exactly ``1 - k/n``.
* **What is pruned**: the kernels (``coefs_``) only, not the biases
  (``intercepts_``), as TF-MOT's ``Dense`` layers do.
* **Step counting** (``UpdatePruningStep``): the step is 0 when pruning starts and
  is incremented by one *before* every optimizer update (mini-batch), so the first
  mini-batch is step 1. At a step where ``should_prune`` is true the masks are
  recomputed from the current weights; then the weights are multiplied by the masks,
  then the optimizer update runs (which may move pruned weights away from zero; they
  are zeroed again before the next update), and the masks are applied once more at
  the end of every epoch. ``fit`` starts counting at 0, ``partial_fit`` continues.
  With sklearn one optimizer step is one call of the estimator's ``partial_fit`` on
  one mini-batch of ``batch_size`` rows (``"auto"`` = ``min(200, n_samples)`` as in
  scikit-learn), so an epoch has ``ceil(n_samples / batch_size)`` steps.

Global pruning (``scope="global"``) is a statprune extension (TF-MOT prunes every
layer to the same sparsity): the same threshold rule is applied to all kernels pooled
together, so the layers end up with different sparsities but the network as a whole
has the target sparsity.

Examples
--------
>>> import numpy as np
>>> from statprune.nn import ConstantSparsity, PolynomialDecay
>>> ConstantSparsity(0.5, begin_step=0, frequency=100)(100)
(True, 0.5)
>>> sched = PolynomialDecay(0.0, 0.8, begin_step=0, end_step=1000)
>>> [round(sched(s)[1], 4) for s in (0, 500, 1000, 2000)]
[0.0, 0.7, 0.8, 0.8]
"""

from __future__ import annotations

import copy
import gzip
import html
import math
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ._json import dumps_to
from .errors import DataError, ParameterError, SelectionWarning

__all__ = [
    "PruningSchedule",
    "ConstantSparsity",
    "PolynomialDecay",
    "magnitude_mask",
    "global_magnitude_masks",
    "MagnitudePruner",
    "prune_low_magnitude",
    "strip_pruning",
    "prune_nn",
    "prune_keras",
    "NNPruneResult",
    "NNPruneDisplay",
]


# --------------------------------------------------------------------------- schedules
def _check_int(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ParameterError(f"{name} must be an integer (got {value!r})")
    return int(value)


def _check_sparsity(value: Any, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{name} must be a number in [0, 1) (got {value!r})")
    v = float(value)
    if not (0.0 <= v < 1.0):
        raise ParameterError(
            f"{name} must be in [0, 1) (got {value!r}): it is the fraction of weights set to zero, "
            "and 1 would remove every weight"
        )
    return v


class PruningSchedule:
    """Base class: ``schedule(step) -> (should_prune, sparsity)`` as TF-MOT's ``PruningSchedule``."""

    begin_step: int
    end_step: int
    frequency: int

    def _validate_step(self, allow_negative_1: bool) -> None:
        # TF-MOT's PruningSchedule._validate_step, with messages that say what to do
        self.begin_step = _check_int(self.begin_step, "begin_step")
        self.end_step = _check_int(self.end_step, "end_step")
        self.frequency = _check_int(self.frequency, "frequency")
        if self.begin_step < 0:
            raise ParameterError(f"begin_step must be >= 0 (got {self.begin_step})")
        if not allow_negative_1 and self.end_step == -1:
            raise ParameterError(
                f"{type(self).__name__} needs an end_step (>= begin_step); -1 (prune forever) is only "
                "allowed for ConstantSparsity"
            )
        if self.end_step != -1:
            if self.end_step < 0:
                raise ParameterError(f"end_step must be -1 or >= 0 (got {self.end_step})")
            if self.end_step < self.begin_step:
                raise ParameterError(
                    f"end_step ({self.end_step}) < begin_step ({self.begin_step}); pruning must end "
                    "after it begins (or pass end_step=-1 to ConstantSparsity to prune until training ends)"
                )
        if self.frequency <= 0:
            raise ParameterError(f"frequency must be > 0 (got {self.frequency})")

    def should_prune(self, step: int) -> bool:
        """Whether the masks are recomputed at ``step`` (TF-MOT ``_should_prune_in_step``)."""
        in_range = step >= self.begin_step and (step <= self.end_step or self.end_step < 0)
        return bool(in_range and (step - self.begin_step) % self.frequency == 0)

    def first_prune_step(self) -> int:
        """First step >= 1 (the first training step) at which the masks are updated."""
        return self.begin_step if self.begin_step >= 1 else self.frequency

    def sparsity(self, step: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, step: int) -> tuple[bool, float]:
        """``(should_prune, sparsity)`` at ``step``; ``sparsity`` is a float32 value as a float."""
        step = _check_int(step, "step")
        return self.should_prune(step), self.sparsity(step)

    def get_config(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_tfmot(self) -> Any:
        """The equivalent ``tfmot.sparsity.keras`` schedule object (needs ``statprune[keras]``)."""
        from . import _keras  # noqa: PLC0415

        tfmot = _keras.load()[2]
        return getattr(tfmot.sparsity.keras, type(self).__name__)(**self.get_config()["config"])

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config()["config"].items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.get_config() == self.get_config()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]


class ConstantSparsity(PruningSchedule):
    """Constant sparsity in ``[begin_step, end_step]``, masks updated every ``frequency`` steps.

    Same arguments, validation and values as ``tfmot.sparsity.keras.ConstantSparsity``.

    Parameters
    ----------
    target_sparsity : float in [0, 1)
    begin_step : int >= 0
    end_step : int, default -1
        Last step at which masks are updated; -1 means until training ends.
    frequency : int > 0, default 100

    Examples
    --------
    >>> s = ConstantSparsity(0.8, begin_step=10, end_step=30, frequency=10)
    >>> [s(t)[0] for t in (0, 10, 15, 20, 30, 40)]
    [False, True, False, True, True, False]
    >>> s(15)[1]
    0.800000011920929
    """

    def __init__(self, target_sparsity: float, begin_step: int, end_step: int = -1, frequency: int = 100) -> None:
        self.target_sparsity = target_sparsity
        self.begin_step = begin_step
        self.end_step = end_step
        self.frequency = frequency
        self._validate_step(allow_negative_1=True)
        _check_sparsity(target_sparsity, "target_sparsity")

    def sparsity(self, step: int) -> float:
        """The target sparsity, as the float32 value TF-MOT returns."""
        return float(np.float32(self.target_sparsity))

    def get_config(self) -> dict[str, Any]:
        return {
            "class_name": "ConstantSparsity",
            "config": {
                "target_sparsity": self.target_sparsity,
                "begin_step": self.begin_step,
                "end_step": self.end_step,
                "frequency": self.frequency,
            },
        }


class PolynomialDecay(PruningSchedule):
    """Sparsity rising from ``initial_sparsity`` to ``final_sparsity`` as TF-MOT's ``PolynomialDecay``.

    ``sparsity(step) = final + (initial - final) * (1 - p) ** power`` with
    ``p = min(1, max(0, (step - begin_step) / (end_step - begin_step)))``, evaluated in
    float32 as TF-MOT does. Masks are updated every ``frequency`` steps in
    ``[begin_step, end_step]``; after ``end_step`` they stay as they are. The final
    sparsity is reached only if ``end_step - begin_step`` is a multiple of
    ``frequency`` (otherwise the last update happens before ``end_step``).

    Parameters
    ----------
    initial_sparsity, final_sparsity : float in [0, 1)
    begin_step, end_step : int, ``0 <= begin_step <= end_step``
    power : float, default 3
    frequency : int > 0, default 100

    Examples
    --------
    >>> s = PolynomialDecay(0.5, 0.9, begin_step=0, end_step=100, frequency=50)
    >>> [(t, s(t)[0], round(s(t)[1], 4)) for t in (0, 50, 100)]
    [(0, True, 0.5), (50, True, 0.85), (100, True, 0.9)]
    """

    def __init__(
        self,
        initial_sparsity: float,
        final_sparsity: float,
        begin_step: int,
        end_step: int,
        power: float = 3,
        frequency: int = 100,
    ) -> None:
        self.initial_sparsity = initial_sparsity
        self.final_sparsity = final_sparsity
        self.power = power
        self.begin_step = begin_step
        self.end_step = end_step
        self.frequency = frequency
        self._validate_step(allow_negative_1=False)
        _check_sparsity(initial_sparsity, "initial_sparsity")
        _check_sparsity(final_sparsity, "final_sparsity")
        if isinstance(power, (bool, np.bool_)) or not isinstance(power, numbers.Real) or not math.isfinite(power):
            raise ParameterError(f"power must be a finite number (got {power!r})")

    def sparsity(self, step: int) -> float:
        """TF-MOT's float32 arithmetic, operation by operation."""
        f32 = np.float32
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = f32(step - self.begin_step) / f32(self.end_step - self.begin_step)
            # tf.math.maximum / minimum propagate NaN (end_step == begin_step at that step)
            p = np.minimum(f32(1.0), np.maximum(f32(0.0), ratio))
            delta = f32(self.initial_sparsity - self.final_sparsity)
            # pow as a correctly rounded float32 (as TF's CPU kernel; numpy's float32 power is
            # off by up to a few ulps), then float32 multiply and add
            powered = f32(np.power(np.float64(f32(1.0) - p), np.float64(f32(self.power))))
            out = delta * powered + f32(self.final_sparsity)
        return float(f32(out))

    def get_config(self) -> dict[str, Any]:
        return {
            "class_name": "PolynomialDecay",
            "config": {
                "initial_sparsity": self.initial_sparsity,
                "final_sparsity": self.final_sparsity,
                "power": self.power,
                "begin_step": self.begin_step,
                "end_step": self.end_step,
                "frequency": self.frequency,
            },
        }


def _schedule_from_config(cfg: dict[str, Any]) -> PruningSchedule:
    cls = {"ConstantSparsity": ConstantSparsity, "PolynomialDecay": PolynomialDecay}[cfg["class_name"]]
    return cls(**cfg["config"])


# --------------------------------------------------------------------------- masks
def _n_keep(n: int, sparsity: float) -> int:
    """TF-MOT: ``k = max(round(float32(n) * (1 - sparsity)), 1)`` in float32, half to even."""
    f32 = np.float32
    return int(max(np.round(f32(n) * (f32(1.0) - f32(sparsity))), f32(1.0)))


def _threshold_mask(abs_flat: np.ndarray, sparsity: float) -> tuple[float, np.ndarray]:
    n = abs_flat.size
    k = _n_keep(n, sparsity)
    # tf.math.top_k(sorted=True): descending, equal values in index order (stable)
    order = np.argsort(-abs_flat, kind="stable")
    pos = order[k - 1]
    threshold = abs_flat[pos]
    mask = abs_flat >= threshold
    mask[pos] = True
    return float(threshold), mask


def magnitude_mask(weights: np.ndarray, sparsity: float) -> tuple[float, np.ndarray]:
    """TF-MOT's magnitude mask of one weight tensor.

    Parameters
    ----------
    weights : array
    sparsity : float in [0, 1)

    Returns
    -------
    threshold : float
        The ``k``-th largest ``|w|`` with ``k = max(round(n * (1 - sparsity)), 1)``.
    mask : bool array, same shape
        ``|w| >= threshold`` (ties at the threshold are kept).

    Examples
    --------
    >>> import numpy as np
    >>> t, m = magnitude_mask(np.array([[0.1, -0.4], [0.3, -0.2]]), 0.5)
    >>> t, m.astype(int).tolist()
    (0.3, [[0, 1], [1, 0]])
    >>> magnitude_mask(np.array([1.0, 1.0, 1.0, 2.0]), 0.5)[1].tolist()  # ties are all kept
    [True, True, True, True]
    """
    w = np.asarray(weights)
    if w.size == 0:
        raise ParameterError("cannot prune an empty weight tensor")
    if not np.isfinite(w).all():
        raise DataError("the weights contain NaN or inf; the network diverged, retrain it before pruning")
    _check_sparsity(sparsity, "sparsity")
    thr, mask = _threshold_mask(np.abs(w).ravel(), sparsity)
    return thr, mask.reshape(w.shape)


def global_magnitude_masks(weights: Sequence[np.ndarray], sparsity: float) -> tuple[float, list[np.ndarray]]:
    """One threshold for all tensors pooled (statprune's global pruning); same rule as :func:`magnitude_mask`.

    Examples
    --------
    >>> import numpy as np
    >>> t, ms = global_magnitude_masks([np.array([0.1, 0.2]), np.array([0.3, 0.4])], 0.5)
    >>> t, [m.tolist() for m in ms]
    (0.3, [[False, False], [True, True]])
    """
    ws = [np.asarray(w) for w in weights]
    if not ws:
        raise ParameterError("no weight tensors to prune")
    flat = np.concatenate([np.abs(w).ravel() for w in ws])
    if not np.isfinite(flat).all():
        raise DataError("the weights contain NaN or inf; the network diverged, retrain it before pruning")
    _check_sparsity(sparsity, "sparsity")
    thr, mask = _threshold_mask(flat, sparsity)
    out, start = [], 0
    for w in ws:
        out.append(mask[start : start + w.size].reshape(w.shape))
        start += w.size
    return thr, out


# --------------------------------------------------------------------------- sklearn pruner
def _is_fitted_mlp(est: Any) -> bool:
    return hasattr(est, "coefs_") and hasattr(est, "intercepts_")


def _check_mlp(est: Any) -> None:
    from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: PLC0415

    if _is_keras_model(est):
        raise ParameterError(
            "this is a Keras model: use statprune.nn.prune_keras(model, X, y, schedule) (TF-MOT), "
            "MagnitudePruner wraps scikit-learn MLPs"
        )
    if not isinstance(est, (MLPClassifier, MLPRegressor)):
        raise ParameterError(
            f"estimator must be a fitted sklearn MLPClassifier or MLPRegressor (got {type(est).__name__})"
        )
    if not _is_fitted_mlp(est):
        from sklearn.exceptions import NotFittedError  # noqa: PLC0415

        raise NotFittedError(
            f"this {type(est).__name__} is not fitted: train the dense network first (estimator.fit(X, y)); "
            "pruning fine-tunes a trained network, as TF-MOT's prune_low_magnitude does"
        )
    if est.solver not in ("adam", "sgd"):
        raise ParameterError(
            f"solver={est.solver!r} has no partial_fit, which pruning needs to train with masks; "
            "use solver='adam' or solver='sgd'"
        )
    if est.early_stopping:
        raise ParameterError(
            "early_stopping=True is not supported by partial_fit, which pruning uses; "
            "set early_stopping=False on the estimator"
        )


def _is_keras_model(obj: Any) -> bool:
    mod = type(obj).__module__ or ""
    return mod.split(".", 1)[0] in ("keras", "tf_keras", "tensorflow")


class MagnitudePruner:
    """Fine-tune a fitted scikit-learn MLP with TF-MOT's magnitude-pruning masks.

    The sklearn counterpart of ``tfmot.sparsity.keras.prune_low_magnitude`` plus the
    ``UpdatePruningStep`` callback: training runs through the estimator's
    ``partial_fit`` one mini-batch (one optimizer step) at a time, masks are updated
    when the schedule says so and re-applied after each update, so pruned weights
    stay zero. Kernels (``coefs_``) are pruned, biases are not.

    Parameters
    ----------
    estimator : fitted MLPClassifier or MLPRegressor (solver ``"adam"`` or ``"sgd"``)
        Copied, never modified.
    schedule : PruningSchedule, default ``ConstantSparsity(0.5, begin_step=0)``
        TF-MOT's default schedule of ``prune_low_magnitude``.
    scope : {"layer", "global"}, default "layer"
        ``"layer"``: each kernel gets the schedule's sparsity (TF-MOT). ``"global"``:
        one magnitude threshold over all kernels.
    epochs : int, default 10
        Passes over the data in :meth:`fit`.
    batch_size : int or "auto", default "auto"
        ``"auto"`` takes the estimator's ``batch_size`` (its ``"auto"`` is
        ``min(200, n_samples)``).
    shuffle : bool, default True
        Shuffle the rows at each epoch.
    random_state : int, RandomState or None
        Seed of the shuffling.

    Attributes
    ----------
    estimator_ : the MLP being pruned (weights masked after every call)
    masks_ : list of bool arrays, one per ``coefs_`` entry (True = kept)
    thresholds_ : list of float, magnitude threshold of each kernel at the last update
    step_ : int, the pruning step (optimizer updates since pruning began)
    history_ : list of dict, one per mask update (step, target sparsity, achieved sparsity per layer)
    layer_sparsity_ : ndarray, fraction of pruned weights per kernel

    Examples
    --------
    >>> import warnings
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.neural_network import MLPClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X / 16
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     mlp = MLPClassifier((32,), max_iter=20, random_state=0).fit(X, y)
    >>> pr = MagnitudePruner(mlp, ConstantSparsity(0.8, 0, frequency=9), epochs=2, random_state=0).fit(X, y)
    >>> pr.step_, pr.layer_sparsity_.round(3).tolist()
    (18, [0.8, 0.8])
    >>> plain = strip_pruning(pr)
    >>> bool((plain.predict(X) == pr.predict(X)).all())
    True
    """

    def __init__(
        self,
        estimator: Any = None,
        schedule: PruningSchedule | None = None,
        *,
        scope: Literal["layer", "global"] = "layer",
        epochs: int = 10,
        batch_size: int | Literal["auto"] = "auto",
        shuffle: bool = True,
        random_state: Any = None,
    ) -> None:
        self.estimator = estimator
        self.schedule = schedule
        self.scope = scope
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.random_state = random_state

    # -- sklearn plumbing
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("estimator", "schedule", "scope", "epochs", "batch_size", "shuffle", "random_state")}

    def set_params(self, **params: Any) -> "MagnitudePruner":
        for k, v in params.items():
            if k not in self.get_params():
                raise ParameterError(f"unknown parameter {k!r} for MagnitudePruner")
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        return f"MagnitudePruner(estimator={type(self.estimator).__name__}, schedule={self.schedule!r}, scope={self.scope!r})"

    # -- validation
    def _schedule(self) -> PruningSchedule:
        s = ConstantSparsity(0.5, 0) if self.schedule is None else self.schedule
        if not isinstance(s, PruningSchedule):
            if type(s).__name__ in ("ConstantSparsity", "PolynomialDecay") and hasattr(s, "get_config"):
                return _schedule_from_config(s.get_config())  # a tfmot schedule object
            raise ParameterError(
                f"schedule must be statprune.nn.ConstantSparsity or PolynomialDecay (got {type(s).__name__})"
            )
        return s

    def _validate(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        if self.scope not in ("layer", "global"):
            raise ParameterError(f"scope must be 'layer' or 'global' (got {self.scope!r})")
        _check_mlp(self.estimator)
        self._sched = self._schedule()
        epochs = _check_int(self.epochs, "epochs")
        if epochs < 1:
            raise ParameterError(f"epochs must be >= 1 (got {epochs})")
        if self.batch_size != "auto":
            if _check_int(self.batch_size, "batch_size") < 1:
                raise ParameterError(f"batch_size must be >= 1 or 'auto' (got {self.batch_size})")
        X = np.asarray(X, dtype=np.float64) if not hasattr(X, "to_numpy") else X.to_numpy(dtype=np.float64)
        if X.ndim != 2:
            raise DataError(f"X must be 2-D (got shape {X.shape})")
        y = np.asarray(y)
        if len(X) != len(y):
            raise DataError(f"X has {len(X)} rows but y has {len(y)}")
        if not np.isfinite(X).all():
            raise DataError("X contains NaN or inf; remove or impute those values first")
        n_in = self.estimator.coefs_[0].shape[0]
        if X.shape[1] != n_in:
            raise DataError(f"X has {X.shape[1]} columns but the network was trained on {n_in}")
        if len(X) == 0:
            raise DataError("X has no rows")
        return X, y

    def _batch_size(self, n: int) -> int:
        bs = self.batch_size if self.batch_size != "auto" else self.estimator_.batch_size
        return min(200, n) if bs == "auto" else int(np.clip(bs, 1, n))

    # -- training
    def _init_state(self) -> None:
        self.estimator_ = copy.deepcopy(self.estimator)
        self.masks_ = [np.ones(w.shape, dtype=bool) for w in self.estimator_.coefs_]
        self.thresholds_ = [0.0 for _ in self.estimator_.coefs_]
        self.step_ = 0
        self.history_: list[dict[str, Any]] = []
        self._rng = np.random.RandomState(self.random_state) if not isinstance(
            self.random_state, np.random.RandomState
        ) else self.random_state

    def _update_masks(self, sparsity: float) -> None:
        coefs = self.estimator_.coefs_
        if self.scope == "global":
            thr, masks = global_magnitude_masks(coefs, sparsity)
            self.masks_ = masks
            self.thresholds_ = [thr] * len(coefs)
        else:
            out = [magnitude_mask(w, sparsity) for w in coefs]
            self.thresholds_ = [t for t, _ in out]
            self.masks_ = [m for _, m in out]
        self.history_.append(
            {
                "step": self.step_,
                "target_sparsity": sparsity,
                "sparsity": [float(1.0 - m.mean()) for m in self.masks_],
            }
        )

    def _apply_masks(self) -> None:
        for w, m in zip(self.estimator_.coefs_, self.masks_):
            w *= m  # in place: the sklearn optimizer holds references to these arrays

    def _epoch(self, X: np.ndarray, y: np.ndarray) -> None:
        n = len(X)
        idx = self._rng.permutation(n) if self.shuffle else np.arange(n)
        bs = self._batch_size(n)
        sched = self._sched
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)  # sklearn's per-call ConvergenceWarning
            for start in range(0, n, bs):
                b = idx[start : start + bs]
                self.step_ += 1
                should, sparsity = sched(self.step_)
                if should:
                    self._update_masks(sparsity)
                self._apply_masks()
                self.estimator_.partial_fit(X[b], y[b])
        self._apply_masks()  # UpdatePruningStep.on_epoch_end

    def fit(self, X: Any, y: Any) -> "MagnitudePruner":
        """Copy the estimator and train it ``epochs`` epochs with masks; the step starts at 0."""
        X, y = self._validate(X, y)
        self._init_state()
        for _ in range(int(self.epochs)):
            self._epoch(X, y)
        self._warn_if_never_pruned()
        return self

    def partial_fit(self, X: Any, y: Any) -> "MagnitudePruner":
        """One more epoch over ``(X, y)`` with the current masks; the step keeps counting."""
        X, y = self._validate(X, y)
        if not hasattr(self, "estimator_"):
            self._init_state()
        self._epoch(X, y)
        return self

    def _warn_if_never_pruned(self) -> None:
        if not self.history_:
            s = self._sched
            warnings.warn(
                f"no pruning step was reached: training ran {self.step_} optimizer steps but {s!r} first "
                f"updates the masks at step {s.first_prune_step()}; "
                "train more epochs, or lower frequency / begin_step",
                SelectionWarning,
                stacklevel=3,
            )

    # -- fitted properties and delegation
    def _check_fitted(self) -> None:
        if not hasattr(self, "estimator_"):
            from sklearn.exceptions import NotFittedError  # noqa: PLC0415

            raise NotFittedError("this MagnitudePruner is not fitted yet; call fit(X, y) first")

    @property
    def layer_sparsity_(self) -> np.ndarray:
        self._check_fitted()
        return np.array([float(np.mean(w == 0)) for w in self.estimator_.coefs_])

    @property
    def classes_(self) -> np.ndarray:
        self._check_fitted()
        return self.estimator_.classes_

    def predict(self, X: Any) -> np.ndarray:
        self._check_fitted()
        return self.estimator_.predict(X)

    def predict_proba(self, X: Any) -> np.ndarray:
        self._check_fitted()
        return self.estimator_.predict_proba(X)

    def score(self, X: Any, y: Any) -> float:
        self._check_fitted()
        return float(self.estimator_.score(X, y))


def prune_low_magnitude(
    estimator: Any,
    pruning_schedule: PruningSchedule | None = None,
    **kwargs: Any,
) -> MagnitudePruner:
    """TF-MOT's spelling: ``prune_low_magnitude(mlp, pruning_schedule=...)`` is ``MagnitudePruner(mlp, ...)``.

    Examples
    --------
    >>> from sklearn.neural_network import MLPClassifier
    >>> prune_low_magnitude(MLPClassifier(), ConstantSparsity(0.5, 0), epochs=3)
    MagnitudePruner(estimator=MLPClassifier, schedule=ConstantSparsity(target_sparsity=0.5, begin_step=0, end_step=-1, frequency=100), scope='layer')
    """
    return MagnitudePruner(estimator, pruning_schedule, **kwargs)


def strip_pruning(model: Any) -> Any:
    """A plain model with the pruned (zero) weights and no pruning state.

    For a :class:`MagnitudePruner`: a copy of its MLP with the masks applied, an
    ordinary ``MLPClassifier``/``MLPRegressor`` (further training does not keep the
    zeros, as with TF-MOT's stripped models). For a Keras model wrapped by TF-MOT:
    ``tfmot.sparsity.keras.strip_pruning(model)``.
    """
    if isinstance(model, MagnitudePruner):
        model._check_fitted()
        est = copy.deepcopy(model.estimator_)
        for w, m in zip(est.coefs_, model.masks_):
            w *= m
        for attr in ("_optimizer",):  # optimizer state belongs to the pruning run
            if hasattr(est, attr):
                delattr(est, attr)
        return est
    if _is_keras_model(model):
        from . import _keras  # noqa: PLC0415

        return _keras.strip(model)
    raise ParameterError(f"strip_pruning expects a fitted MagnitudePruner or a TF-MOT Keras model (got {type(model).__name__})")


# --------------------------------------------------------------------------- result
def _gzip_size(arrays: Sequence[np.ndarray], dtype: Any = np.float32) -> int:
    raw = b"".join(np.ascontiguousarray(a, dtype=dtype).tobytes() for a in arrays)
    return len(gzip.compress(raw, compresslevel=9, mtime=0))


def model_sizes(kernels: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> dict[str, int]:
    """Sizes of a network's weights: counts, nonzeros, raw float32 bytes, gzip bytes (as TF-MOT's docs measure)."""
    arrays = [*kernels, *biases]
    n = int(sum(a.size for a in arrays))
    return {
        "n_weights": n,
        "n_nonzero": int(sum(np.count_nonzero(a) for a in arrays)),
        "kernel_weights": int(sum(a.size for a in kernels)),
        "kernel_nonzero": int(sum(np.count_nonzero(a) for a in kernels)),
        "float32_bytes": 4 * n,
        "gzip_bytes": _gzip_size(arrays),
        # kernels stored as CSR (float32 values, int32 column indices and row pointers), biases dense
        "csr_bytes": int(sum(8 * np.count_nonzero(k) + 4 * (k.reshape(k.shape[0], -1).shape[0] + 1) for k in kernels))
        + 4 * int(sum(b.size for b in biases)),
    }


@dataclass
class NNPruneResult:
    """Outcome of magnitude pruning: per-layer sparsity, metrics before/after, sizes.

    ``to_frame()`` has one row per kernel; ``to_json()`` the keys ``method``,
    ``scores`` (achieved sparsity per layer), ``selected``/``pruned`` (input features
    with some / no remaining outgoing weight), ``metrics``, ``layers``, ``sizes``,
    ``schedule``, ``provenance``.
    """

    method: str
    task: str
    feature_names: list[str]
    layers: pd.DataFrame
    metrics: dict[str, Any]
    sizes: dict[str, dict[str, int]]
    schedule: dict[str, Any]
    scope: str
    target_sparsity: float
    steps: int
    history: list[dict[str, Any]]
    provenance: dict[str, Any]
    kernels: list[np.ndarray] = field(repr=False, default_factory=list)
    dense_kernels: list[np.ndarray] = field(repr=False, default_factory=list)
    model: Any = field(repr=False, default=None)
    pruned_model: Any = field(repr=False, default=None)
    preprocessing: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def pruned_features(self) -> list[str]:
        """Inputs whose outgoing first-layer weights are all zero (the network ignores them)."""
        if not self.kernels:
            return []
        dead = ~np.any(self.kernels[0] != 0, axis=1)
        return [f for f, d in zip(self.feature_names, dead) if d]

    @property
    def selected_features(self) -> list[str]:
        gone = set(self.pruned_features)
        return [f for f in self.feature_names if f not in gone]

    def to_frame(self) -> pd.DataFrame:
        """One row per kernel: shape, weights, nonzeros, achieved and target sparsity, threshold."""
        return self.layers.copy()

    def summary(self) -> str:
        m = self.metrics
        lines = [
            f"Magnitude pruning ({self.method}, {'layer-wise' if self.scope == 'layer' else 'global threshold'}, schedule {self.schedule.get('class_name')})",
            f"target sparsity {self.target_sparsity:.3g}, {self.steps} optimizer steps",
            "",
            self.layers.to_string(index=False),
            "",
        ]
        sc, ls = m.get("score_name", "score"), m.get("loss_name", "loss")
        lines.append(f"{sc:<10} before {m.get('score_before', float('nan')):.4f}   after {m.get('score_after', float('nan')):.4f}")
        lines.append(f"{ls:<10} before {m.get('loss_before', float('nan')):.4f}   after {m.get('loss_after', float('nan')):.4f}")
        d, p = self.sizes.get("dense", {}), self.sizes.get("pruned", {})
        if d and p:
            lines.append(
                f"size       {d['n_nonzero']} -> {p['n_nonzero']} nonzero weights; "
                f"gzip {d['gzip_bytes']} -> {p['gzip_bytes']} bytes (float32)"
            )
        if self.feature_names:
            lines.append(f"inputs with no remaining weight: {len(self.pruned_features)} of {len(self.feature_names)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        m = self.metrics
        head = (
            f"<p><b>Magnitude pruning</b> ({html.escape(self.method)}, {html.escape(self.scope)} scope), "
            f"target sparsity {self.target_sparsity:.3g}; {html.escape(str(m.get('score_name')))} "
            f"{m.get('score_before', float('nan')):.4f} &rarr; {m.get('score_after', float('nan')):.4f}</p>"
        )
        return head + self.layers.to_html(index=False)

    def to_dict(self) -> dict[str, Any]:
        scores = {str(r.layer): float(r.sparsity) for r in self.layers.itertuples()}
        return {
            "method": self.method,
            "task": self.task,
            "scope": self.scope,
            "target_sparsity": self.target_sparsity,
            "scores": scores,
            "selected": self.selected_features,
            "pruned": self.pruned_features,
            "metrics": self.metrics,
            "layers": self.layers.to_dict(orient="records"),
            "sizes": self.sizes,
            "schedule": self.schedule,
            "steps": self.steps,
            "mask_updates": self.history,
            "provenance": self.provenance,
        }

    def to_json(self, path: Any = None) -> str:
        """JSON text (NaN as null); written atomically to ``path`` when given."""
        return dumps_to(self.to_dict(), path)


def _layer_table(kernels: Sequence[np.ndarray], thresholds: Sequence[float], target: Sequence[float], names: Sequence[str] | None = None) -> pd.DataFrame:
    rows = []
    for i, w in enumerate(kernels):
        n = int(w.size)
        nz = int(np.count_nonzero(w))
        rows.append(
            {
                "layer": names[i] if names else f"dense_{i}",
                "shape": "x".join(map(str, w.shape)),
                "n_weights": n,
                "n_nonzero": nz,
                "sparsity": 1.0 - nz / n,
                "target_sparsity": float(target[i]),
                "threshold": float(thresholds[i]),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- high-level entry
def _metrics(est: Any, X: np.ndarray, y: np.ndarray, task: str, y_mean: float = 0.0, y_scale: float = 1.0) -> tuple[float, float]:
    from sklearn.metrics import log_loss, mean_squared_error, r2_score  # noqa: PLC0415

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
    if not hidden or any(_check_int(h, "hidden") < 1 for h in hidden):
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
    from sklearn.model_selection import train_test_split  # noqa: PLC0415
    from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: PLC0415

    from ._data import check_target, prepare_xy  # noqa: PLC0415
    from ._provenance import provenance  # noqa: PLC0415

    if not isinstance(schedule, PruningSchedule):
        _check_sparsity(sparsity, "sparsity")
        if schedule not in ("constant", "polynomial"):
            raise ParameterError(f"schedule must be 'constant' or 'polynomial' (got {schedule!r})")
    if scope not in ("layer", "global"):
        raise ParameterError(f"scope must be 'layer' or 'global' (got {scope!r})")
    if task not in ("auto", "classification", "regression"):
        raise ParameterError(f"task must be 'auto', 'classification' or 'regression' (got {task!r})")
    hidden_t = _parse_hidden(hidden)
    for name, v in (("epochs", epochs), ("prune_epochs", prune_epochs)):
        if _check_int(v, name) < 1:
            raise ParameterError(f"{name} must be >= 1 (got {v})")
    if not (isinstance(test_size, numbers.Real) and 0 < test_size < 1):
        raise ParameterError(f"test_size must be a fraction in (0, 1) (got {test_size!r})")
    seed = _check_int(seed, "seed")

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
    from ._progress import progress as _bar  # noqa: PLC0415

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
    layers = _layer_table(plain.coefs_, pruner.thresholds_, [last] * len(plain.coefs_), names)
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


def prune_keras(*args: Any, **kwargs: Any) -> NNPruneResult:
    """Prune a Keras (tf-keras) model with TF-MOT itself; see :func:`statprune._keras.prune_keras`."""
    from . import _keras  # noqa: PLC0415

    return _keras.prune_keras(*args, **kwargs)


# --------------------------------------------------------------------------- display
class NNPruneDisplay:
    """Sparsity per layer (bars, target as a line) and the weight-magnitude histogram.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np, pandas as pd
    >>> from sklearn.datasets import load_digits
    >>> d = load_digits(as_frame=True).frame.sample(400, random_state=0)
    >>> res = prune_nn(d, "target", sparsity=0.5, hidden=(16,), epochs=10, prune_epochs=2)
    >>> disp = NNPruneDisplay.from_result(res).plot()
    >>> len(disp.axes_)
    2
    """

    def __init__(self, layers: pd.DataFrame, kernels: Sequence[np.ndarray], dense_kernels: Sequence[np.ndarray], target: float) -> None:
        self.layers = layers
        self.kernels = list(kernels)
        self.dense_kernels = list(dense_kernels)
        self.target = target

    @classmethod
    def from_result(cls, result: NNPruneResult) -> "NNPruneDisplay":
        return cls(result.layers, result.kernels, result.dense_kernels, result.target_sparsity)

    def plot(self, axes: Any = None) -> "NNPruneDisplay":
        import matplotlib.pyplot as plt  # noqa: PLC0415

        if axes is None:
            fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        ax1, ax2 = axes
        names = list(self.layers["layer"])
        ax1.bar(names, self.layers["sparsity"], color="tab:blue", label="achieved")
        ax1.axhline(self.target, color="tab:red", ls="--", label=f"target {self.target:.2g}")
        ax1.set_ylim(0, 1)
        ax1.set_ylabel("sparsity (fraction of zero weights)")
        ax1.set_title("Sparsity per layer")
        ax1.legend(loc="lower right")
        dense = np.concatenate([np.abs(w).ravel() for w in self.dense_kernels]) if self.dense_kernels else np.array([])
        kept = np.concatenate([np.abs(w).ravel() for w in self.kernels]) if self.kernels else np.array([])
        kept = kept[kept > 0]
        if dense.size:
            bins = np.linspace(0, float(dense.max()) or 1.0, 50)
            ax2.hist(dense, bins=bins, alpha=0.5, label="dense", color="tab:gray")
            ax2.hist(kept, bins=bins, alpha=0.7, label="kept (nonzero)", color="tab:blue")
        ax2.set_xlabel("|weight|")
        ax2.set_ylabel("count")
        ax2.set_title("Weight magnitudes")
        ax2.legend()
        self.axes_ = [ax1, ax2]
        self.figure_ = ax1.figure
        return self
