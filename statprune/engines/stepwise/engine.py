"""``extractAIC``, ``drop1`` and ``add1`` exactly as R's ``stats`` package computes them.

One :class:`Engine` per data set and family. Gaussian models are R's ``lm``
(``extractAIC.lm``: ``n log(RSS/n) + k edf``; ``drop1.lm``/``add1.lm``) and are
evaluated on the swept Gram matrix (:mod:`statprune.engines.stepwise.sweep`), so a candidate
costs O(p^2)-O(p^3) instead of an O(n p^2) refit. Binomial, poisson and Gamma
models are R's ``glm`` (``extractAIC.glm``: ``aic + (k - 2) edf``; ``drop1.glm``
and ``add1.glm`` with the deviance/dispersion shortcut shifted so that the
``<none>`` row equals ``extractAIC``), refitted by :func:`statprune.engines.stepwise.glmfit.glm_fit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from ...errors import DataError, ParameterError
from ..vif import gvif
from .formula import Design, sort_terms, term_label
from .glmfit import Family, GLMFit, glm_fit, glm_nb
from .sweep import GLM_TOL, GramSweep, qr_fit

__all__ = ["Engine", "ModelInfo"]


@dataclass
class ModelInfo:
    """What ``step()`` records of a fitted model."""

    deviance: float  # RSS for lm, deviance for glm
    edf: int  # rank
    aic: float  # extractAIC(fit, k = k)[2]
    df_resid: int


def _pchisq_upper(x: np.ndarray, df: np.ndarray) -> np.ndarray:
    out = np.full(len(x), np.nan)
    ok = ~np.isnan(x) & ~np.isnan(df) & (df > 0)
    out[ok] = sps.chi2.sf(x[ok], df[ok])
    return out


def _pf_upper(F: np.ndarray, d1: np.ndarray, d2: np.ndarray | float) -> np.ndarray:
    d2 = np.broadcast_to(np.asarray(d2, float), F.shape)
    out = np.full(len(F), np.nan)
    ok = ~np.isnan(F) & (d1 > 0) & (d2 > 0)
    out[ok] = sps.f.sf(F[ok], d1[ok], d2[ok])
    return out


def _rao_score(X: np.ndarray, r: np.ndarray, w: np.ndarray, offset: np.ndarray | None) -> float:
    """``glm.fit(X, r, w, offset)`` (gaussian) ``$null.deviance - $deviance``, as drop1.glm/add1.glm's Rao test.

    The null deviance is glm.fit's: around the weighted mean of ``r`` (its ``intercept = TRUE``
    default, the offset not subtracted); the deviance is the weighted RSS of ``r - offset`` on ``X``.
    """
    good = w > 0
    sw = np.sqrt(w[good])
    rr = r[good] - (0 if offset is None else offset[good])
    fit = qr_fit(X[good] * sw[:, None], rr * sw, tol=GLM_TOL)
    wm = float(np.sum(w * r) / np.sum(w))
    null = float(np.sum(w * (r - wm) ** 2))
    return null - fit.rss


def _lm_table(rss0: float, rank0: int, cand: list, n: int, k: float, rows: list[str],
              *, drop: bool) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """``drop1.lm``/``add1.lm``'s table before the test columns, from the current model's RSS and
    rank and each candidate's ``(rss, rank)``: ``(rss, table, Df)`` (row ``<none>`` first)."""
    rss = np.array([rss0] + [c[0] for c in cand])
    dfs = np.array([rank0] + [c[1] for c in cand], float)
    with np.errstate(divide="ignore"):
        aic = n * np.log(rss / n) + k * dfs
    ddf = dfs[0] - dfs if drop else dfs - dfs[0]
    ddf[0] = np.nan
    ss = rss[1:] - rss[0] if drop else rss[0] - rss[1:]
    return rss, pd.DataFrame({"Df": ddf, "Sum of Sq": np.r_[np.nan, ss], "RSS": rss, "AIC": aic}, index=rows), ddf


def _lm_chisq(rss: np.ndarray, n: int, ddf: np.ndarray, *, drop: bool) -> np.ndarray:
    """``drop1.lm``/``add1.lm``'s ``test = "Chisq"``: the change of ``n log(RSS/n)`` against chi^2(Df)."""
    with np.errstate(divide="ignore"):
        dev = n * np.log(rss / n)
    dev = dev - dev[0] if drop else dev[0] - dev
    dev[0] = np.nan
    return _pchisq_upper(dev, ddf)


