"""Result objects: the base every statprune result shares (:mod:`statprune.results._base`).

>>> from statprune.results import Result, SelectionResult, Summary, TableResult
>>> issubclass(TableResult, SelectionResult) and issubclass(SelectionResult, Result)
True
"""

from ._base import Result, SelectionResult, Summary, TableResult

__all__ = ["Result", "SelectionResult", "Summary", "TableResult"]
