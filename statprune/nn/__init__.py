"""Neural-network magnitude pruning with the semantics of TF-MOT's ``prune_low_magnitude``.

This module re-implements, in plain numpy, the pruning rules of TensorFlow Model
Optimization (TF-MOT 0.8, ``tfmot.sparsity.keras``) and applies them to
scikit-learn's :class:`~sklearn.neural_network.MLPClassifier` and
:class:`~sklearn.neural_network.MLPRegressor`. For Keras models it drives TF-MOT itself
(optional extra ``statprune[keras]``, see :func:`prune_keras`). Nothing here imports
TensorFlow unless a Keras function is called.

Modules: :mod:`~statprune.nn.schedules` (when and how much), :mod:`~statprune.nn.masks`
(which weights), :mod:`~statprune.nn.mlp` (the scikit-learn pruner), :mod:`~statprune.nn.keras`
(TF-MOT on tf-keras models, through :mod:`~statprune.nn._tf`, the only module that imports
TensorFlow), :mod:`~statprune.nn.train` (``prune_nn``), :mod:`~statprune.nn.result`.

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

from ..plotting.nn import NNPruneDisplay
from .keras import prune_keras
from .masks import global_magnitude_masks, magnitude_mask
from .mlp import MagnitudePruner, prune_low_magnitude, strip_pruning
from .result import NNPruneResult, model_sizes
from .schedules import ConstantSparsity, PolynomialDecay, PruningSchedule
from .train import prune_nn

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
    "model_sizes",
]
