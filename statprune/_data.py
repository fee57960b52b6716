"""Data loading and validation shared by every method and CLI command.

One place decides what is acceptable input: CSV/Parquet files or DataFrames,
a target column that exists and has the right type, predictors without NaN/inf
(unless the caller asks to drop such rows), no duplicated names, and a clear
policy for constant and non-numeric columns. Output files are written
atomically (temporary file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import contextvars
import csv
import gzip
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ._estimator import is_dataframe
from ._glmnet.families import check_family_target, missing_target
from ._json import write_atomic  # re-exported: the one atomic writer, for the callers of _data
from .errors import DataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Prepared",
    "constant_columns",
    "duplicate_columns",
    "prepare_xy",
    "read_table",
    "resolve_column",
    "write_atomic",
    "check_matrix",
    "check_target",
]


#: R's ``read.csv`` default ``na.strings``: the only text read as missing (besides blank numeric fields)
R_NA_STRINGS: tuple[str, ...] = ("NA",)
# type.convert's logical words in R 4.2 (``true``/``false`` are text there)
_R_LOGICAL = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_R_SPECIAL = {"nan": np.nan, "inf": np.inf, "+inf": np.inf, "-inf": -np.inf, "infinity": np.inf,
              "+infinity": np.inf, "-infinity": -np.inf, "na": np.nan}


#: the CLI's ``statprune --na-values ...`` (every command); None: R's rules
NA_VALUES_DEFAULT: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("na_values", default=None)
#: the CLI's ``--sep`` / ``--decimal`` (every command that reads a table); None: ``,`` and ``.``
CSV_DIALECT: contextvars.ContextVar[tuple[str | None, str | None]] = contextvars.ContextVar(
    "csv_dialect", default=(None, None))


def read_table(
    source: str | os.PathLike[str] | pd.DataFrame, *, na_values: Sequence[str] | str | None = None,
    sep: str | None = None, decimal: str | None = None,
) -> pd.DataFrame:
    """Read a CSV (``.csv``, ``.tsv``, ``.txt``, optionally gzipped) or Parquet file as R reads it.

    Missing values follow R, not pandas: in a CSV only ``"NA"`` (R's ``read.csv``
    default ``na.strings``) and blank fields of a numeric column are missing;
    ``"None"``, ``"NULL"``, ``"null"``, ``"nan"``, ``"N/A"`` and ``""`` in a text column
    are values (a factor level ``"None"`` stays a level). A column is numeric when
    every other field is a number as R's ``type.convert`` reads it (``NaN``, ``Inf``,
    ``-inf`` included), logical when every field is ``T``/``F``/``TRUE``/``FALSE``.
    In a Parquet file only nulls are missing (as ``arrow::read_parquet``).
    ``na_values`` replaces the list of missing markers (R's ``na.strings``; a string
    is split at commas), for CSV and Parquet text columns alike.

    Files as R writes them: ``write.csv()`` writes the row names as a first column
    whose header is empty (``""``); that column holds row names, not a predictor, and
    is read into ``df.attrs["row_names"]`` (R: ``read.csv(f, row.names = 1)``), as is
    the first column when the header has one field fewer than the rows (``read.csv``'s
    own rule). A ``write.csv2()`` file (``;`` between fields, ``,`` as the decimal mark)
    is recognised and refused with the fix: ``sep=";", decimal=","`` (CLI ``--sep ';'
    --decimal ','``, R's ``read.csv2``) read it. ``sep`` defaults to ``,`` (tab for
    ``.tsv``), ``decimal`` to ``.``.

    A DataFrame is returned as is (not copied; with ``na_values``, a copy with
    those strings set missing). Duplicated column names are an error. For a file,
    the number of missing cells (R's ``colSums(is.na(d))``) of each column is in
    ``df.attrs["na_counts"]``.

    Examples
    --------
    >>> import io, os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> _ = open(p, "w").write("a,b\\nNone,1\\nNA,\\nN/A,3\\n")
    >>> d = read_table(p)
    >>> d["a"].tolist()[0], d.attrs["na_counts"]
    ('None', {'a': 1, 'b': 1})
    >>> _ = open(p, "w").write('"","x","y"\\n"r1",1.5,2\\n"r2",2.5,3\\n')   # write.csv(d, p)
    >>> d = read_table(p)
    >>> list(d.columns), d.attrs["row_names"]
    (['x', 'y'], ['r1', 'r2'])
    >>> _ = open(p, "w").write('"x";"y"\\n1,5;2\\n2,5;3\\n')               # write.csv2(d, p)
    >>> read_table(p, sep=";", decimal=",")["x"].tolist()
    [1.5, 2.5]
    """
    import pandas as pd  # noqa: PLC0415 - deferred: tables are read into pandas; numpy inputs (GlmnetCV.fit) use this module without it

    if not isinstance(source, (pd.DataFrame, str, os.PathLike)) and hasattr(source, "to_pandas"):
        source = source.to_pandas()  # a polars DataFrame or a pyarrow Table: the same input as pandas
    if na_values is None:
        na_values = NA_VALUES_DEFAULT.get()
    na_list = _na_list(na_values)
    if isinstance(source, pd.DataFrame):
        df = source if na_values is None else _parquet_na(source, na_list)
    else:
        p = Path(source)
        if not p.exists():
            raise DataError(f"data file {str(p)!r} does not exist")
        suffixes = "".join(p.suffixes).lower()
        is_parquet = ".parquet" in suffixes or ".pq" in suffixes or p.is_dir()
        if p.is_dir() and not any(f.is_file() and not f.name.startswith((".", "_")) for f in p.rglob("*")):
            raise DataError(f"data directory {str(p)!r} holds no data files (a directory is read as a Parquet "
                            "dataset: put *.parquet files in it, or give a CSV/Parquet file)")
        try:
            if is_parquet:
                df = pd.read_parquet(p)
                if na_values is not None:
                    df = _parquet_na(df, na_list)
            else:
                csv_sep, csv_dec = CSV_DIALECT.get()
                sep = sep or csv_sep or ("\t" if ".tsv" in suffixes else ",")
                decimal = decimal or csv_dec or "."
                if sep == decimal:
                    raise DataError(f"the field separator and the decimal mark are both {sep!r}")
                if sep == "," and not csv_sep:
                    _check_not_csv2(p)
                df = pd.read_csv(p, sep=sep, dtype=str, keep_default_na=False, na_filter=False)
                row_names = _take_row_names(p, df, sep)
                if row_names is not None:
                    df, names = row_names
                if decimal != ".":
                    df = _decimal_to_point(df, decimal)
                df = _r_type_convert(df, na_list if na_values is not None else list(R_NA_STRINGS))
                if row_names is not None:
                    df.attrs["row_names"] = names
        except DataError:
            raise
        except (ValueError, OSError, ImportError) as exc:
            raise DataError(f"could not read {str(p)!r}: {exc}") from exc
        # pandas silently renames duplicated CSV headers ('a', 'a.1'): check the raw header row
        if not is_parquet:
            _check_field_counts(p, sep)
            raw = _raw_header(p, sep)
            if raw is not None and len(set(raw)) != len(raw):
                dups = sorted({c for c in raw if raw.count(c) > 1})
                raise DataError(f"duplicate column name(s) {dups} in {str(p)!r}; rename them so each column is unique")
        df.attrs["na_counts"] = _na_counts(df)
        df.attrs["na_values"] = list(na_list) if na_values is not None else (
            [] if is_parquet else list(R_NA_STRINGS))
    dups = duplicate_columns(df)
    if dups:
        raise DataError(f"duplicate column name(s) {dups}; rename them so each column is unique")
    if df.shape[0] == 0:
        raise DataError("the data has no rows")
    return df


def _na_list(na_values: Sequence[str] | str | None) -> list[str]:
    if na_values is None:
        return list(R_NA_STRINGS)
    if isinstance(na_values, str):
        return [v.strip() for v in na_values.split(",")]
    return [str(v) for v in na_values]


def _na_counts(df: pd.DataFrame) -> dict[str, int]:
    """R's ``colSums(is.na(d))`` (NaN counts as missing, as ``is.na`` does)."""
    return {str(c): int(v) for c, v in df.isna().sum().items()}


def _parquet_na(df: pd.DataFrame, na_list: list[str]) -> pd.DataFrame:
    import pandas as pd  # noqa: PLC0415 - deferred: tables are read into pandas; numpy inputs (GlmnetCV.fit) use this module without it

    out = df.copy()
    for c in out.columns:
        s = out[c]
        if s.dtype.kind in "OUS" or pd.api.types.is_string_dtype(s.dtype):
            out[c] = s.where(~s.isin(na_list), None)
    return out


def _r_number(v: str) -> float | None:
    """One field as R's ``R_strtod`` reads it (surrounding blanks ignored), or None if it is not a number."""
    t = v.strip()
    low = t.lower()
    if low in _R_SPECIAL:
        return _R_SPECIAL[low]
    if not t or "_" in t:
        return None
    if low.startswith(("0x", "-0x", "+0x")):
        try:
            return float(int(t, 16))
        except ValueError:
            return None
    try:
        return float(t)
    except ValueError:
        return None


def _r_type_convert(df: pd.DataFrame, na_list: list[str]) -> pd.DataFrame:
    """R's ``type.convert(as.is = TRUE)`` on every column read as text (``read.csv``'s rules)."""
    import pandas as pd  # noqa: PLC0415 - deferred: tables are read into pandas; numpy inputs (GlmnetCV.fit) use this module without it

    out: dict[str, Any] = {}
    for c in df.columns:
        s = df[c].astype(object)
        is_na = s.isin(na_list).to_numpy()
        stripped = s.str.strip()
        blank = (stripped == "").to_numpy()
        miss = is_na | blank
        rest = stripped[~miss]
        if rest.size == 0:  # every field missing or blank: R reads a logical NA column
            out[c] = np.full(len(s), np.nan)
            continue
        if rest.isin(list(_R_LOGICAL)).all():
            if miss.any():
                vals = np.full(len(s), np.nan)
                vals[~miss] = rest.map(_R_LOGICAL).to_numpy(dtype=float)
                out[c] = vals
            else:
                out[c] = rest.map(_R_LOGICAL).to_numpy(dtype=bool)
            continue
        nums = np.array(pd.to_numeric(rest, errors="coerce"), dtype=float)
        bad = np.isnan(nums)
        if bad.any():
            fix = [_r_number(v) for v in rest.to_numpy()[bad]]
            if all(f is not None for f in fix):
                nums[bad] = np.asarray(fix, dtype=float)
                bad[:] = False
        if not bad.any():
            full = np.full(len(s), np.nan)
            full[~miss] = nums
            if (not miss.any() and np.isfinite(nums).all() and (np.abs(nums) < 2**31).all()
                    and rest.str.fullmatch(r"[+-]?[0-9]+").all()):
                out[c] = nums.astype(np.int64)
            else:
                out[c] = full
            continue
        # text: only the NA markers are missing; blank fields are the value ""
        out[c] = s.where(~is_na, None).to_numpy(dtype=object)
    return pd.DataFrame(out, index=df.index, columns=df.columns)


def _check_field_counts(p: Path, sep: str) -> None:
    """Refuse a CSV whose first data row has one field more than the header unless every row does.

    With every data row one field longer, R's ``read.csv`` (and pandas) take the first column as
    row names: that file is read so. A single row with an extra field (an unquoted comma) would
    instead turn the first column into row names and shift every column by one, silently.
    """

    opener: Any = open
    if p.suffix == ".gz":

        opener = gzip.open
    try:
        with opener(p, "rt", newline="") as fh:
            rd = csv.reader(fh, delimiter=sep)
            header = next(rd, None)
            first = next(rd, None)
            if header is None or first is None or len(first) != len(header) + 1:
                return
            first_line = rd.line_num
            for row in rd:
                if row and len(row) != len(first):
                    raise DataError(
                        f"line {first_line} of {str(p)!r} has {len(first)} fields but the header has {len(header)} "
                        f"(and line {rd.line_num} has {len(row)}): a row with an extra field (an unquoted "
                        f"'{sep}'?) would shift every column by one; fix that line (quote the field)")
    except (OSError, UnicodeDecodeError, csv.Error):
        return


def _check_not_csv2(p: Path) -> None:
    """A ``write.csv2`` file read with ``,``: its header has more ``;``- than ``,``-separated fields."""
    semi, comma = _raw_header(p, ";"), _raw_header(p, ",")
    if semi is not None and comma is not None and len(semi) > 1 and len(semi) > len(comma):
        raise DataError(
            f"{str(p)!r} looks like a write.csv2() file (';' between fields, ',' as the decimal mark): "
            "read it with --sep ';' --decimal ',' (Python: sep=';', decimal=','; R: read.csv2)")


def _take_row_names(p: Path, df: pd.DataFrame, sep: str) -> tuple[pd.DataFrame, list[str]] | None:
    """write.csv's row names: a first column with an empty header, or a header one field short."""
    import pandas as pd  # noqa: PLC0415 - deferred: tables are read into pandas; numpy inputs (GlmnetCV.fit) use this module without it

    raw = _raw_header(p, sep)
    if raw is None:
        return None
    if not isinstance(df.index, pd.RangeIndex):  # header one field short: pandas made column 1 the index
        names = [str(v) for v in df.index]
        return df.reset_index(drop=True), names
    if raw and raw[0].strip() == "" and df.shape[1] > 1:
        first = df.columns[0]
        names = [str(v) for v in df[first]]
        return df.drop(columns=[first]), names
    return None


def _decimal_to_point(df: pd.DataFrame, decimal: str) -> pd.DataFrame:
    """``dec = ","`` (read.csv2): a column whose every field is a number written with ``decimal`` is
    rewritten with ``.`` so that :func:`_r_type_convert` reads it as R's ``type.convert(dec=)`` does."""

    num = re.compile(r"^\s*[+-]?(\d+" + re.escape(decimal) + r"?\d*|" + re.escape(decimal)
                     + r"\d+)([eE][+-]?\d+)?\s*$")
    out = df.copy()
    for c in df.columns:
        vals = df[c].astype(str)
        filled = vals[vals.str.strip() != ""]
        if len(filled) and filled.map(lambda v: bool(num.match(v)) or v == "NA").all():
            out[c] = vals.str.replace(decimal, ".", regex=False)
    return out


def _raw_header(p: Path, sep: str) -> list[str] | None:

    opener = open
    if p.suffix == ".gz":

        opener = gzip.open  # type: ignore[assignment]
    try:
        with opener(p, "rt", newline="") as fh:  # type: ignore[operator]
            return next(csv.reader(fh, delimiter=sep))
    except (StopIteration, OSError, UnicodeDecodeError):
        return None


def duplicate_columns(df: pd.DataFrame) -> list[str]:
    """Column names that occur more than once."""
    cols = [str(c) for c in df.columns]
    return sorted({c for c in cols if cols.count(c) > 1})


def constant_columns(X: pd.DataFrame | np.ndarray, names: Sequence[str] | None = None) -> list[str]:
    """Names of columns whose values are all equal (sd = 0), ignoring NaN."""
    if is_dataframe(X) and all(isinstance(d, np.dtype) and d.kind == "f" for d in X.dtypes):
        # float columns without NaN: max - min is 0 (or NaN for inf - inf) exactly when a column holds one
        # distinct value (nunique() <= 1), and numpy finds that without hashing every column
        a = X.to_numpy()
        if not np.isnan(a).any():
            names, X = [str(c) for c in X.columns], a
    if is_dataframe(X):
        names = [str(c) for c in X.columns]
        vals = X
        out = []
        for c in X.columns:
            s = vals[c]
            if s.nunique(dropna=True) <= 1:
                out.append(str(c))
        return out
    a = np.asarray(X)
    names = list(names) if names is not None else [f"x{j}" for j in range(a.shape[1])]
    with np.errstate(invalid="ignore"):
        rng = np.nanmax(a, axis=0) - np.nanmin(a, axis=0) if a.shape[0] else np.zeros(a.shape[1])
    return [names[j] for j in np.flatnonzero(~(rng > 0))]


def check_matrix(a: np.ndarray, names: Sequence[str], *, what: str = "predictor") -> None:
    """Raise :class:`DataError` naming the columns that hold NaN or inf."""
    bad = ~np.isfinite(a)
    if bad.any():
        per_col = bad.sum(axis=0)
        cols = [f"'{names[j]}' ({int(per_col[j])} rows)" for j in np.flatnonzero(per_col)]
        nrows = int(bad.any(axis=1).sum())
        raise DataError(
            f"{what} column(s) {', '.join(cols)} contain NaN or inf ({nrows} rows in all); "
            "impute or remove them, or pass drop_missing=True (CLI: --drop-missing) to drop those rows"
        )


_KIND_FAMILY = {"numeric": "gaussian", "binary": "binomial", "categorical": "multinomial", "count": "poisson",
                "positive": "Gamma"}


def check_target(
    y: Any, name: str = "target", *, kind: Literal["numeric", "binary", "categorical", "count", "positive", "any"] = "numeric"
) -> np.ndarray:
    """Validate a command's target column and return it as a numpy array.

    The rules are the families' (:func:`statprune._validation.check_target`): ``kind``
    names the family whose target rule applies: ``"numeric"`` gaussian (R's ``lm``: a
    constant target is allowed), ``"binary"`` binomial (two classes), ``"categorical"``
    multinomial (two or more), ``"count"`` poisson (``>= 0``; non-integer counts are
    accepted, as glmnet and R's ``glm`` accept them), ``"positive"`` Gamma; ``"any"``
    only refuses missing values. Classes come back as given (labels, not codes);
    numbers as float64.

    Examples
    --------
    >>> import pandas as pd
    >>> check_target(pd.Series([0.5, 2.0]), "y", kind="count").tolist()
    [0.5, 2.0]
    """
    import pandas as pd  # noqa: PLC0415 - deferred: tables are read into pandas; numpy inputs (GlmnetCV.fit) use this module without it

    s = pd.Series(y) if not isinstance(y, pd.Series) else y
    if s.isna().any():
        raise missing_target(name, int(s.isna().sum()))
    if kind == "any":
        return s.to_numpy()
    if kind in ("binary", "categorical"):
        check_family_target(s, _KIND_FAMILY[kind], name=name, glmnet=False)
        return s.to_numpy()
    if not (pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)):
        raise DataError(
            f"target '{name}' is not numeric (dtype {s.dtype}); a {kind} target must hold numbers"
            + ("; for classes use family='binomial' or 'multinomial'" if kind == "numeric" else ""))
    return np.asarray(check_family_target(s.to_numpy(dtype=np.float64), _KIND_FAMILY[kind], name=name, glmnet=False).y,
                      dtype=np.float64)


