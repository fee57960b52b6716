"""The numerics behind :func:`statprune.stepwise`: R's ``lm``/``glm`` and ``step()`` in numpy.

- :mod:`.formula`: R formulas with ``terms()`` semantics (``.``, ``*``, ``^``, ``%in%``,
  ``-``, ``offset()``), the design of factors and interactions (``model.matrix``), the
  marginality of ``drop.scope``/``add.scope``; R expressions in terms through :mod:`.rexpr`
  (never Python's ``eval``) and factor levels in R's collation (:mod:`statprune._collate`).
- :mod:`.sweep`: the swept Gram matrix of ``lm`` candidates and the rank-revealing QR of ``lm.fit``.
- :mod:`.glmfit`: R's ``glm.fit`` (IRLS) for every family and link of ``glm``, ``MASS::glm.nb``.
- :mod:`.engine`: ``extractAIC``, ``drop1`` and ``add1`` of one response, design and family.
- :mod:`.categorical`: R's treatment contrasts for the estimators that take a plain matrix.

The submodules are imported on use; importing this package imports nothing else.
"""
