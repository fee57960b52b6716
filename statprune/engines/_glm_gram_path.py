"""One glmnet binomial/poisson path solved from weighted Gram statistics, one IRLS step at a time.

:class:`GramPathFit` is the in-memory half of :mod:`statprune.engines.outofcore_glm`:
it holds one fit's state (intercept, coefficients, strong and active sets, the path
so far) and is handed, after every pass over the data, the weighted sums at its
current coefficients (``X'VX``, ``X'v``, ``sum v``, ``X'r``, ``sum r``, deviance, on
the pass's globally standardized scale).  It turns them into its own
standardization, checks convergence and the KKT conditions as glmnet does, stores
the lambda's solution or not, and solves the next weighted least squares problem by
coordinate descent on the Gram matrix (glmpath.c's loops, in the same order).
"""

from __future__ import annotations

import math

import numpy as np

from statprune._glmnet.params import CONTROL
from statprune.engines._settings import PathSettings
from statprune.errors import GlmNotSupported

__all__ = ["GramPathFit"]


class GramPathFit:
    """One glmnet path (the full data or one training set), advanced one IRLS step per pass.

    Mirrors ``glm_path`` of glmpath.c: the same loops, rules and order; its naive
    coordinate descent on the residual becomes coordinate descent on the Gram matrix
    (``grad_k = x_k' r`` updated by ``H[:, k] * d``).
    """

    def __init__(self, k: int, family: str, s: PathSettings, *, xm: np.ndarray, xs: np.ndarray, ju: np.ndarray,
                 sw: float, nobs: int, qy: float, b0: float, dev0: float, dev1: float, ne: int) -> None:
        self.k, self.family, self.s = k, family, s
        p = xm.shape[0]
        self.p, self.xm, self.xs, self.ju, self.sw = p, xm, xs, ju, sw
        self.cl = s.cl * xs[None, :] if s.standardize else s.cl.copy()
        self.vp = s.vp
        self.flmin, self.ulam, self.nlam = s.lambda_args(nobs)
        self.ne = ne
        self.qy = qy  # the weighted mean of y
        self.b0, self.dev0, self.dev1 = b0, dev0, dev1
        self.thr = s.thresh * dev0
        self.sml = s.sml * (10.0 if family == "poisson" else 1.0)  # elnet_path/poisson_base.hpp: sml *= 10
        self.a = np.zeros(p)
        self.as_ = np.zeros(p)
        self.xv = np.zeros(p)
        self.ga = np.zeros(p)
        self.strong = np.zeros(p, dtype=bool)
        self.active = np.zeros(p, dtype=bool)
        self.ia: list[int] = []
        self.m = -1
        self.alm = 0.0
        self.ab = self.dem = 0.0
        self.bs0 = 0.0
        self.nlp = 0
        self.mnl = min(CONTROL.mnlam, self.nlam)
        self.alf = 1.0
        if self.flmin < 1.0:
            self.alf = max(CONTROL.eps, self.flmin) ** (1.0 / (self.nlam - 1.0))
        self.ao: list[np.ndarray] = []
        self.a0o: list[float] = []
        self.almo: list[float] = []
        self.devo: list[float] = []
        self.done = False
        self.too_small = False
        self.pending = False  # a WLS waits for Gram columns the last pass did not compute

    # ---- the coefficients the next pass evaluates, on the pass's scale U = (X - cx) / sx
    def pass_coefs(self, cx: np.ndarray, sx: np.ndarray) -> tuple[np.ndarray, float]:
        beta = np.where(self.ju, self.a / self.xs, 0.0)
        a0 = self.b0 - self.xm @ beta if self.s.fit_intercept else self.b0
        return sx * beta, float(a0 + cx @ beta)

    def _standardized(self, st: dict, i: int, cx: np.ndarray, sx: np.ndarray) -> tuple:
        delta = (self.xm - cx) / sx
        sc = sx / self.xs
        A, b, c = st["A"][i], st["b"][i], st["c"][i]
        g, r0 = st["g"][i], st["r0"][i]
        H = A - np.outer(delta, b) - np.outer(b, delta) + c * np.outer(delta, delta)
        H = H * sc[:, None] * sc[None, :] / self.sw
        Hb = sc * (b - c * delta) / self.sw
        grad = sc * (g - r0 * delta) / self.sw
        return H, Hb, c / self.sw, grad, r0 / self.sw, st["dev"][i] / self.sw

    def wanted(self) -> np.ndarray:
        """The columns whose Gram entries the next pass should compute: the strong set and those
        likely to join it at this lambda or the next (gradient above 0.6 of the strong-rule bound)."""
        if self.m < 0:
            return np.zeros(self.p, dtype=bool)
        ref = self.alm
        if self.m == 0 and self.flmin < 1.0:  # lambda 0 is "big": the next is lambda_max * alf
            sel = self.ju & (self.vp > 0)
            ref = float(np.max(self.ga[sel] / self.vp[sel])) / max(self.s.alpha, 1e-3) if sel.any() else 0.0
        return self.strong | (self.ju & (self.ga > 0.6 * self.s.alpha * ref * self.vp))

    def advance(self, st: dict, i: int, cx: np.ndarray, sx: np.ndarray) -> None:
        """Take the statistics at the current coefficients; then one WLS solve (or finish).

        ``st["cols"]`` (bool, p) says which columns' Gram entries the pass computed; a WLS
        whose strong set is not covered waits for the next pass (at the same coefficients:
        the same statistics, now with those columns).
        """
        H, Hb, vsum, grad, r0, devq = self._standardized(st, i, cx, sx)
        self.covered = st["cols"]
        if self.pending:
            self.pending = False
            self._wls(H, Hb, vsum, grad, r0)
            return
        if self.m < 0:  # the null model: its gradient, then lambda 0
            self.ga = np.where(self.ju, np.abs(grad), 0.0)
            self.m = 0
            self._begin_lambda()
            self._wls(H, Hb, vsum, grad, r0)
            return
        pmin = CONTROL.pmin
        if self.family == "binomial" and vsum <= (1.0 + pmin) * pmin * (1.0 - pmin):
            self.too_small = True
            self._store(devq, vsum, H, Hb, grad, r0)
            return
        d0 = self.b0 - self.bs0
        conv = not (vsum * d0 * d0 > self.thr)
        if conv:
            for k in self.ia:
                d = self.a[k] - self.as_[k]
                if self.xv[k] * d * d > self.thr:
                    conv = False
                    break
        if conv:
            out = ~self.strong & self.ju
            self.ga[out] = np.abs(grad[out])
            viol = out & (self.ga > self.ab * self.vp)
            if viol.any():
                self.strong |= viol
            else:
                self._store(devq, vsum, H, Hb, grad, r0)
                return
        self._wls(H, Hb, vsum, grad, r0)

    def _store(self, devq: float, vsum: float, H: np.ndarray, Hb: np.ndarray, grad: np.ndarray, r0: float) -> None:
        m = self.m
        self.ao.append(self.a.copy())
        self.a0o.append(self.b0)
        self.almo.append(self.alm)
        if self.family == "binomial":
            dm = (self.dev1 - (-devq)) / self.dev0
        else:
            dm = (devq - vsum - self.dev1) / self.dev0
        self.devo.append(dm)
        lmu = m + 1
        too_small, self.too_small = self.too_small, False
        if not (lmu < self.mnl or self.flmin >= 1.0):
            if self.family == "binomial":
                change = dm - (0.0 if m == 0 else self.devo[m - 1])
            else:
                change = (dm - (self.devo[m - self.mnl + 1] if m + 1 >= self.mnl else 0.0)) / dm
            me = int(np.count_nonzero(self.a[self.ia])) if self.ia else 0
            if me > self.ne or change < self.sml or dm > CONTROL.devmax or too_small:
                self.done = True
                return
        if lmu >= self.nlam:
            self.done = True
            return
        self.m = m + 1
        self._begin_lambda()
        self._wls(H, Hb, vsum, grad, r0)

    def _begin_lambda(self) -> None:
        m, s = self.m, self.s
        prev = self.alm
        if self.flmin >= 1.0:
            self.alm = float(self.ulam[m])
        elif m > 1:
            self.alm = self.alm * self.alf
        elif m == 0:
            self.alm = CONTROL.big
        else:
            sel = self.ju & (self.vp > 0)
            alm0 = float(np.max(self.ga[sel] / self.vp[sel])) if sel.any() else 0.0
            alm0 = max(alm0, 0.0) / max(s.alpha, 1e-3)
            prev = alm0
            self.alm = alm0 * self.alf
        self.dem = self.alm * (1.0 - s.alpha)
        self.ab = self.alm * s.alpha
        tlam = s.alpha * (2.0 * self.alm - prev)
        self.strong |= self.ju & ~self.strong & (self.ga > tlam * self.vp)

    def _wls(self, H: np.ndarray, Hb: np.ndarray, vsum: float, grad: np.ndarray, r0: float) -> None:
        """One IRLS iteration's weighted least squares: glmpath.c's CD passes, on the Gram matrix."""
        if (self.strong & ~self.covered).any():
            self.pending = True
            return
        if self.nlp > self.s.maxit:
            raise GlmNotSupported(f"maxit reached at lambda {self.m + 1} (fit {self.k}); raise maxit")
        self.bs0 = self.b0
        ia = self.ia
        self.as_[ia] = self.a[ia]
        diag = np.diagonal(H)
        self.xv[self.strong] = diag[self.strong]
        sidx = np.flatnonzero(self.strong).tolist()
        grad = grad.copy()
        r0 = float(r0)
        a, xv, vp, cl, ab, dem = self.a, self.xv, self.vp, self.cl, self.ab, self.dem
        intr = self.s.fit_intercept

        def cd_pass(idx: list[int], full: bool) -> float:
            nonlocal r0, grad
            dlx = 0.0
            for k in idx:
                ak = a[k]
                u = grad[k] + ak * xv[k]
                vv = abs(u) - vp[k] * ab
                anew = 0.0
                if vv > 0.0:
                    anew = max(cl[0, k], min(cl[1, k], math.copysign(vv, u) / (xv[k] + vp[k] * dem)))
                a[k] = anew
                if anew == ak:
                    continue
                if full and not self.active[k]:
                    self.active[k] = True
                    ia.append(k)
                    self.as_[k] = 0.0
                d = anew - ak
                dlx = max(xv[k] * d * d, dlx)
                grad -= H[:, k] * d
                r0 -= Hb[k] * d
            if intr:
                d = r0 / vsum
                if d != 0.0:
                    self.b0 += d
                    dlx = max(vsum * d * d, dlx)
                    grad -= Hb * d
                    r0 -= vsum * d
            return dlx

        while True:
            self.nlp += 1
            if cd_pass(sidx, True) < self.thr:
                break
            if self.nlp > self.s.maxit:
                raise GlmNotSupported(f"maxit reached at lambda {self.m + 1} (fit {self.k}); raise maxit")
            while True:
                self.nlp += 1
                if cd_pass(list(ia), False) < self.thr:
                    break
                if self.nlp > self.s.maxit:
                    raise GlmNotSupported(f"maxit reached at lambda {self.m + 1} (fit {self.k}); raise maxit")

    def path(self) -> dict:
        L = len(self.almo)
        ao = np.array(self.ao).T if L else np.zeros((self.p, 0))
        beta = ao / self.xs[:, None]
        beta[~self.ju, :] = 0.0
        a0 = np.asarray(self.a0o) - self.xm @ beta if self.s.fit_intercept else np.zeros(L)
        lam = self.s.finish_lambda(np.asarray(self.almo, dtype=float))
        return {"lambda": lam, "a0": a0, "beta": beta, "dev_ratio": np.asarray(self.devo),
                "nulldev": float(2.0 * self.sw * self.dev0), "df": (beta != 0).sum(axis=0)}
