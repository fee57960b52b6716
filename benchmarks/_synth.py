"""Seeded synthetic regression data for the benchmarks.

>>> from benchmarks._synth import make_regression
>>> d = make_regression(200, 10, seed=1)
>>> d.X.shape, d.y.shape, int((d.beta != 0).sum())
((200, 10), (200,), 5)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Synthetic", "make_foldid", "make_regression"]


@dataclass
class Synthetic:
    X: np.ndarray  # (n, p) C-ordered float64
    y: np.ndarray  # (n,)
    beta: np.ndarray  # (p,) true coefficients
    intercept: float
    seed: int
    rho: float
    sparsity: int
    snr: float

    def describe(self) -> str:
        n, p = self.X.shape
        return (f"n={n}, p={p}, {self.sparsity} non-zero coefficients, AR(1) correlation rho={self.rho}, "
                f"SNR={self.snr}, seed={self.seed}")


def make_regression(
    n: int,
    p: int,
    *,
    sparsity: int | float = 5,
    rho: float = 0.5,
    snr: float = 3.0,
    seed: int = 0,
    intercept: float = 1.0,
) -> Synthetic:
    """Gaussian design with AR(1) correlation ``corr(x_j, x_k) = rho**|j-k|``.

    ``sparsity``: number of non-zero coefficients (an int) or a fraction of
    ``p`` (a float < 1); they sit at evenly spaced columns with alternating
    signs and magnitudes 1..2.  Noise is scaled so ``var(X beta) / var(noise)
    = snr``.  Columns get different scales and offsets (standardization matters).
    """
    rng = np.random.default_rng(seed)
    k = int(round(sparsity * p)) if isinstance(sparsity, float) and sparsity < 1 else int(sparsity)
    k = max(0, min(k, p))
    X = rng.standard_normal((n, p))
    c = np.sqrt(1.0 - rho * rho)
    for j in range(1, p):  # in place, column by column: no second n x p buffer
        X[:, j] *= c
        X[:, j] += rho * X[:, j - 1]
    scale = rng.uniform(0.5, 2.0, p)
    shift = rng.uniform(-1.0, 1.0, p)
    beta = np.zeros(p)
    if k:
        idx = np.linspace(0, p - 1, k).round().astype(int)
        beta[idx] = rng.uniform(1.0, 2.0, k) * np.where(np.arange(k) % 2 == 0, 1.0, -1.0)
    signal = X @ beta
    X *= scale
    X += shift
    beta_raw = beta / scale
    sd = float(np.std(signal)) if k else 1.0
    noise = rng.standard_normal(n) * (sd / np.sqrt(snr))
    y = signal + noise + intercept - float(shift @ beta_raw)
    return Synthetic(X=X, y=y, beta=beta_raw, intercept=intercept, seed=seed, rho=rho, sparsity=k, snr=snr)


def make_foldid(n: int, nfolds: int = 10, seed: int = 0) -> np.ndarray:
    """Balanced random fold ids ``1..nfolds`` (as ``sample(rep(seq(nfolds), length = n))``)."""
    rng = np.random.default_rng(seed + 7919)
    return rng.permutation(np.resize(np.arange(1, nfolds + 1), n)).astype(np.int64)
