"""Reading and building many records at once: values converted once, no cycle collector."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Select, type_coerce
from sqlalchemy.types import NullType

_lock = threading.Lock()
_paused = 0


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while tens of thousands of records are built.

    Every few hundred new objects the collector runs, and every so often it walks the whole
    heap (SQLAlchemy, Qt, the records already made): on a list of 100,000 rows that was a
    sixth of the time. Records are freed by reference counting as before; only cycles wait
    until the block ends. Nested and concurrent blocks are counted: the last one out turns the
    collector back on, and only if it was on when the first came in.
    """
    global _paused
    with _lock:
        if _paused == 0:
            _collector_was_on.append(gc.isenabled())
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _collector_was_on.pop():
                gc.enable()


_collector_was_on: list[bool] = []


def read_rows(connection: Connection, query: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` with each column's values converted as SQLAlchemy converts them
    (a Decimal, a date, an aware datetime), but once per distinct value rather than per row.

    Tens of thousands of rows hold few distinct dates, times and quantities: the driver's rows
    are fetched bare, and each column's result processor (the one its type has for this
    dialect and driver column) is run over the column's distinct values only. For columns of
    plain values (numbers, text, dates and times): a JSON or array column would not hash.
    """
    columns = list(query.selected_columns)
    result = connection.execute(
        query.with_only_columns(*(type_coerce(c, NullType()) for c in columns))
    )
    cursor = result.cursor
    description = cursor.description if cursor is not None else None
    # The driver's own tuples: SQLAlchemy's Row objects would cost as much as the conversion.
    rows = cursor.fetchall() if cursor is not None else []
    result.close()
    if not rows:
        return []
    dialect = connection.dialect
    converted: list[Any] = []
    for index, column in enumerate(columns):
        values = list(map(itemgetter(index), rows))
        coltype = description[index][1] if description else None
        process = column.type.dialect_impl(dialect).result_processor(dialect, coltype)
        if process is None:
            converted.append(values)
            continue
        made = {v: None if v is None else process(v) for v in set(values)}
        converted.append(map(made.__getitem__, values))
    return list(zip(*converted, strict=True))