@dataclass
class Prepared:
    """Predictors and target after validation."""

    X: pd.DataFrame
    y: pd.Series | pd.DataFrame | None
    feature_names: list[str]
    constant: list[str] = field(default_factory=list)
    dropped_rows: int = 0
    extra: dict[str, pd.Series] = field(default_factory=dict)
    encoded: dict[str, list[str]] = field(default_factory=dict)
    #: missing cells per column as read (R's ``colSums(is.na(d))``), columns with none left out
    missing: dict[str, int] = field(default_factory=dict)


def resolve_column(name: str, columns: Sequence[str]) -> str:
    """The column ``name`` refers to: the exact name, else the one column equal to it once leading and
    trailing spaces are removed from both (a header written ``x0, x1, y`` has columns ``' x1'``,
    ``' y'``; ``--target y`` and ``--target ' y'`` then mean the same column in every command).
    ``name`` itself when neither matches (the caller says it is not found).

    Examples
    --------
    >>> resolve_column("y", ["x0", " x1", " y"]), resolve_column(" x0", ["x0", " y"]), resolve_column("z", ["y"])
    (' y', 'x0', 'z')
    """
    if name in columns:
        return name
    hits = [c for c in columns if str(c).strip() == str(name).strip()]
    return hits[0] if len(hits) == 1 else name


