"""The scikit-learn estimator protocol, without importing scikit-learn on the path of ``fit``.

Importing scikit-learn costs about 1.7 s in a fresh process (``sklearn.base`` pulls in
scipy), more than a whole gram-engine cross-validation at 20,000 x 200. :class:`Estimator`
and :class:`Selector` implement what scikit-learn's ``BaseEstimator`` and
``SelectorMixin`` do, with scikit-learn's documented semantics, so that ``fit`` on numpy
arrays needs neither scikit-learn, scipy nor pandas:

* ``get_params``/``set_params`` from the ``__init__`` signature (parameters sorted by
  name, ``deep`` parameters of nested estimators as ``name__sub``, unknown names refused
  with scikit-learn's message), which ``clone``, ``Pipeline`` and ``GridSearchCV`` use;
* ``__repr__`` with the parameters that differ from their defaults;
* ``__sklearn_tags__``, ``_repr_html_``, ``transform``, ``inverse_transform`` and
  ``fit_transform``: scikit-learn's own code, imported inside them (only scikit-learn, a
  notebook or a transform call them: scikit-learn is loaded by then, or the call pays it once);
* metadata routing (``sklearn.set_config(enable_metadata_routing=True)``): the
  ``set_{method}_request`` methods ``BaseEstimator`` would generate from the signatures of
  ``fit``, ``score``, ``predict``... (decided when the class is defined, by the rule of
  scikit-learn's ``_MetadataRequester.__init_subclass__``) are descriptors that build
  scikit-learn's own ``RequestMethod`` when first looked up; ``get_metadata_routing`` is
  ``_MetadataRequester``'s code, imported when called;
* :func:`is_sparse`, :func:`is_dataframe`: what an input is, without importing scipy or
  pandas (an X of theirs means they are loaded); :func:`statprune._validation.validate_data`
  takes plain numpy arrays itself on this basis.

:class:`Interval` and :class:`StrOptions` declare parameter constraints the way
scikit-learn's ``_parameter_constraints`` do; :func:`make_constraint` checks them.

Examples
--------
>>> class Demo(Estimator):
...     def __init__(self, a=1, *, b="x"):
...         self.a, self.b = a, b
>>> Demo(a=2)
Demo(a=2)
>>> Demo().set_params(b="y").get_params()
{'a': 1, 'b': 'y'}
"""

from __future__ import annotations

import inspect
import re
import sys
from collections import defaultdict
from functools import update_wrapper
from numbers import Integral, Real
from types import MethodType
from typing import Any, Callable

import numpy as np

__all__ = ["SIMPLE_METHODS", "Estimator", "Interval", "Selector", "StrOptions", "available_if", "check_is_fitted",
           "is_dataframe", "is_sparse", "make_constraint"]


# --------------------------------------------------------------------------- what an input is, importing nothing
def is_sparse(X: Any) -> bool:
    """True for a scipy.sparse matrix or array; without importing scipy (an X of scipy's means scipy is loaded)."""
    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and sparse.issparse(X)