class Engine:
    """Fits and single-term tables for one response, design and family."""

    def __init__(
        self,
        design: Design,
        y: np.ndarray,
        family: str | Family,
        intercept: bool,
        var_order: Sequence[str],
        *,
        weights: np.ndarray | None = None,
        offset: np.ndarray | None = None,
        n_trials: np.ndarray | None = None,
    ) -> None:
        self.design = design
        self.y = np.asarray(y, float)
        self.n = len(self.y)
        fam = family if isinstance(family, Family) else (None if family == "gaussian" else Family(family))
        if fam is not None and fam.name == "gaussian" and fam.link == "identity":
            fam = None  # gaussian with the identity link is R's lm
        self.fam = fam
        self.family = "gaussian" if fam is None else fam.name
        self.is_lm = fam is None
        self.is_negbin = fam is not None and fam.name == "negative.binomial"
        self.weights = None if weights is None else np.asarray(weights, float)  # prior weights (times n_trials)
        self.offset = None if offset is None else np.asarray(offset, float)
        self.n_trials = None if n_trials is None else np.asarray(n_trials, float)
        self.intercept = intercept
        self.var_order = list(var_order)
        self.messages: list[str] = []  # R warnings collected from every glm.fit call
        self._glm_cache: dict[tuple, GLMFit] = {}
        # pool of columns for the Gram matrix: block key -> pool indices
        self._pool_keys: dict[tuple, list[int]] = {}
        self._pool_cols: list[np.ndarray] = []
        self._gram: GramSweep | None = None
        self.n_fits = 0
        self._theta_of: dict[tuple, float | None] = {}  # negbin: init.theta each model was fitted with

    # ------------------------------------------------------------------ design helpers
    def label(self, t: frozenset) -> str:
        return term_label(t, self.var_order)

    def blocks(self, terms: Sequence[frozenset], var_order: Sequence[str] | None = None) -> list[tuple]:
        """Coding keys of the blocks of a model with these terms (R's coding).

        ``var_order`` only changes the order and names of an interaction's columns.
        """
        return self.design.codings(terms, self.intercept, var_order or self.var_order)

    def matrix(self, keys: Sequence[tuple]) -> np.ndarray:
        mats = [np.ones((self.n, 1))] if self.intercept else []
        mats += [self.design.block(*key)[0] for key in keys]
        return np.column_stack(mats) if mats else np.empty((self.n, 0))

    def gvif(self, terms: Sequence[frozenset]) -> tuple[np.ndarray, np.ndarray]:
        """``(GVIF, Df)`` of each term of the model with these terms (car's ``vif.default``).

        Raises :class:`statprune.errors.AliasedError` when the model matrix is rank deficient.
        """
        keys = self.blocks(terms)
        widths = [self.design.block(*k)[0].shape[1] for k in keys]
        assign = np.repeat(np.arange(1, len(terms) + 1), widths)
        if self.intercept:
            assign = np.r_[0, assign]
        return gvif(self.matrix(keys), assign, self.intercept)

    def column_names(self, keys: Sequence[tuple]) -> list[str]:
        names = ["(Intercept)"] if self.intercept else []
        for key in keys:
            names += self.design.block(*key)[1]
        return names

    # ------------------------------------------------------------------ OLS via the Gram matrix
    def _pool(self, keys: Sequence[tuple]) -> list[list[int]]:
        """Pool indices of each block, adding new blocks to the Gram matrix."""
        new = [k for k in dict.fromkeys(keys) if k not in self._pool_keys]
        if new or self._gram is None:
            for k in new:
                X = self.design.block(*k)[0]
                start = len(self._pool_cols)
                self._pool_cols.extend(X.T)
                self._pool_keys[k] = list(range(start, start + X.shape[1]))
            Xp = np.column_stack(self._pool_cols) if self._pool_cols else np.empty((self.n, 0))
            self._gram = GramSweep(Xp, self._y_lm, self.intercept, weights=self.weights)
        return [self._pool_keys[k] for k in keys]

    def prepare(self, term_sets: Sequence[Sequence[frozenset]]) -> None:
        """Register the blocks of several models at once (one Gram matrix)."""
        if self.is_lm:
            keys: list[tuple] = []
            for ts in term_sets:
                keys += self.blocks(ts)
            self._pool(keys)

    @property
    def _y_lm(self) -> np.ndarray:
        """lm.fit(x, y, offset = offset) fits y - offset."""
        return self.y if self.offset is None else self.y - self.offset

    def _lm_rss(self, keys: Sequence[tuple]) -> tuple[float, int]:
        idx = self._pool(keys)
        cols = [c for blk in idx for c in blk]
        return self._gram.rss_of(cols)  # type: ignore[union-attr]

    # ------------------------------------------------------------------ GLM fits
    def glm(self, keys: Sequence[tuple], init_theta: float | None = None) -> GLMFit:
        """The glm (or ``glm.nb``) fit of a model; ``init_theta``: the theta ``update()`` of a negbin passes."""
        key = (tuple(keys), init_theta)
        hit = self._glm_cache.get(key)
        if hit is None:
            self.n_fits += 1
            X = self.matrix(keys)
            try:
                if self.is_negbin:
                    hit = glm_nb(X, self.y, link=self.fam.link, weights=self.weights, offset=self.offset,  # type: ignore[union-attr]
                                 init_theta=init_theta)
                else:
                    hit = glm_fit(X, self.y, self.fam, weights=self.weights, offset=self.offset,  # type: ignore[arg-type]
                                  n_trials=self.n_trials, emit_warnings=False)
            except FloatingPointError as exc:  # R stops here: bad starting values for this family/link
                raise DataError(f"glm.fit ({self.fam!r}): {exc} (R's error)") from None
            for m in hit.warnings:
                if m not in self.messages:
                    self.messages.append(m)
            self._glm_cache[key] = hit
        return hit

    def parent_theta(self, keys: Sequence[tuple]) -> float | None:
        """signif(theta, 10) of a negbin model: what update() hands to the refits made from it."""
        if not self.is_negbin:
            return None
        th = self.glm(keys, self._theta_of.get(tuple(keys))).theta
        return float(f"{th:.10g}")

    # ------------------------------------------------------------------ extractAIC
    def info(self, terms: Sequence[frozenset], k: float) -> ModelInfo:
        keys = self.blocks(terms)
        if self.is_lm:
            rss, rank = self._lm_rss(keys)
            with np.errstate(divide="ignore"):
                aic = self.n * np.log(rss / self.n) + k * rank
            return ModelInfo(rss, rank, float(aic), self.n - rank)
        fit = self.glm(keys, self._theta_of.get(tuple(keys)))
        return ModelInfo(fit.deviance, fit.rank, self._extract_aic(fit, k), fit.df_residual)

    def _extract_aic(self, fit: GLMFit, k: float) -> float:
        """``extractAIC.glm``: ``aic + (k - 2) edf``; ``extractAIC.negbin``: ``-2 loglik + k edf``."""
        if self.is_negbin:
            return -fit.twologlik + k * fit.rank  # type: ignore[operator]
        return fit.aic + (k - 2) * fit.rank

    # ------------------------------------------------------------------ drop1
    def drop1(
        self,
        terms: Sequence[frozenset],
        scope: Sequence[frozenset],
        k: float,
        test: str | None = None,
        labels: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """R's ``drop1(fit, scope, k = k, test = test)`` as a DataFrame (row ``<none>`` first)."""
        keys = self.blocks(terms)
        pos = [terms.index(t) for t in scope]
        rows = ["<none>"] + (list(labels) if labels is not None else [self.label(t) for t in scope])
        if self.is_lm:
            idx = self._pool(keys)
            cols = [c for blk in idx for c in blk]
            rss0, rank0, cand = self._gram.drop_candidates(cols, [idx[i] for i in pos])  # type: ignore[union-attr]
            n = self.n
            rss, out, ddf = _lm_table(rss0, rank0, cand, n, k, rows, drop=True)
            rdf = n - rank0
            if test == "F":
                rms = rss[0] / rdf
                with np.errstate(divide="ignore", invalid="ignore"):
                    Fs = (out["Sum of Sq"].to_numpy() / ddf) / rms
                Fs[~(ddf >= 1e-4)] = np.nan
                out["F value"] = Fs
                out["Pr(>F)"] = _pf_upper(Fs, ddf, rdf)
            elif test == "Chisq":
                out["Pr(>Chi)"] = _lm_chisq(rss, n, ddf, drop=True)
            elif test == "Wald":
                self._wald(out, terms, scope, keys)
            return out
        if self.is_negbin:  # dropterm.default: update(object, ~ . - term), the model recoded as R's terms() does
            drops = [self.blocks([u for u in terms if u != t]) for t in scope]
            return self._refit_table(keys, drops, k, test, rows, sign=-1)
        fit0 = self.glm(keys, self._theta_of.get(tuple(keys)))
        drops = [[kk for j, kk in enumerate(keys) if j != i] for i in pos]
        dev, dfs, disp, loglik, aic = self._glm_rows(fit0, [keys, *drops], k)
        ddf = dfs[0] - dfs
        ddf[0] = np.nan
        out = pd.DataFrame({"Df": ddf, "Deviance": dev, "AIC": aic}, index=rows)
        if test == "Chisq":
            lrt = np.maximum(0, loglik - loglik[0])
            lrt[0] = np.nan
            out["LRT" if disp == 1 else "scaled dev."] = lrt
            out["Pr(>Chi)"] = _pchisq_upper(lrt, ddf)
        elif test == "Rao":
            Xfull = self.matrix(keys)
            score = [np.nan]
            for d in drops:
                z = self.glm(d)
                score.append(_rao_score(Xfull, z.residuals, z.weights, None))
            sc = np.maximum(0, np.array(score)) / disp
            out["Rao score" if disp == 1 else "scaled Rao sc."] = sc
            out["Pr(>Chi)"] = _pchisq_upper(sc, ddf)
        elif test == "F":
            self._f_warning("F test assumes 'quasi{}' family")
            rdf = fit0.df_residual
            rms = dev[0] / rdf
            d = np.maximum(0, dev - dev[0])
            with np.errstate(divide="ignore", invalid="ignore"):
                Fs = (d / ddf) / rms
            Fs[~(ddf >= 1e-4)] = np.nan
            out["F value"] = Fs
            out["Pr(>F)"] = _pf_upper(Fs, ddf, rdf)
        elif test == "Wald":
            self._wald(out, terms, scope, keys)
        return out

    def _f_warning(self, template: str) -> None:
        """drop1.glm/add1.glm warn that an F test on a binomial/poisson fit assumes the quasi family."""
        if self.fam is not None and self.fam.name in ("binomial", "poisson"):
            m = template.format(self.fam.name)
            if m not in self.messages:
                self.messages.append(m)

    def _refit_table(self, keys, cands, k: float, test: str | None, rows, sign: int) -> pd.DataFrame:
        """MASS's ``dropterm.default``/``addterm.default`` (stepAIC on a ``glm.nb`` fit): every candidate
        is refitted in full (theta re-estimated, started from the current fit's theta) and its
        ``extractAIC`` is the table's AIC; ``test="Chisq"`` is the likelihood ratio of those fits."""
        init = self.parent_theta(keys)
        edf = [float(self.glm(keys, self._theta_of.get(tuple(keys))).rank)]
        aic = [self.info_keys(keys, k)]
        for c in cands:
            self._theta_of.setdefault(tuple(c), init)
            self._theta_of[tuple(c)] = init
            f = self.glm(c, init)
            edf.append(float(f.rank))
            aic.append(self._extract_aic(f, k))
        edf_a, aic_a = np.array(edf), np.array(aic)
        dfs = (edf_a[0] - edf_a) if sign < 0 else (edf_a - edf_a[0])
        dfs[0] = np.nan
        out = pd.DataFrame({"Df": dfs, "AIC": aic_a}, index=rows)
        if test == "Chisq":
            dev = aic_a - k * edf_a
            dev = (dev - dev[0]) if sign < 0 else (dev[0] - dev)
            dev[0] = np.nan
            out["LRT"] = dev
            out["Pr(Chi)"] = _pchisq_upper(dev, dfs)
        elif test is not None:
            raise ParameterError(f"test={test!r} is not available for a negative binomial model (MASS's dropterm/"
                                 "addterm offer 'Chisq'); use test='Chisq'")
        return out

    def info_keys(self, keys: Sequence[tuple], k: float) -> float:
        return self._extract_aic(self.glm(keys, self._theta_of.get(tuple(keys))), k)

    def _glm_rows(
        self, ref: GLMFit, key_sets: Sequence[Sequence[tuple]], k: float
    ) -> tuple[np.ndarray, np.ndarray, float, np.ndarray, np.ndarray]:
        """Deviance, rank, ``ref``'s dispersion, scaled deviance and AIC of the glm of each key set.

        The part R's ``drop1.glm`` and ``add1.glm`` share: ``loglik <- dev / dispersion``,
        ``aic <- loglik + k * dfs``, shifted so the first row has ``extractAIC(ref, k)``.
        The fits run in the order of ``key_sets``.
        """
        fits = [self.glm(ks) for ks in key_sets]
        dev = np.array([z.deviance for z in fits])
        dfs = np.array([z.rank for z in fits], float)
        disp = ref.dispersion(self.fam)  # type: ignore[arg-type]
        if self.fam.name == "gaussian":  # type: ignore[union-attr]  # drop1.glm/add1.glm: n log(dev/n)
            with np.errstate(divide="ignore"):
                loglik = self.n * np.log(dev / self.n)
        else:
            loglik = dev / disp
        aic = loglik + k * dfs
        aic = aic + ((ref.aic + (k - 2) * ref.rank) - aic[0])
        return dev, dfs, disp, loglik, aic

    def _wald(self, out: pd.DataFrame, terms, scope, keys) -> None:
        """Wald test of each term's coefficients in the current fit (not an R default)."""
        tab = self.coef_table(terms)
        cov = tab.attrs["cov"]
        kept_names = set(cov.index)
        stat = [np.nan]
        df_w = [np.nan]
        for t in scope:
            bk = self.design.block(*keys[terms.index(t)])[1]
            J = [nm for nm in bk if nm in kept_names]
            if not J:
                stat.append(np.nan)
                df_w.append(0.0)
                continue
            b = tab.loc[J, "Estimate"].to_numpy()
            V = cov.loc[J, J].to_numpy()
            W = float(b @ np.linalg.solve(V, b))
            stat.append(W)
            df_w.append(float(len(J)))
        stat_a = np.array(stat)
        dfa = np.array(df_w)
        if self.is_lm or (self.fam is not None and self.fam.name == "Gamma"):
            rdf = tab.attrs["df_resid"]
            with np.errstate(divide="ignore", invalid="ignore"):
                Fs = stat_a / dfa
            out["Wald F"] = Fs
            out["Pr(>F)"] = _pf_upper(Fs, dfa, rdf)
        else:
            out["Wald"] = stat_a
            out["Pr(>Chi)"] = _pchisq_upper(stat_a, dfa)

    # ------------------------------------------------------------------ add1
    def add1(
        self,
        terms: Sequence[frozenset],
        scope: Sequence[frozenset],
        k: float,
        test: str | None = None,
        labels: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """R's ``add1(fit, scope, k = k, test = test)`` (model matrix of the combined model)."""
        combined = sort_terms(list(terms) + [t for t in scope if t not in terms])
        ckeys = self.blocks(combined)
        base = [ckeys[combined.index(t)] for t in combined if t in terms]
        rows = ["<none>"] + (list(labels) if labels is not None else [self.label(t) for t in scope])
        if self.is_lm:
            idx_all = self._pool(ckeys)
            base_cols = [c for t, blk in zip(combined, idx_all) if t in terms for c in blk]
            cand = [idx_all[combined.index(t)] for t in scope]
            rss0, rank0, res = self._gram.add_candidates(base_cols, cand)  # type: ignore[union-attr]
            n = self.n
            rss, out, ddf = _lm_table(rss0, rank0, res, n, k, rows, drop=False)
            rdf = self.info(terms, k).df_resid
            if test == "F":
                dev = out["Sum of Sq"].to_numpy()
                with np.errstate(divide="ignore", invalid="ignore"):
                    rms = (rss[0] - dev) / (rdf - ddf)
                    Fs = (dev / ddf) / rms
                Fs[~(ddf >= np.finfo(float).eps)] = np.nan
                out["F value"] = Fs
                out["Pr(>F)"] = _pf_upper(Fs, ddf, rdf - ddf)
            elif test == "Chisq":
                out["Pr(>Chi)"] = _lm_chisq(rss, n, ddf, drop=False)
            return out
        obj_keys = self.blocks(terms)
        adds = [[ckeys[j] for j, u in enumerate(combined) if u in terms or u == t] for t in scope]
        if self.is_negbin:  # addterm.default: update(object, ~ . + term)
            return self._refit_table(obj_keys, [self.blocks(sort_terms([*terms, t])) for t in scope], k, test, rows,
                                     sign=1)
        obj = self.glm(obj_keys, self._theta_of.get(tuple(obj_keys)))
        dev, dfs, disp, loglik, aic = self._glm_rows(obj, [base, *adds], k)
        ddf = dfs - dfs[0]
        ddf[0] = np.nan
        out = pd.DataFrame({"Df": ddf, "Deviance": dev, "AIC": aic}, index=rows)
        if test == "Chisq":
            lrt = np.maximum(0, loglik[0] - loglik)
            lrt[0] = np.nan
            out["LRT" if disp == 1 else "scaled dev."] = lrt
            out["Pr(>Chi)"] = _pchisq_upper(lrt, ddf)
        elif test == "Rao":
            z = self.glm(base)
            score = [np.nan] + [_rao_score(self.matrix(a), z.residuals, z.weights, self.offset) for a in adds]
            sc = np.maximum(0, np.array(score)) / disp
            out["Rao score" if disp == 1 else "scaled Rao sc."] = sc
            out["Pr(>Chi)"] = _pchisq_upper(sc, ddf)
        elif test == "F":
            self._f_warning("F test assumes quasi{} family")
            rdf = obj.df_residual
            with np.errstate(divide="ignore", invalid="ignore"):
                diff = np.maximum(0, (dev[0] - dev) / ddf)
                Fs = diff / (dev / (rdf - ddf))
            Fs[~(ddf >= np.finfo(float).eps)] = np.nan
            out["F value"] = Fs
            out["Pr(>F)"] = _pf_upper(Fs, ddf, rdf - ddf)
        return out

    # ------------------------------------------------------------------ final fit
    def coef_table(self, terms: Sequence[frozenset], var_order: Sequence[str] | None = None) -> pd.DataFrame:
        """R's ``summary()`` coefficient table; aliased coefficients are NaN (R's ``NA``)."""
        keys = self.blocks(terms, var_order)
        X = self.matrix(keys)
        names = self.column_names(keys)
        if self.is_lm:
            sw = np.ones(self.n) if self.weights is None else np.sqrt(self.weights)
            fit = qr_fit(X * sw[:, None], self._y_lm * sw)
            rdf = self.n - fit.rank
            sigma2 = fit.rss / rdf if rdf > 0 else np.nan
            kept = fit.kept
            Rinv = np.linalg.inv(fit.R) if fit.rank else np.empty((0, 0))
            cov_k = sigma2 * (Rinv @ Rinv.T)
            dist = "t"
        else:
            g = self.glm(keys, self._theta_of.get(tuple(self.blocks(terms))))
            rdf = g.df_residual
            disp = g.dispersion(self.fam)  # type: ignore[arg-type]
            kept = np.flatnonzero(~np.isnan(g.coef))
            Xw = X[:, kept] * np.sqrt(g.weights)[:, None]
            R = np.linalg.qr(Xw, mode="r") if kept.size else np.empty((0, 0))
            Rinv = np.linalg.inv(R) if kept.size else np.empty((0, 0))
            cov_k = disp * (Rinv @ Rinv.T)
            fit = g
            dist = "z" if self.fam.fixed_dispersion else "t"  # type: ignore[union-attr]
        coef = np.asarray(fit.coef, float)
        se = np.full(len(names), np.nan)
        se[kept] = np.sqrt(np.diag(cov_k))
        stat = coef / se
        if dist == "t":
            p = 2 * sps.t.sf(np.abs(stat), rdf) if rdf > 0 else np.full(len(names), np.nan)
        else:
            p = 2 * sps.norm.sf(np.abs(stat))
        col = "t value" if dist == "t" else "z value"
        pcol = "Pr(>|t|)" if dist == "t" else "Pr(>|z|)"
        tab = pd.DataFrame({"Estimate": coef, "Std. Error": se, col: stat, pcol: p}, index=names)
        kn = [names[i] for i in kept]
        tab.attrs["cov"] = pd.DataFrame(cov_k, index=kn, columns=kn)
        tab.attrs["df_resid"] = rdf
        tab.attrs["X"] = X
        return tab
