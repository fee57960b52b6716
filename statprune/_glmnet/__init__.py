"""glmnet's semantics, written once.

Everything statprune reproduces of R's ``glmnet`` (4.1) lives here, so that the
estimator, the engines, stability selection and the cross-check read the same
rule instead of re-deriving it:

* :mod:`~statprune._glmnet.params`: the defaults of ``glmnet()``/``cv.glmnet()``
  and ``glmnet.control()``, the ``type.measure`` table, and the conversion of
  validated Python parameters to R argument names;
* :mod:`~statprune._glmnet.rules`: the lambda sequence (``lambda_max``, the log
  grid, ``fix.lam``), ``lambda.interp`` (``coef(fit, s=)``), the path stop rule,
  CV aggregation (``cvcompute``/``cvstats``), ``lambda.min``/``lambda.1se``
  (``getOptcv.glmnet``) and glmnet's standardization;
* :mod:`~statprune._glmnet.folds`: the one fold policy (checking a user
  ``foldid``, R's ``set.seed(seed); sample(rep(seq(nfolds), length = N))`` drawn
  bit-exactly without R, and the partition-independent hash draw of the
  out-of-core engine);
* :mod:`~statprune._glmnet.families`: the family names, links and inverse
  links, the class order of a classification target (R's factor levels) and
  one target rule per family.

The modules import numpy/pandas/scipy only (no R): an engine may use them.
"""
