"""Numerical engines: they take arrays and return arrays and statistics.

An engine never builds an estimator's result and never imports the layers above it
(estimators, results, workflows, the CLI); it never calls R.

* :mod:`~statprune.engines.gram`: Gaussian ``cv.glmnet`` from Gram (sufficient)
  statistics (:mod:`~statprune.engines._gram_stats`), glmnet's covariance/naive
  path on a ``p x p`` matrix;
* :mod:`~statprune.engines.glmpath`: binomial/poisson ``cv.glmnet`` by glmnet's
  IRLS path in C; :mod:`~statprune.engines.fast`: either of the two behind one call;
* :mod:`~statprune.engines.outofcore`: the per-fold Gram statistics of
  partitioned data (Parquet/CSV, Dask), solved by the gram engine;
* :mod:`~statprune.engines._native` (C kernels, ctypes) and
  :mod:`~statprune.engines._numba` (the same Gaussian iterations in numba, used
  where no C compiler is available);
* :mod:`~statprune.engines.stepwise`, :mod:`~statprune.engines.vif`,
  :mod:`~statprune.engines.leaps`: the stepwise search's formula, sweep and GLM
  fits, variance inflation factors, best subsets.
"""
