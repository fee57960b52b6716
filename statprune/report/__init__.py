"""Reproducible pruning reports: one self-contained HTML (or Markdown/JSON) file an auditor can read.

:func:`build_report` runs the requested methods on one table and target and
collects, for each, the kept and pruned features with their coefficients or
criteria, its plots (rendered to SVG and embedded as data URIs, so the file
opens offline), the stepwise trace, the cross-check against scikit-learn and
statsmodels, and a session-info block (R, glmnet and Python package versions,
BLAS, seed, command line, SHA-256 of the data file) from which the report can be
reproduced. :meth:`Report.render` turns it into HTML, Markdown or JSON and
:meth:`Report.write` writes it atomically.

Rendering is deterministic: the same inputs give the same bytes. The only
varying field is the generation timestamp, which ``timestamp=False``
(CLI ``--no-timestamp``) leaves out. Plots are saved with a fixed
``svg.hashsalt``, text kept as text (``svg.fonttype="none"``) and no date
metadata. The cross-validation folds come from R's ``set.seed(seed)``; a report
therefore always sets a seed (default 1) and prints it.

Examples
--------
>>> from statprune.datasets import path
>>> from statprune.report import build_report
>>> rep = build_report(path("swiss"), "Fertility", methods=["pca"], timestamp=False)
>>> rep.data["rows"], [s.key for s in rep.sections]
(47, ['pca'])
>>> rep.render("html").startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

from ._build import Report, build_report, session_info
from ._document import EXTRA_METHODS, METHODS, Plot, Section, Table, data_summary, svg_of
from ._sections import _inference_xy

__all__ = ["Report", "Section", "Table", "Plot", "build_report", "METHODS", "svg_of"]
