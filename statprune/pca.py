"""Principal components with R's ``prcomp`` semantics, and the features they keep.

:class:`PCAPruner` is a scikit-learn transformer that reproduces
``prcomp(x, center = TRUE, scale. = TRUE)`` exactly (same centring, the same
standard deviation with the ``n - 1`` denominator, the same SVD), keeps
components by one stated rule, and says which original features load on the
kept components.

Rules for the number of components (``n_components``)
------------------------------------------------------
``float`` in (0, 1]
    explained-variance share: the smallest ``k`` whose cumulative proportion of
    variance (``summary(prcomp(...))``'s "Cumulative Proportion", unrounded) is
    ``>= n_components``.
``"kaiser"``
    Kaiser rule: keep the components whose eigenvalue (``sdev^2``) is ``> 1``.
    Defined on standardised data only (``scale=True``).
``"elbow"``
    scree elbow, defined as the point of the scree curve (eigenvalue against
    component number ``1..m``) farthest from the straight line through its first
    and last points (the "kneedle"/maximum-distance definition); components
    ``1..k`` up to and including the elbow ``k`` are kept.
``int``
    exactly that many components.

Signs
-----
Singular vectors are defined up to sign. Every column of the rotation is
flipped so that its largest-magnitude loading is positive (first one on ties);
scores are flipped with it. Apply :func:`sign_convention` to R's ``rotation``
to compare.

Which features a component keeps
--------------------------------
A feature *loads on* a component when the absolute correlation between the
feature and the component scores is ``>= loading_threshold`` (default 0.5).
That correlation is ``rotation[j, k] * sdev[k] / sd_j`` (``sd_j`` = 1 on
standardised data, so it is R's ``rotation %*% diag(sdev)``). Features that
load on at least one kept component are ``selected``; the others are ``pruned``.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._data import prepare_xy
from ._magnitude import check_magnitudes, power_of_two_scale
from ._provenance import provenance
from ._validation import validate_data
from .errors import DataError, NothingSelectedWarning, ParameterError, SelectionWarning
from .plotting import ScreeDisplay  # the display lives with every Display; importable from here too
from .results import SelectionResult

__all__ = ["PCAPruner", "PCAResult", "ScreeDisplay", "elbow_point", "pca_table", "sign_convention"]


def sign_convention(rotation: np.ndarray) -> np.ndarray:
    """Signs (+1/-1 per column) that make each column's largest-|value| entry positive.

    Examples
    --------
    >>> sign_convention(np.array([[0.2, -0.9], [-0.8, 0.1]]))
    array([-1., -1.])
    """
    rot = np.asarray(rotation, dtype=float)
    if rot.ndim != 2 or rot.shape[1] == 0:
        return np.ones(rot.shape[-1] if rot.ndim == 2 else 0)
    idx = np.argmax(np.abs(rot), axis=0)
    signs = np.sign(rot[idx, np.arange(rot.shape[1])])
    signs[signs == 0] = 1.0
    return signs


def elbow_point(values: Sequence[float]) -> int:
    """1-based index of the scree elbow: the point farthest from the chord joining
    the first and the last point of ``(i, values[i])``.

    With fewer than three points the elbow is 1.

    Examples
    --------
    >>> elbow_point([6.0, 1.5, 1.2, 1.0, 0.9, 0.8])
    2
    """
    v = np.asarray(values, dtype=float)
    m = v.size
    if m < 3:
        return 1
    x = np.arange(1, m + 1, dtype=float)
    # distance of (x_i, v_i) to the line through (1, v_1) and (m, v_m), up to a constant factor
    dx, dy = x[-1] - x[0], v[-1] - v[0]
    dist = np.abs(dy * (x - x[0]) - dx * (v - v[0]))
    return int(np.argmax(dist)) + 1


def _n_components_rule(n_components: Any) -> str:
    if isinstance(n_components, str):
        if n_components not in ("kaiser", "elbow"):
            raise ParameterError(f"n_components={n_components!r} is not a rule; use a share in (0, 1], an int, 'kaiser' or 'elbow'")
        return n_components
    if isinstance(n_components, (bool, np.bool_)):
        raise ParameterError("n_components must be a share in (0, 1], an int >= 1, 'kaiser' or 'elbow'")
    if isinstance(n_components, (int, np.integer)):
        if n_components < 1:
            raise ParameterError(f"n_components={n_components} must be >= 1")
        return "n"
    if isinstance(n_components, (float, np.floating)):
        if not (0.0 < float(n_components) <= 1.0):
            raise ParameterError(
                f"n_components={n_components} as a variance share must be in (0, 1]; pass an int for a number of components"
            )
        return "variance"
    raise ParameterError(f"n_components={n_components!r} must be a share in (0, 1], an int >= 1, 'kaiser' or 'elbow'")


class PCAPruner(TransformerMixin, BaseEstimator):
    """Principal components as R's ``prcomp``, with a rule for how many to keep.

    Parameters
    ----------
    n_components : float, int, "kaiser" or "elbow", default 0.9
        How many components to keep (see the module docstring for the exact rules).
    scale : bool, default True
        Divide each centred column by its standard deviation (``n - 1`` denominator),
        as ``prcomp(scale. = TRUE)``.
    center : bool, default True
        Subtract column means, as ``prcomp(center = TRUE)``.
    loading_threshold : float, default 0.5
        A feature loads on a component when ``|corr(feature, scores)| >= loading_threshold``.

    Attributes
    ----------
    sdev_ : ndarray (m,)
        standard deviations of all ``m = min(n, p)`` components (R's ``sdev``).
    rotation_ : ndarray (p, m)
        loadings of all components, after the sign convention (R's ``rotation``).
    center_, scale_ : ndarray (p,)
        the centring and scaling used (zeros / ones when switched off).
    n_components_ : int
        number of kept components.
    components_ : ndarray (n_components_, p)
        kept loadings as rows (scikit-learn's layout).
    explained_variance_ratio_ : ndarray (m,)
    support_ : ndarray of bool (p,)
        features that load on at least one kept component.
    feature_names_in_, n_features_in_
    result_ : PCAResult

    Examples
    --------
    >>> from statprune.datasets import load_boston
    >>> from statprune.pca import PCAPruner
    >>> X = load_boston().drop(columns="medv")
    >>> pca = PCAPruner(n_components="kaiser").fit(X)
    >>> pca.n_components_
    3
    >>> round(float(pca.sdev_[0]), 6)
    2.475247
    >>> pca.transform(X).shape
    (506, 3)
    """

    def __init__(self, n_components: Any = 0.9, *, scale: bool = True, center: bool = True, loading_threshold: float = 0.5):
        self.n_components = n_components
        self.scale = scale
        self.center = center
        self.loading_threshold = loading_threshold

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, y: Any = None) -> PCAPruner:
        """Compute the principal components of ``X`` (``y`` is ignored)."""
        rule = _n_components_rule(self.n_components)
        if rule == "kaiser" and not self.scale:
            raise ParameterError(
                "the Kaiser rule (eigenvalue > 1) is defined on standardised data; use scale=True, "
                "or a variance share / 'elbow' with scale=False"
            )
        if not (0.0 <= float(self.loading_threshold) <= 1.0):
            raise ParameterError(f"loading_threshold={self.loading_threshold} must be a correlation in [0, 1]")
        names = _feature_names(X)
        try:
            Xa = validate_data(self, X, dtype=np.float64, ensure_min_samples=2, ensure_all_finite=True)
        except ValueError as exc:
            if isinstance(X, pd.DataFrame):
                bad = [str(c) for c in X.columns if not (pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c]))]
                if bad:
                    raise DataError(
                        f"non-numeric column(s) {bad}; PCA needs numbers: exclude them (CLI: --exclude COL) or encode them"
                    ) from None
            raise DataError(f"PCA input is not usable: {exc}") from None
        n, p = Xa.shape
        if self.scale:
            # prcomp(scale. = TRUE) is invariant to each column's scale: work on the columns divided by an
            # exact power of two (bit-identical for ordinary data), so that 1e300 does not overflow the
            # squares and 1e-310 (denormal) does not underflow them; report centre and scale in data units
            pow2 = power_of_two_scale(Xa)
        else:
            check_magnitudes(Xa, names, use="prcomp(scale. = FALSE)")
            pow2 = np.zeros(p, dtype=np.int64)
        Xw = np.ldexp(Xa, -pow2)
        center = Xw.mean(axis=0) if self.center else np.zeros(p)
        Xc = Xw - center
        if self.scale:
            # R's scale(): sqrt(sum(x^2) / max(1, n - 1)) of the centred column
            sc = np.sqrt(np.sum(Xc**2, axis=0) / max(1, n - 1))
            if np.any(sc == 0):
                const = [names[j] for j in np.flatnonzero(sc == 0)]
                raise DataError(
                    f"column(s) {const} are constant (sd = 0): they cannot be scaled to unit variance "
                    f"(R: 'cannot rescale a constant/zero column'); drop them or exclude={const}"
                )
            Xc = Xc / sc
        else:
            sc = np.ones(p)
        k_all = min(n, p)
        _u, d, vt = np.linalg.svd(Xc, full_matrices=False)
        d = d[:k_all]
        rot = vt[:k_all].T
        sdev = d / np.sqrt(max(1, n - 1)) + 0.0  # + 0.0: never a negative zero
        signs = sign_convention(rot)
        rot = rot * signs
        scores = Xc @ rot
        eig = sdev**2
        total = eig.sum()
        prop = eig / total if total > 0 else np.zeros_like(eig)
        cum = np.cumsum(prop)
        k = _choose_k(rule, self.n_components, eig, cum, k_all)
        if rule == "n" and int(self.n_components) > k_all:
            warnings.warn(f"{int(self.n_components)} components asked, but {n} rows x {p} columns have only "
                          f"min(n, p) = {k_all}: keeping all {k_all}", SelectionWarning, stacklevel=2)
        sd_x = np.sqrt(np.sum((Xw - Xw.mean(axis=0)) ** 2, axis=0) / max(1, n - 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            corr = rot * sdev[None, :] * (sc / np.where(sd_x > 0, sd_x, np.nan))[:, None]
        corr = np.nan_to_num(corr)
        loads = np.abs(corr[:, :k]) >= float(self.loading_threshold)
        support = loads.any(axis=1)
        self._work_ = (pow2, center, sc)  # transform() works in the same exactly rescaled units
        center = np.ldexp(center, pow2)
        sc = np.ldexp(sc, pow2) if self.scale else sc
        self.sdev_ = sdev
        self.rotation_ = rot
        self.center_ = center
        self.scale_ = sc
        self.n_components_ = int(k)
        self.components_ = rot[:, :k].T.copy()
        self.explained_variance_ = eig
        self.explained_variance_ratio_ = prop
        self.support_ = support
        self.loading_correlations_ = corr
        self.result_ = PCAResult(
            rule=rule,
            n_components_param=self.n_components,
            feature_names=list(names),
            sdev=sdev,
            rotation=rot,
            center=center,
            scale=sc,
            scores=scores,
            correlations=corr,
            n_kept=int(k),
            loading_threshold=float(self.loading_threshold),
            scaled=bool(self.scale),
            centered=bool(self.center),
            n_obs=n,
        )
        if not support.any():
            warnings.warn(
                f"no feature has |correlation| >= {self.loading_threshold} with a kept component; "
                "lower loading_threshold or keep more components",
                NothingSelectedWarning,
                stacklevel=2,
            )
        return self

    # ------------------------------------------------------------------ transform
    def transform(self, X: Any) -> np.ndarray:
        """Scores of ``X`` on the kept components (R: ``predict(prcomp_fit, X)[, 1:k]``)."""
        check_is_fitted(self, "rotation_")
        Xa = validate_data(self, X, dtype=np.float64, reset=False, ensure_all_finite=True)
        pow2, wc, ws = getattr(self, "_work_", (np.zeros(len(self.center_), np.int64), self.center_, self.scale_))
        return ((np.ldexp(Xa, -pow2) - wc) / ws) @ self.rotation_[:, : self.n_components_]

    def inverse_transform(self, Z: Any) -> np.ndarray:
        """Map kept-component scores back to the original feature scale."""
        check_is_fitted(self, "rotation_")
        Z = np.asarray(Z, dtype=np.float64)
        pow2, wc, ws = getattr(self, "_work_", (np.zeros(len(self.center_), np.int64), self.center_, self.scale_))
        return np.ldexp(Z @ self.rotation_[:, : self.n_components_].T * ws + wc, pow2)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """R's component names ``PC1 .. PCk`` of the kept components."""
        check_is_fitted(self, "rotation_")
        return np.asarray([f"PC{i + 1}" for i in range(self.n_components_)], dtype=object)

    def get_support(self, indices: bool = False) -> np.ndarray:
        """Original features that load on a kept component (mask, or indices)."""
        check_is_fitted(self, "support_")
        return np.flatnonzero(self.support_) if indices else self.support_.copy()

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


def _feature_names(X: Any) -> list[str]:
    if isinstance(X, pd.DataFrame):
        return [str(c) for c in X.columns]
    a = np.asarray(X)
    p = a.shape[1] if a.ndim == 2 else 0
    return [f"x{j}" for j in range(p)]


def _choose_k(rule: str, param: Any, eig: np.ndarray, cum: np.ndarray, k_all: int) -> int:
    if rule == "n":
        return int(min(int(param), k_all))
    if rule == "variance":
        # the smallest k whose cumulative share reaches the target; 1e-12 absorbs rounding in cumsum
        return int(min(np.searchsorted(cum, float(param) - 1e-12, side="left") + 1, k_all))
    if rule == "kaiser":
        return int(max(1, np.sum(eig > 1.0)))
    return elbow_point(eig)


def pca_table(
    data: Any,
    *,
    n_components: Any = 0.9,
    exclude: Sequence[str] = (),
    scale: bool = True,
    loading_threshold: float = 0.5,
    drop_missing: bool = False,
    categorical: str = "error",
) -> PCAResult:
    """PCA of every numeric column of a table (path or DataFrame) except ``exclude``.

    Non-numeric columns are refused with a message naming them (exclude them), or with
    ``categorical="encode"`` expanded into R's treatment dummies.
    This is what ``statprune pca`` runs.

    Examples
    --------
    >>> from statprune.datasets import load_boston
    >>> res = pca_table(load_boston(), n_components="kaiser", exclude=["medv"])
    >>> res.n_kept, res.pruned
    (3, [])
    """
    prep = prepare_xy(data, None, exclude=exclude, drop_missing=drop_missing, categorical=categorical, constant="error")
    return PCAPruner(n_components, scale=scale, loading_threshold=loading_threshold).fit(prep.X).result_


# ---------------------------------------------------------------------- result
class PCAResult(SelectionResult):
    """Outcome of :class:`PCAPruner`: components, loadings, and the features they keep.

    Attributes
    ----------
    rule : str ("variance", "kaiser", "elbow" or "n")
    sdev, rotation, center, scale, scores : arrays as R's ``prcomp`` (``scores`` is R's ``x``)
    correlations : ndarray (p, m), correlation of each feature with each component
    n_kept : int
    selected, pruned : list of str
    loads : dict component name -> list of features loading on it (kept components only)
    """

    method = "pca"

    def __init__(self, *, rule, n_components_param, feature_names, sdev, rotation, center, scale, scores,
                 correlations, n_kept, loading_threshold, scaled, centered, n_obs):
        self.rule = rule
        self.n_components_param = n_components_param
        self.feature_names = feature_names
        self.sdev = sdev
        self.rotation = rotation
        self.center = center
        self.scale = scale
        self.scores = scores
        self.correlations = correlations
        self.n_kept = n_kept
        self.loading_threshold = loading_threshold
        self.scaled = scaled
        self.centered = centered
        self.n_obs = n_obs
        self.component_names = [f"PC{i + 1}" for i in range(len(sdev))]
        self.eigenvalues = sdev**2
        tot = self.eigenvalues.sum()
        self.proportion = self.eigenvalues / tot if tot > 0 else np.zeros_like(self.eigenvalues)
        self.cumulative = np.cumsum(self.proportion)
        mask = np.abs(correlations[:, :n_kept]) >= loading_threshold
        self.loads = {
            self.component_names[k]: [feature_names[j] for j in np.flatnonzero(mask[:, k])] for k in range(n_kept)
        }
        sel = mask.any(axis=1)
        self.selected = [f for f, s in zip(feature_names, sel) if s]
        self.pruned = [f for f, s in zip(feature_names, sel) if not s]
        self.provenance = provenance(seed=None, with_r=False)

    @property
    def n_rows(self) -> int:
        """Rows of the data (``n_obs``; the key every statprune JSON has)."""
        return self.n_obs

    @property
    def rule_description(self) -> str:
        if self.rule == "variance":
            return f"smallest k with cumulative variance share >= {float(self.n_components_param):g}"
        if self.rule == "kaiser":
            return "Kaiser: eigenvalue > 1 (standardised data)"
        if self.rule == "elbow":
            return "scree elbow: point farthest from the chord of the scree curve (kept up to and including it)"
        asked, avail = int(self.n_components_param), len(self.sdev)
        if asked > avail:
            return f"fixed number of components ({avail}: {asked} asked, capped at min(rows, columns) = {avail})"
        return f"fixed number of components ({asked})"

    def rotation_frame(self) -> pd.DataFrame:
        """R's ``rotation`` matrix (all components) as a DataFrame."""
        return pd.DataFrame(self.rotation, index=self.feature_names, columns=self.component_names)

    def to_frame(self, kind: str = "components") -> pd.DataFrame:
        """One row per component (``kind="components"``) or per feature (``kind="features"``)."""
        if kind == "components":
            return pd.DataFrame(
                {
                    "sdev": self.sdev,
                    "eigenvalue": self.eigenvalues,
                    "proportion": self.proportion,
                    "cumulative": self.cumulative,
                    "kept": np.arange(len(self.sdev)) < self.n_kept,
                    "features": [", ".join(self.loads.get(c, [])) for c in self.component_names],
                },
                index=pd.Index(self.component_names, name="component"),
            )
        if kind == "features":
            k = self.n_kept
            corr = np.abs(self.correlations[:, :k])
            best = np.argmax(corr, axis=1) if k else np.zeros(len(self.feature_names), int)
            return pd.DataFrame(
                {
                    "selected": [f in set(self.selected) for f in self.feature_names],
                    "max_abs_correlation": corr.max(axis=1) if k else np.zeros(len(self.feature_names)),
                    "strongest_component": [self.component_names[b] for b in best],
                    "components": [", ".join(c for c, fs in self.loads.items() if f in fs) for f in self.feature_names],
                },
                index=pd.Index(self.feature_names, name="feature"),
            )
        raise ParameterError(f"kind={kind!r}; use 'components' or 'features'")

    def _details(self) -> dict[str, Any]:
        comps = []
        for i, c in enumerate(self.component_names):
            comps.append(
                {
                    "component": c,
                    "sdev": float(self.sdev[i]),
                    "eigenvalue": float(self.eigenvalues[i]),
                    "proportion": float(self.proportion[i]),
                    "cumulative": float(self.cumulative[i]),
                    "kept": bool(i < self.n_kept),
                    "features": self.loads.get(c, []),
                    "loadings": {f: float(v) for f, v in zip(self.feature_names, self.rotation[:, i])},
                }
            )
        return {
            "method": "pca",
            "rule": self.rule,
            "rule_description": self.rule_description,
            "n_components": self.n_kept,
            "components": comps,
            "loading_threshold": self.loading_threshold,
            "loading_definition": "|correlation(feature, component scores)| >= loading_threshold",
            "sign_convention": "largest-|loading| entry of each component positive",
            "scale": self.scaled,
            "center": self.centered,
            "center_values": {f: float(v) for f, v in zip(self.feature_names, self.center)},
            "scale_values": {f: float(v) for f, v in zip(self.feature_names, self.scale)},
            "n_obs": self.n_obs,
        }

    def _summary_text(self) -> str:
        """Text summary in the spirit of ``summary(prcomp(...))``."""
        lines = [
            f"Principal components ({'scaled, ' if self.scaled else ''}{'centred' if self.centered else 'not centred'}; "
            f"n = {self.n_obs}, p = {len(self.feature_names)})",
            f"Rule: {self.rule_description} -> {self.n_kept} component(s) kept",
            "",
        ]
        fr = self.to_frame()
        show = fr[["sdev", "eigenvalue", "proportion", "cumulative", "kept"]].copy()
        lines.append(show.to_string(float_format=lambda v: f"{v:.5f}"))
        lines.append("")
        lines.append(f"Features loading on kept components (|correlation| >= {self.loading_threshold:g}):")
        for c, fs in self.loads.items():
            lines.append(f"  {c}: {', '.join(fs) if fs else '(none)'}")
        lines.append(f"Selected ({len(self.selected)}): {', '.join(self.selected) or '(none)'}")
        lines.append(f"Pruned   ({len(self.pruned)}): {', '.join(self.pruned) or '(none)'}")
        return "\n".join(lines)

    def _repr_info(self) -> str:
        return f"rule={self.rule!r} kept={self.n_kept}/{len(self.sdev)} selected={len(self.selected)}/{len(self.feature_names)}"

    def _summary_html(self) -> str:
        head = html.escape(f"PCA: {self.rule_description} -> {self.n_kept} component(s) kept")
        return f"<div><p><b>{head}</b></p>{self.to_frame().to_html(float_format=lambda v: f'{v:.5f}')}</div>"
