"""Reading and building many records at once: values converted once, no cycle collector."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Container, Iterator, Sequence
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
                _settle_as_old()
                gc.enable()


def _settle_as_old() -> None:
    """Move every object the collector tracks into its oldest generation, without a pass.

    Turned back on, the collector would find everything made in the block in its youngest
    generation and walk it all at the next few allocations, then again one generation up
    (a tenth of a 50,000-row import). What a block makes is mostly kept (the records it
    built) or freed already by reference counting; cycles among the rest wait for the next
    whole-heap pass, which Python runs when enough survivors have piled up. freeze()
    followed by unfreeze() is the standard library's way of moving the lists in one step.
    """
    gc.freeze()
    gc.unfreeze()


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
    result = connection.execute(_bare(query))
    cursor = result.cursor
    description = cursor.description if cursor is not None else None
    # The driver's own tuples: SQLAlchemy's Row objects would cost as much as the conversion.
    rows = cursor.fetchall() if cursor is not None else []
    result.close()
    if not rows:
        return []
    return _converted(rows, _processors(connection, columns, description))


def read_rows_in_parts(
    connection: Connection,
    query: Select[*tuple[Any, ...]],
    *,
    size: int,
    key_at: int,
    wanted: Container[Any],
) -> Iterator[list[tuple[Any, ...]]]:
    """``read_rows`` for a big query, ``size`` rows fetched at a time, keeping only the rows
    whose column ``key_at`` (as the driver gives it: an id, a text) is one of ``wanted``.

    Rows left out are never converted; each part's distinct values are converted once.
    """
    columns = list(query.selected_columns)
    result = connection.execute(_bare(query))
    cursor = result.cursor
    try:
        if cursor is None:
            return
        processors = _processors(connection, columns, cursor.description)
        while part := cursor.fetchmany(size):
            kept = [row for row in part if row[key_at] in wanted]
            if kept:
                yield _converted(kept, processors)
    finally:
        result.close()


def _bare(query: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """The query with no result processing: its columns come back as the driver gives them."""
    return query.with_only_columns(*(type_coerce(c, NullType()) for c in query.selected_columns))


def _processors(
    connection: Connection, columns: list[Any], description: Any
) -> list[Callable[[Any], Any] | None]:
    """Each column's result processor for this dialect and driver column (None: as it is)."""
    dialect = connection.dialect
    return [
        column.type.dialect_impl(dialect).result_processor(
            dialect, description[index][1] if description else None
        )
        for index, column in enumerate(columns)
    ]


def _converted(
    rows: Sequence[Any], processors: list[Callable[[Any], Any] | None]
) -> list[tuple[Any, ...]]:
    """The driver's rows with each column's distinct values put through its processor once."""
    converted: list[Any] = []
    for index, process in enumerate(processors):
        values = list(map(itemgetter(index), rows))
        if process is None:
            converted.append(values)
            continue
        made = {v: None if v is None else process(v) for v in set(values)}
        converted.append(map(made.__getitem__, values))
    return list(zip(*converted, strict=True))
