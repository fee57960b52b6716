"""The one door to TensorFlow, tf-keras and TF-MOT for :mod:`statprune.nn`.

Optional extra ``statprune[keras]`` (tensorflow-cpu, tf-keras, tensorflow-model-optimization).
TensorFlow is imported on first use only (:func:`load`), with ``TF_USE_LEGACY_KERAS=1``
(TF-MOT 0.8 works with tf-keras, Keras 2, not with Keras 3 models) and
``TF_CPP_MIN_LOG_LEVEL=2``. Nothing else in the package imports TensorFlow.
"""

from __future__ import annotations

import os
from typing import Any


from ..errors import ParameterError

_CACHE: list[tuple[Any, Any, Any]] = []

KERAS3_MESSAGE = (
    "this is a Keras 3 model ({cls}); TensorFlow Model Optimization 0.8 supports only Keras 2 "
    "(tf-keras) models. Build the model with tf-keras instead: `import tf_keras as keras` (or set "
    "TF_USE_LEGACY_KERAS=1 before importing tensorflow and use tf.keras), then call prune_keras again"
)


def load() -> tuple[Any, Any, Any]:
    """Import and return ``(tensorflow, keras, tfmot)`` where ``keras`` is the tf-keras TF-MOT uses."""
    if _CACHE:
        return _CACHE[0]
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # deferred: tensorflow is an optional extra and takes seconds to import; sklearn users never pay for it
    try:
        import tensorflow as tf  # noqa: PLC0415 - deferred: TensorFlow is optional and seconds to import
        import tensorflow_model_optimization as tfmot  # noqa: PLC0415 - deferred: TensorFlow is optional and seconds to import
        from tensorflow_model_optimization.python.core.keras.compat import keras  # noqa: PLC0415 - deferred: TensorFlow is optional and seconds to import
    except ImportError as exc:
        raise ImportError(
            f"the Keras path of statprune.nn needs the optional extra: pip install 'statprune[keras]' "
            f"(tensorflow-cpu, tf-keras, tensorflow-model-optimization); import failed: {exc}"
        ) from exc
    _CACHE.append((tf, keras, tfmot))
    return _CACHE[0]


def is_keras_model(obj: Any) -> bool:
    """Whether ``obj`` comes from keras, tf_keras or tensorflow (checked by module name, without importing them)."""
    mod = type(obj).__module__ or ""
    return mod.split(".", 1)[0] in ("keras", "tf_keras", "tensorflow")


def is_keras3(model: Any) -> bool:
    return (type(model).__module__ or "").split(".", 1)[0] == "keras"


def check_model(model: Any) -> None:
    if is_keras3(model):
        raise ParameterError(KERAS3_MESSAGE.format(cls=f"{type(model).__module__}.{type(model).__name__}"))
    _, keras, _ = load()
    if not isinstance(model, keras.Model):
        raise ParameterError(f"expected a tf-keras Model (Sequential or functional), got {type(model).__name__}")


def strip(model: Any) -> Any:
    check_model(model)
    _, _, tfmot = load()
    return tfmot.sparsity.keras.strip_pruning(model)


def prune_low_magnitude_wrapper_class() -> Any:
    """TF-MOT's ``PruneLowMagnitude`` layer wrapper class (its masks and thresholds are read from it)."""
    load()
    # deferred like load(): part of the optional tensorflow extra
    from tensorflow_model_optimization.python.core.sparsity.keras.pruning_wrapper import PruneLowMagnitude  # noqa: PLC0415 - deferred: TensorFlow is optional and seconds to import

    return PruneLowMagnitude
