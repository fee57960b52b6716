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
from formulaic import model_matrix

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
        terms = [(f"C(`{c}`, contr.treatment, levels={self.levels_[c]!r})" if c in self.categorical_ else f"`{c}`")
                 for c in self.columns_]
        self.formula_ = " + ".join(terms)
        mm = model_matrix(self.formula_, self._as_text(frame), na_action="raise")
        self.spec_ = mm.model_spec
        self.feature_names_out_ = self._r_names(list(mm.columns))
        return self

    def _as_text(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for c in self.categorical_:
            if not isinstance(out[c].dtype, pd.CategoricalDtype):
                out[c] = out[c].astype(str)
        return out

    def _r_names(self, cols: list[str]) -> list[str]:
        """formulaic's ``C(`g`, ...)[T.b]`` -> R's ``gb``; the intercept is left out (glmnet adds its own)."""
        names = []
        for col in cols:
            if col == "Intercept":
                continue
            if col.startswith("C(") and "[" in col:
                var = col[2:].split(",", 1)[0].strip().strip("`")
                lev = col[col.rindex("[") + 1 : -1]
                lev = lev[2:] if lev.startswith("T.") else lev
                names.append(f"{var}{lev}")
            else:
                names.append(col.strip("`"))
        return names

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