def prepare_xy(
    data: str | os.PathLike[str] | pd.DataFrame,
    target: str | Sequence[str] | None,
    *,
    exclude: Iterable[str] = (),
    extra_columns: Iterable[str | None] = (),
    drop_missing: bool = False,
    categorical: Literal["error", "encode"] = "error",
    constant: Literal["error", "keep", "drop"] = "keep",
    na_values: Sequence[str] | str | None = None,
) -> Prepared:
    """Split a table into numeric predictors and a target, with the checks every command shares.

    Parameters
    ----------
    data : path or DataFrame
    target : column name (or names, e.g. ``("time", "status")`` for Cox), or None
    exclude : columns that are not predictors
    extra_columns : columns taken out of the predictors and returned in ``extra``
        (fold ids, weights, offsets); ``None`` entries are ignored
    drop_missing : drop rows with NaN/inf in the target, predictors or extra columns
        instead of raising
    categorical : ``"error"`` refuses non-numeric predictors with a clear message;
        ``"encode"`` expands them into treatment-coded dummies as R's ``model.matrix``
        does (alphabetical levels, first level the reference)
    constant : what to do with constant predictors: keep them (the method reports
        them), drop them, or raise
    na_values : the text read as missing (R's ``na.strings``); default R's ``"NA"``,
        see :func:`read_table`

    Examples
    --------
    >>> import pandas as pd
    >>> from statprune._data import prepare_xy
    >>> p = prepare_xy(pd.DataFrame({"a": [1., 2, 3], "b": [1., 1, 1], "y": [0., 1, 3]}), "y")
    >>> p.feature_names, p.constant
    (['a', 'b'], ['b'])
    """
    import pandas as pd  # noqa: PLC0415 - deferred: tables are read into pandas; numpy inputs (GlmnetCV.fit) use this module without it

    df = read_table(data, na_values=na_values)
    counts = _na_counts(df) if isinstance(data, pd.DataFrame) else df.attrs.get("na_counts") or _na_counts(df)
    na_counts = {k: v for k, v in counts.items() if v}
    # pandas deep-copies ``attrs`` (the per-column counts) into every column it hands out: at 200
    # columns that was ~1.5 s of ``statprune lasso``; the counts are read, the copy needs none
    df = df.copy(deep=False)
    df.attrs = {}
    cols = [str(c) for c in df.columns]
    df = df.set_axis(cols, axis=1) if list(df.columns) != cols else df
    targets = [] if target is None else ([target] if isinstance(target, str) else list(target))
    targets = [resolve_column(t, cols) for t in targets]
    for t in targets:
        if t not in cols:
            raise DataError(f"target column '{t}' not found; columns are: {', '.join(cols)}")
    extras_asked = [c for c in extra_columns if c is not None]
    extras = [resolve_column(c, cols) for c in extras_asked]
    excl = [resolve_column(c, cols) for c in exclude]
    for c in extras + excl:
        if c not in cols:
            raise DataError(f"column '{c}' not found; columns are: {', '.join(cols)}")
    feats = [c for c in cols if c not in set(targets) | set(extras) | set(excl)]
    if not feats:
        raise DataError("no predictor columns are left after removing the target and excluded columns")
    Xdf = df[feats]
    non_num = [c for c in feats if not (pd.api.types.is_numeric_dtype(Xdf[c].dtype) or pd.api.types.is_bool_dtype(Xdf[c].dtype))]
    encoded: dict[str, list[str]] = {}
    if non_num and categorical == "error":
        desc = ", ".join(f"'{c}' ({Xdf[c].dtype}, {Xdf[c].nunique()} levels)" for c in non_num)
        raise DataError(
            f"non-numeric predictor column(s) {desc}; this method needs numbers: encode them "
            "(categorical='encode' / --encode-categoricals gives R's treatment dummies), or exclude them"
        )
    # Missing values: target, extras and numeric predictors
    check_cols = [c for c in feats if c not in non_num] + extras
    num = df[check_cols] if check_cols else pd.DataFrame(index=df.index)
    if any(not pd.api.types.is_numeric_dtype(t) for t in num.dtypes):  # numeric columns are numbers already
        num = num.apply(pd.to_numeric, errors="coerce")
    finite = np.isfinite(num.to_numpy(dtype=np.float64)) if check_cols else np.ones((len(df), 0), bool)
    bad_rows = ~finite.all(axis=1)
    cat_missing = df[non_num].isna().any(axis=1).to_numpy() if non_num else np.zeros(len(df), bool)
    tgt_missing = df[targets].isna().any(axis=1).to_numpy() if targets else np.zeros(len(df), bool)
    dropped = 0
    if drop_missing:
        keep = ~(bad_rows | cat_missing | tgt_missing)
        dropped = int((~keep).sum())
        if dropped:
            df = df.loc[keep]
            Xdf = df[feats]
        if len(df) == 0:
            raise DataError("every row has a missing or infinite value; nothing is left after drop_missing")
    else:
        if bad_rows.any():
            check_matrix(num.to_numpy(dtype=np.float64), check_cols)
        if cat_missing.any():
            cols_m = [c for c in non_num if df[c].isna().any()]
            raise DataError(f"column(s) {cols_m} have missing values; impute them or pass drop_missing=True")
    if non_num:
        Xdf = _treatment_dummies(Xdf, encoded)
    X = Xdf.astype(np.float64)
    consts = constant_columns(X)
    if consts and constant == "error":
        raise DataError(f"column(s) {consts} are constant (sd = 0); drop them or pass exclude={consts}")
    if consts and constant == "drop":
        X = X.drop(columns=consts)
    y: pd.Series | pd.DataFrame | None
    if not targets:
        y = None
    elif len(targets) == 1:
        y = df[targets[0]]
    else:
        y = df[targets]
    return Prepared(
        X=X,
        y=y,
        feature_names=[str(c) for c in X.columns],
        constant=consts,
        dropped_rows=dropped,
        extra={asked: df[c] for asked, c in zip(extras_asked, extras)},
        encoded=encoded,
        missing=na_counts,
    )


