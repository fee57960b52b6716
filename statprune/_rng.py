"""R's random numbers without R: ``set.seed(s); sample(...)`` reproduced bit for bit in numpy.

Only what ``cv.glmnet`` needs to draw its folds, for R's default generators
(``RNGkind()`` = ``"Mersenne-Twister", "Inversion", "Rejection"``, R >= 3.6):

* ``set.seed(seed)`` (R's ``src/main/RNG.c``, ``RNG_Init``): the integer seed is
  scrambled by 50 steps of the LCG ``seed = 69069 * seed + 1`` (unsigned 32-bit),
  then 625 further steps fill ``.Random.seed[-1]`` (``i_seed[0]`` is the
  position ``mti``, which ``FixupSeeds`` sets to 624, ``i_seed[1:625]`` the
  Mersenne-Twister state ``mt``).
* ``unif_rand()`` = ``fixup(MT_genrand())``: the reference MT19937 (tempered
  32-bit output ``y``) times ``2.3283064365386963e-10``; ``fixup`` maps 0 to
  ``0.5 / (2^32 - 1)``.  numpy's :class:`numpy.random.MT19937` with the same
  state vector and position 624 produces the same ``y`` sequence.
* ``R_unif_index(dn)`` with ``sample.kind = "Rejection"``: ``bits =
  ceil(log2(dn))``; a candidate is built from ``bits %/% 16 + 1`` draws of
  ``floor(unif_rand() * 65536)`` (``rbits``), masked to ``bits`` bits, and
  rejected while ``candidate >= dn``.  Note ``dn = 1`` still consumes a draw.
* ``sample.int(n)`` without replacement (``do_sample`` in
  ``src/main/random.c``): ``x = 0..n-1``; for each ``i``,
  ``j = R_unif_index(n); y[i] = x[j] + 1; x[j] = x[--n]``.
  (``sample.int`` only switches to hashing for ``size <= n / 2``, never for a
  full permutation.)

``cv.glmnet`` draws ``foldid = sample(rep(seq(nfolds), length = N))``, i.e.
``rep(...)[sample.int(N)]``: that draw is :func:`statprune._glmnet.folds.r_foldid`
(the one fold policy), built on :class:`RRandom`.

Examples
--------
>>> r_runif(3, seed=42).round(7).tolist()   # R: set.seed(42); runif(3)
[0.914806, 0.9370754, 0.2861395]
>>> r_sample_int(10, seed=1).tolist()       # R: set.seed(1); sample(10)
[9, 4, 7, 1, 2, 5, 3, 10, 6, 8]
"""

from __future__ import annotations

import math
import operator

import numpy as np

__all__ = ["RRandom", "r_runif", "r_sample_int"]

_MASK32 = 0xFFFFFFFF
_I2_32M1 = 2.328306437080797e-10  # 1 / (2^32 - 1), R's i2_32m1
_TO_UNIT = 2.3283064365386963e-10  # 2^-32, MT_genrand's scale


def _seed_state(seed: int) -> np.ndarray:
    """The 624-word Mersenne-Twister state R's ``set.seed(seed)`` leaves."""
    s = int(seed) & _MASK32
    for _ in range(50):
        s = (69069 * s + 1) & _MASK32
    words = np.empty(625, dtype=np.uint32)
    for j in range(625):
        s = (69069 * s + 1) & _MASK32
        words[j] = s
    return words[1:]  # words[0] is mti, reset to 624 by FixupSeeds


class RRandom:
    """R's default generator after ``set.seed(seed)``: a stream of ``unif_rand()`` draws.

    Parameters
    ----------
    seed : int
        What ``set.seed`` receives (R converts it with ``as.integer``: it must be
        a 32-bit signed integer; a float is truncated toward zero).
    """

    _BLOCK = 1 << 16

    def __init__(self, seed: int) -> None:
        seed = operator.index(seed) if not isinstance(seed, float) else int(seed)
        if not -(2**31) < seed < 2**31:  # NA_integer_ is -2^31
            raise ValueError(f"seed={seed} is not a valid R integer (|seed| < 2^31)")
        self._bg = np.random.MT19937()
        self._bg.state = {"bit_generator": "MT19937", "state": {"key": _seed_state(seed), "pos": 624}}

    def raw(self, size: int) -> np.ndarray:
        """The next ``size`` tempered 32-bit outputs ``y`` of ``MT_genrand`` (uint64)."""
        return self._bg.random_raw(int(size))

    def unif_rand(self, size: int) -> np.ndarray:
        """The next ``size`` values of R's ``unif_rand()`` (``runif``'s draws)."""
        u = self.raw(size).astype(np.float64) * _TO_UNIT
        u[u <= 0.0] = 0.5 * _I2_32M1
        return u

    def _halfwords(self, size: int) -> list[int]:
        # floor(unif_rand() * 65536) == y >> 16 exactly: u * 65536 = y * 2^-16 is exact in double,
        # and fixup's 0.5 / (2^32 - 1) for y = 0 also floors to 0
        return (self.raw(size) >> np.uint64(16)).tolist()

    def sample_int(self, n: int) -> np.ndarray:
        """``sample.int(n)`` (a random permutation of ``1..n``), R >= 3.6 "Rejection" sampling."""
        n = int(n)
        if n < 0:
            raise ValueError("n must be >= 0")
        if n > 2**31 - 1:
            raise ValueError("n >= 2^31 is not supported")
        x = list(range(n))
        out = [0] * n
        pool: list[int] = []
        pos = 0
        carry = 0
        before = self._bg.state
        m = n
        for i in range(n):
            bits = math.ceil(math.log2(m)) if m > 0 else 0
            ndraw = bits // 16 + 1
            mask = (1 << bits) - 1
            while True:
                if pos + ndraw > len(pool):
                    carry = len(pool) - pos
                    before = self._bg.state
                    pool = pool[pos:] + self._halfwords(max(self._BLOCK, 2 * m + 16))
                    pos = 0
                v = pool[pos]
                if ndraw == 2:
                    v = 65536 * v + pool[pos + 1]
                pos += ndraw
                v &= mask
                if v < m:
                    break
            out[i] = x[v] + 1
            m -= 1
            x[v] = x[m]
        # leave the generator just after the last draw used, as R's would be: back to the state
        # before the last fetch, then forward over the draws of that fetch that were used
        self._bg.state = before
        if pos - carry > 0:
            self._bg.random_raw(pos - carry)
        return np.asarray(out, dtype=np.int64)


def r_runif(size: int, seed: int) -> np.ndarray:
    """``set.seed(seed); runif(size)``."""
    return RRandom(seed).unif_rand(size)


def r_sample_int(n: int, seed: int) -> np.ndarray:
    """``set.seed(seed); sample(n)`` (``sample.int(n)``, values ``1..n``)."""
    return RRandom(seed).sample_int(n)
