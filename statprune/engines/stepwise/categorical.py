"""R's treatment contrasts for text and categorical predictors, through formulaic.

``model.matrix(~ ., d)[, -1]`` in R turns a factor with levels ``a < b < c`` into the
dummies ``xb`` and ``xc`` (the first level is the reference) and leaves numeric columns
as they are. :class:`TreatmentEncoder` does the same with formulaic's ``C(x,
contr.treatment)``, names the columns as R does (``<column><level>``), remembers the
levels seen in ``fit`` (formulaic's model spec) and applies them to new data, so that a
model fitted on encoded data predicts on raw data. Levels are sorted (text columns) or
taken in the categorical's own order, as ``factor()`` does.

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "g": ["b", "a", "c", "a"]})
>>> enc = TreatmentEncoder().fit(d)
>>> enc.transform(d).columns.tolist()
['x', 'gb', 'gc']
>>> enc.transform(pd.DataFrame({"x": [5.0], "g": ["c"]})).to_numpy().tolist()
[[5.0, 0.0, 1.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...errors import DataError

__all__ = ["TreatmentEncoder", "non_numeric_columns"]


def non_numeric_columns(df: pd.DataFrame) -> list[str]:
    """Columns that are neither numeric nor boolean (text, categorical, object)."""
    return [str(c) for c in df.columns
            if not (pd.api.types.is_numeric_dtype(df[c].dtype) or pd.api.types.is_bool_dtype(df[c].dtype))]


class TreatmentEncoder:
    """Numeric columns as they are, text/categorical columns as R's treatment dummies."""

    def fit(self, X: pd.DataFrame) -> TreatmentEncoder:
        self.columns_ = [str(c) for c in X.columns]
        self.categorical_ = non_numeric_columns(X)
        self.levels_: dict[str, list[Any]] = {}
        frame = X.copy()
        frame.columns = self.columns_
        for c in self.categorical_:
            s = frame[c]
            if s.isna().any():
                raise DataError(f"column '{c}' has missing values; impute them or drop those rows")
            levels = list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype) else sorted(s.astype(str).unique())
            if len(levels) < 2:
                raise DataError(f"column '{c}' has a single level ({levels[0]!r}); it carries no information: exclude it")
            self.levels_[c] = levels
        # formulaic sees placeholder names (x0, x1, ...): a column named "Intercept", or holding a backtick
        # or a comma, would otherwise be dropped, renamed or refused; R's names are built from the levels
        self._safe = {c: f"x{i}" for i, c in enumerate(self.columns_)}
        terms = [(f"C({self._safe[c]}, contr.treatment, levels={self.levels_[c]!r})" if c in self.categorical_
                  else self._safe[c]) for c in self.columns_]
        self.formula_ = " + ".join(terms)
        # deferred: formulaic (~1.2 s with scipy) only when there are columns to expand; checking for them needs none
        from formulaic import model_matrix  # noqa: PLC0415

        mm = model_matrix(self.formula_, self._as_text(frame), na_action="raise")
        self.spec_ = mm.model_spec
        #: the dummies of each text/categorical column, R's ``<column><level>`` for every level but the first
        self.encoded_ = {c: [f"{c}{lev}" for lev in self.levels_[c][1:]] for c in self.categorical_}
        self.feature_names_out_ = [n for c in self.columns_ for n in self.encoded_.get(c, [c])]
        if len([c for c in mm.columns if c != "Intercept"]) != len(self.feature_names_out_):  # pragma: no cover
            raise RuntimeError("formulaic's treatment coding does not match R's column count")
        return self

    def _as_text(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for c in self.categorical_:
            if not isinstance(out[c].dtype, pd.CategoricalDtype):
                out[c] = out[c].astype(str)
        return out.rename(columns=self._safe)

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        frame = X.copy()
        frame.columns = [str(c) for c in frame.columns]
        missing = [c for c in self.columns_ if c not in frame.columns]
        if missing:
            raise DataError(f"column(s) {missing} seen in fit are missing")
        for c in self.categorical_:
            unknown = sorted(set(frame[c].astype(str)) - {str(v) for v in self.levels_[c]})
            if unknown:
                raise DataError(f"column '{c}' has level(s) {unknown} not seen in fit (levels: {self.levels_[c]})")
        mm = self.spec_.get_model_matrix(self._as_text(frame[self.columns_]), na_action="raise")
        cols = [c for c in mm.columns if c != "Intercept"]
        out = pd.DataFrame(np.asarray(mm[cols], dtype=np.float64), columns=self.feature_names_out_, index=frame.index)
        return out