def _treatment_dummies(X: pd.DataFrame, encoded: dict[str, list[str]]) -> pd.DataFrame:
    """R's ``model.matrix`` treatment coding: levels sorted (or the categorical's order),
    first level dropped, dummy named ``<col><level>`` as R names it (formulaic's
    ``C(x, contr.treatment)`` through the estimators' :class:`TreatmentEncoder`)."""
    # formulaic takes seconds to import: only when a table has text columns to encode
    from .engines.stepwise.categorical import TreatmentEncoder  # noqa: PLC0415

    enc = TreatmentEncoder().fit(X)
    encoded.update(enc.encoded_)
    out = enc.transform(X)
    # numeric columns keep their own labels
    out.columns = [n for c in X.columns for n in (enc.encoded_[str(c)] if str(c) in enc.encoded_ else [c])]
    names = [str(c) for c in out.columns]
    if len(set(names)) != len(names):  # g + level 'b' -> 'gb', next to a column 'gb': R would make two 'gb'
        origin = {}
        for c in X.columns:
            for d in encoded.get(c, [c]):
                origin.setdefault(d, []).append(f"the dummy for level '{d[len(c):]}' of '{c}'" if c in encoded
                                                else f"the column '{c}'")
        clash = [f"'{n}' ({' and '.join(origin[n])})" for n in sorted({n for n in names if names.count(n) > 1})]
        raise DataError(f"encoding the categorical columns gives duplicate column name(s) {', '.join(clash)}; "
                        "rename one of the columns (or exclude it) so that every predictor has its own name")
    return out