def is_dataframe(X: Any) -> bool:
    """True for a pandas DataFrame; without importing pandas (a DataFrame means pandas is loaded)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(X, pd.DataFrame)


# --------------------------------------------------------------------------- parameter constraints
def _type_name(t: type) -> str:
    if t.__module__ == "builtins":
        return t.__qualname__
    if t is Real:
        return "float"
    if t is Integral:
        return "int"
    return f"{t.__module__}.{t.__qualname__}"


class _Constraint:
    def is_satisfied_by(self, value: Any) -> bool:  # pragma: no cover - every constraint overrides it
        raise NotImplementedError


class Interval(_Constraint):
    """Numbers of ``type`` (``Integral`` or ``Real``) between ``left`` and ``right`` (None: unbounded),
    ``closed`` one of ``"left"``, ``"right"``, ``"both"``, ``"neither"`` (scikit-learn's ``Interval``)."""

    def __init__(self, type: type, left: float | None, right: float | None, *, closed: str) -> None:  # noqa: A002
        self.type, self.left, self.right, self.closed = type, left, right, closed

    def is_satisfied_by(self, value: Any) -> bool:
        if not isinstance(value, self.type):
            return False
        if isinstance(value, Real) and np.isnan(value):
            return False
        lo_ok = self.left is None or (value >= self.left if self.closed in ("left", "both") else value > self.left)
        hi_ok = self.right is None or (value <= self.right if self.closed in ("right", "both") else value < self.right)
        return bool(lo_ok and hi_ok)

    def __str__(self) -> str:
        kind = "an int" if self.type is Integral else "a float"
        lb = "[" if self.closed in ("left", "both") else "("
        rb = "]" if self.closed in ("right", "both") else ")"
        left = "-inf" if self.left is None else self.left
        right = "inf" if self.right is None else self.right
        return f"{kind} in the range {lb}{left}, {right}{rb}"


class StrOptions(_Constraint):
    """One of a set of strings (scikit-learn's ``StrOptions``)."""

    def __init__(self, options: set[str]) -> None:
        self.options = options

    def is_satisfied_by(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.options

    def __str__(self) -> str:
        return f"a str among {{{', '.join(repr(o) for o in sorted(self.options))}}}"


class _Simple(_Constraint):
    def __init__(self, test: Callable[[Any], bool], text: str) -> None:
        self.test, self.text = test, text

    def is_satisfied_by(self, value: Any) -> bool:
        return bool(self.test(value))

    def __str__(self) -> str:
        return self.text


def _array_like(v: Any) -> bool:  # scikit-learn's _is_arraylike_not_scalar
    return (hasattr(v, "__len__") or hasattr(v, "shape") or hasattr(v, "__array__")) and not np.isscalar(v)


def make_constraint(c: Any) -> _Constraint:
    """A constraint object for a declaration of ``_parameter_constraints`` (scikit-learn's vocabulary:
    None, ``"array-like"``, ``"boolean"``, a type, ``callable``, an :class:`Interval` or :class:`StrOptions`)."""
    if isinstance(c, _Constraint):
        return c
    if c is None:
        return _Simple(lambda v: v is None, "None")
    if c == "array-like":
        return _Simple(_array_like, "an array-like")
    if c == "boolean":
        return _Simple(lambda v: isinstance(v, (bool, np.bool_)), "an instance of 'bool' or an instance of 'numpy.bool'")
    if c is callable:
        return _Simple(callable, "a callable")
    if isinstance(c, type):
        return _Simple(lambda v: isinstance(v, c), f"an instance of {_type_name(c)!r}")
    raise ValueError(f"unknown constraint {c!r}")


# --------------------------------------------------------------------------- fitted state, conditional methods
def check_is_fitted(estimator: Any, attributes: str | None = None) -> None:
    """scikit-learn's ``check_is_fitted``: ``NotFittedError`` (scikit-learn's class) when ``estimator``
    is not fitted (``__sklearn_is_fitted__``, else the attribute ``attributes``)."""
    fitted = estimator.__sklearn_is_fitted__() if hasattr(estimator, "__sklearn_is_fitted__") else (
        attributes is not None and hasattr(estimator, attributes))
    if not fitted:
        # deferred: an error path; its class is scikit-learn's, for `except NotFittedError`
        from sklearn.exceptions import NotFittedError  # noqa: PLC0415

        raise NotFittedError(f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with appropriate "
                             "arguments before using this estimator.")


class _AvailableIf:
    def __init__(self, fn: Callable[..., Any], check: Callable[[Any], bool]) -> None:
        self.fn, self.check = fn, check
        update_wrapper(self, fn)

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self.fn
        if not self.check(obj):
            raise AttributeError(f"This {type(obj).__name__!r} has no attribute {self.fn.__name__!r}")
        return MethodType(self.fn, obj)


def available_if(check: Callable[[Any], bool]) -> Callable[[Callable[..., Any]], Any]:
    """scikit-learn's ``available_if``: the method exists (``hasattr``) only when ``check(self)`` is true."""
    return lambda fn: _AvailableIf(fn, check)


# --------------------------------------------------------------------------- metadata routing
#: scikit-learn's ``SIMPLE_METHODS`` (sklearn.utils._metadata_requests): the methods a
#: ``set_{method}_request`` can exist for (tests/test_lasso_sklearn.py compares the two lists)
SIMPLE_METHODS = ("fit", "partial_fit", "predict", "predict_proba", "predict_log_proba", "decision_function", "score",
                  "split", "transform", "inverse_transform")
_NOT_METADATA = frozenset({"X", "y", "Y", "Xt", "yt"})  # what scikit-learn never treats as metadata
_UNUSED = "$UNUSED$"  # scikit-learn's metadata_routing.UNUSED


def _requests_metadata(cls: type, method: str) -> bool:
    """Whether scikit-learn's ``_get_class_level_metadata_request_values(method)`` is non-empty for ``cls``
    (the signature's parameters but X, y, ``*args``, ``**kwargs``; then ``__metadata_request__{method}``
    class attributes along the MRO, ``UNUSED`` removing one), without importing scikit-learn."""
    fn = getattr(cls, method, None)
    if not inspect.isfunction(fn):
        return False
    names = {name for name, p in list(inspect.signature(fn).parameters.items())[1:]
             if name not in _NOT_METADATA and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    for base in reversed(inspect.getmro(cls)):
        for attr, value in vars(base).copy().items():
            if f"__metadata_request__{method}" in attr:
                for prop, alias in value.items():
                    if alias == _UNUSED:
                        names.discard(prop)
                    else:
                        names.add(prop)
    return bool(names)


class _RequestMethod:
    """``set_{method}_request``: scikit-learn's ``RequestMethod`` for ``method``, built when first looked up
    (its keys from scikit-learn's ``_get_class_level_metadata_request_values`` of the class it is looked up on)."""

    def __init__(self, method: str) -> None:
        self.method = method

    def __get__(self, instance: Any, owner: type | None = None) -> Callable[..., Any]:
        # deferred: only a user routing metadata (scikit-learn's set_config) calls set_{method}_request
        from sklearn.utils._metadata_requests import RequestMethod  # noqa: PLC0415

        owner = type(instance) if owner is None else owner
        keys = sorted(owner._get_class_level_metadata_request_values(self.method))
        return RequestMethod(self.method, keys).__get__(instance, owner)


# --------------------------------------------------------------------------- the estimator
class Estimator:
    """scikit-learn's ``BaseEstimator`` protocol: parameters from ``__init__``, tags, repr, pickling,
    metadata routing."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # scikit-learn's _MetadataRequester.__init_subclass__: a set_{method}_request where the method
        # takes metadata or a parent hands one down, unless the class defines its own
        super().__init_subclass__(**kwargs)
        for method in SIMPLE_METHODS:
            name = f"set_{method}_request"
            static = inspect.getattr_static(cls, name, None)
            if static is None and _requests_metadata(cls, method):
                setattr(cls, name, _RequestMethod(method))

    @classmethod
    def _get_class_level_metadata_request_values(cls, method_name: str, method: Callable[..., Any] | None = None,
                                                 ignore_params: Any = None) -> dict[str, Any]:
        from sklearn.utils._metadata_requests import _MetadataRequester  # noqa: PLC0415 - deferred: routing only

        impl = _MetadataRequester._get_class_level_metadata_request_values.__func__
        return impl(cls, method_name, method=method, ignore_params=ignore_params)

    def _get_metadata_request(self) -> Any:
        from sklearn.utils._metadata_requests import _MetadataRequester  # noqa: PLC0415 - deferred: routing only

        return _MetadataRequester._get_metadata_request(self)

    def get_metadata_routing(self) -> Any:
        """scikit-learn's ``MetadataRequest`` of this estimator: what ``fit``, ``score``, ``predict``...
        take as metadata, with what ``set_{method}_request`` stored (see scikit-learn's metadata routing)."""
        return self._get_metadata_request()

    @classmethod
    def _get_param_names(cls) -> list[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        sig = inspect.signature(init)
        params = [p for p in sig.parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD]
        for p in params:
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError("scikit-learn estimators should always specify their parameters in the signature of "
                                   f"their __init__ (no varargs). {cls} with constructor {sig} doesn't  follow this "
                                   "convention.")
        return sorted(p.name for p in params)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters (``deep``: also those of nested estimators, as ``name__sub``)."""
        out: dict[str, Any] = {}
        for key in self._get_param_names():
            value = getattr(self, key)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{key}__{k}", v) for k, v in value.get_params().items())
            out[key] = value
        return out

    def set_params(self, **params: Any) -> Any:
        """Set parameters (``name__sub`` for a nested estimator's); unknown names raise ValueError."""
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested: dict[str, dict[str, Any]] = defaultdict(dict)
        for key, value in params.items():
            key, delim, sub = key.partition("__")
            if key not in valid:
                raise ValueError(f"Invalid parameter {key!r} for estimator {self}. Valid parameters are: "
                                 f"{self._get_param_names()!r}.")
            if delim:
                nested[key][sub] = value
            else:
                setattr(self, key, value)
                valid[key] = value
        for key, sub_params in nested.items():
            valid[key].set_params(**sub_params)
        return self

    def _changed_params(self) -> dict[str, Any]:
        sig = inspect.signature(type(self).__init__).parameters
        out = {}
        for k, v in self.get_params(deep=False).items():
            d = sig[k].default if k in sig else inspect.Parameter.empty
            same = d is not inspect.Parameter.empty and type(v) is type(d) and repr(v) == repr(d)
            if not same:
                out[k] = v
        return out

    def __repr__(self) -> str:
        name = type(self).__name__
        parts = [f"{k}={v!r}" for k, v in self._changed_params().items()]
        out = f"{name}({', '.join(parts)})"
        if len(out) > 79:
            out = f"{name}(" + (",\n" + " " * (len(name) + 1)).join(parts) + ")"
        if len("".join(out.split())) > 700:  # scikit-learn's N_CHAR_MAX: about 350 non-blank characters at each end
            left = re.match(r"^(\s*\S){350}", out).end()
            right = re.match(r"^(\s*\S){350}", out[::-1]).end()
            out = out[:left] + "..." + out[-right:]
        return out

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__.copy()

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state.pop("_sklearn_version", None)  # pickles made when the class derived from scikit-learn's BaseEstimator
        self.__dict__.update(state)

    def __sklearn_tags__(self) -> Any:
        # deferred: only scikit-learn asks for tags, so it is loaded by then
        from sklearn.utils import Tags, TargetTags  # noqa: PLC0415

        return Tags(estimator_type=None, target_tags=TargetTags(required=False), transformer_tags=None,
                    regressor_tags=None, classifier_tags=None)

    @property
    def _repr_html_(self) -> Callable[[], str]:
        # deferred: a notebook's display; scikit-learn draws the diagram
        from sklearn import get_config  # noqa: PLC0415

        if get_config()["display"] != "diagram":
            raise AttributeError("_repr_html_ is only defined when the 'display' configuration option is set to 'diagram'")
        return self._html_repr

    def _html_repr(self) -> str:
        from sklearn.utils import estimator_html_repr  # noqa: PLC0415 - deferred: a notebook's display (above)

        return estimator_html_repr(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        from sklearn import get_config  # noqa: PLC0415 - deferred: a notebook's display (above)

        out = {"text/plain": repr(self)}
        if get_config()["display"] == "diagram":
            out["text/html"] = self._html_repr()
        return out


def _output_config(estimator: Any) -> str:
    """``set_output``'s container for ``transform`` (the estimator's, else scikit-learn's global one)."""
    own = getattr(estimator, "_sklearn_output_config", {})
    if "transform" in own:
        return own["transform"]
    sk = sys.modules.get("sklearn")  # a global set_config(transform_output=...) means scikit-learn is loaded
    return sk.get_config()["transform_output"] if sk is not None else "default"


class Selector:
    """scikit-learn's ``SelectorMixin`` (and ``TransformerMixin``): subclasses implement ``_get_support_mask``.

    ``get_support`` and ``get_feature_names_out`` are computed here; ``transform`` and
    ``inverse_transform`` run scikit-learn's own ``SelectorMixin`` code (its validation,
    ``set_output`` containers), imported when first called.
    """

    _sklearn_auto_wrap_output_keys = frozenset({"transform"})

    def _get_support_mask(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_support(self, indices: bool = False) -> np.ndarray:
        """The boolean mask of the kept features (``indices=True``: their positions)."""
        mask = self._get_support_mask()
        return mask if not indices else np.nonzero(mask)[0]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The names of the kept features (``feature_names_in_``, else ``x0, x1, ...``)."""
        check_is_fitted(self)
        if input_features is not None:
            # deferred: checking given names against the fitted ones is scikit-learn's rule (and its messages)
            from sklearn.utils.validation import _check_feature_names_in  # noqa: PLC0415

            names = _check_feature_names_in(self, input_features)
        else:
            names = getattr(self, "feature_names_in_", None)
            if names is None:
                names = np.asarray([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
        return names[self.get_support()]

    def set_output(self, *, transform: str | None = None) -> Any:
        """scikit-learn's ``set_output``: ``transform="pandas"`` (or ``"polars"``) makes ``transform`` return a frame."""
        if transform is None:
            return self
        if not hasattr(self, "_sklearn_output_config"):
            self._sklearn_output_config = {}
        self._sklearn_output_config["transform"] = transform
        return self

    def transform(self, X: Any) -> Any:
        """The kept columns of ``X`` (scikit-learn's ``SelectorMixin.transform``)."""
        from sklearn.feature_selection import SelectorMixin  # noqa: PLC0415 - deferred: transform is not fit's path

        return SelectorMixin.transform(self, X)

    def _transform(self, X: Any) -> Any:
        from sklearn.feature_selection import SelectorMixin  # noqa: PLC0415 - deferred: transform is not fit's path

        return SelectorMixin._transform(self, X)

    def inverse_transform(self, X: Any) -> Any:
        """``X`` with zero columns where features were dropped (scikit-learn's ``SelectorMixin``)."""
        from sklearn.feature_selection import SelectorMixin  # noqa: PLC0415 - deferred: not fit's path

        return SelectorMixin.inverse_transform(self, X)

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """``fit(X, y, **fit_params).transform(X)`` (scikit-learn's ``TransformerMixin.fit_transform``,
        with its metadata-routing warning)."""
        from sklearn.base import TransformerMixin  # noqa: PLC0415 - deferred: it ends in transform (above)

        return TransformerMixin.fit_transform(self, X, y, **fit_params)

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import TransformerTags  # noqa: PLC0415 - deferred: only scikit-learn asks for tags

        tags = super().__sklearn_tags__()  # type: ignore[misc]
        tags.transformer_tags = TransformerTags()
        return tags
