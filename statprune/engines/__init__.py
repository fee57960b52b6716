"""Numerical engines: they take arrays and return arrays and statistics.

An engine never builds an estimator's result and never imports the layers above it
(estimators, results, workflows, the CLI).
"""
