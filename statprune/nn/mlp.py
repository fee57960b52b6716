"""The scikit-learn path: fine-tune a fitted MLP with TF-MOT's masks through ``partial_fit``."""

from __future__ import annotations

import copy
import warnings
from typing import Any, Literal

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.neural_network import MLPClassifier, MLPRegressor

from ..errors import DataError, ParameterError, SelectionWarning
from . import _tf
from ._checks import check_int
from .masks import global_magnitude_masks, magnitude_mask
from .schedules import ConstantSparsity, PruningSchedule, as_schedule

__all__ = ["MagnitudePruner", "prune_low_magnitude", "strip_pruning"]


def _is_fitted_mlp(est: Any) -> bool:
    return hasattr(est, "coefs_") and hasattr(est, "intercepts_")


def _check_mlp(est: Any) -> None:
    if _tf.is_keras_model(est):
        raise ParameterError(
            "this is a Keras model: use statprune.nn.prune_keras(model, X, y, schedule) (TF-MOT), "
            "MagnitudePruner wraps scikit-learn MLPs"
        )
    if not isinstance(est, (MLPClassifier, MLPRegressor)):
        raise ParameterError(
            f"estimator must be a fitted sklearn MLPClassifier or MLPRegressor (got {type(est).__name__})"
        )
    if not _is_fitted_mlp(est):
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
        return as_schedule(self.schedule, ConstantSparsity(0.5, 0))  # TF-MOT's default schedule

    def _validate(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        if self.scope not in ("layer", "global"):
            raise ParameterError(f"scope must be 'layer' or 'global' (got {self.scope!r})")
        _check_mlp(self.estimator)
        self._sched = self._schedule()
        epochs = check_int(self.epochs, "epochs")
        if epochs < 1:
            raise ParameterError(f"epochs must be >= 1 (got {epochs})")
        if self.batch_size != "auto":
            if check_int(self.batch_size, "batch_size") < 1:
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
    if _tf.is_keras_model(model):
        return _tf.strip(model)
    raise ParameterError(f"strip_pruning expects a fitted MagnitudePruner or a TF-MOT Keras model (got {type(model).__name__})")
