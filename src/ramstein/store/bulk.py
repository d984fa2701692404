"""New contributions and their first events written in bulk, with keys assigned here.

COPY on PostgreSQL, the driver's own executemany on SQLite, each value converted once by its
column's own processor: SQLAlchemy's per-row parameter handling would cost more than the
inserts themselves (a million rows is a normal national ledger export).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from ramstein.domain.contribution_schema import STORED
from ramstein.domain.contributions import Contribution
from ramstein.store import audit, sums
from ramstein.store.models import ContributionEventRow, ContributionRow
from ramstein.store.repositories import column_values

if TYPE_CHECKING:
    import psycopg

Tick = Callable[[int], None]
# SQLite's page cache while a bulk write runs (2 MB by default): a million rows' random
# inserts into the indexes would otherwise spill dirty pages, and sync the journal, again
# and again before the commit. Pages are taken only as needed; the size is put back after.
BULK_CACHE_KIB = 512 * 1024
BULK = 5000
EVENT_COLUMNS = ["id", "contribution_id", "at", "actor", "from_status", "to_status", "reason"]
CONTRIBUTION_COLUMNS = ["id", "external_id", "status", "version", *STORED]


def _copy(
    connection: Connection,
    table_name: str,
    cols: list[str],
    rows: Iterator[tuple[Any, ...]],
    tick: Tick | None,
) -> None:
    """Rows into a PostgreSQL table by COPY, in this transaction: one stream, no statements."""
    raw = cast("psycopg.Connection[Any]", connection.connection.dbapi_connection)
    n = 0
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table_name} ({', '.join(cols)}) FROM STDIN") as copy,
    ):
        for n, row in enumerate(rows, start=1):
            copy.write_row(row)
            if tick is not None and n % BULK == 0:
                tick(BULK)
        if tick is not None and n % BULK:
            tick(n % BULK)


def _executemany(
    connection: Connection,
    table_name: str,
    cols: list[str],
    rows: Iterator[tuple[Any, ...]],
    tick: Tick | None,
) -> None:
    """Rows into a table by the driver's executemany, BULK rows a statement."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    marks = ", ".join([mark] * len(cols))
    insert = f"INSERT INTO {table_name} ({', '.join(cols)}) VALUES ({marks})"
    while chunk := list(islice(rows, BULK)):
        connection.exec_driver_sql(insert, chunk)
        if tick is not None:
            tick(len(chunk))


def _processors(connection: Connection) -> list[tuple[int, Callable[[Any], Any]]]:
    """The columns of `CONTRIBUTION_COLUMNS` whose values the driver needs converted, by
    position, with their converters."""
    dialect = connection.dialect
    found: list[tuple[int, Callable[[Any], Any]]] = []
    for i, name in enumerate(CONTRIBUTION_COLUMNS):
        column_type = ContributionRow.__table__.c[name].type
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            found.append((i, process))
    return found


@contextmanager
def roomy_cache(session: Session) -> Iterator[None]:
    """On SQLite, a page cache of up to BULK_CACHE_KIB for the block (its size before is
    put back after); elsewhere nothing."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")


def insert_contributions(
    session: Session,
    new: list[Contribution],
    *,
    now: datetime,
    actor: str,
    reason: str,
    tick: Tick | None,
) -> list[audit.LeafValues]:
    """Insert new contributions (parents before their flows) and their first events;
    returns the audit leaf of every row written, for the caller's `audit.record_bulk`.

    Keys can be assigned here because every writer holds the audit chain's lock (the
    caller takes it by `audit.lock` before this runs); PostgreSQL's sequences are moved
    past them after.
    """
    connection = session.connection()
    dialect = connection.dialect
    first = (session.scalar(select(func.max(ContributionRow.id))) or 0) + 1
    first_event = (session.scalar(select(func.max(ContributionEventRow.id))) or 0) + 1
    leaves: list[audit.LeafValues] = []
    statuses = [c.status.value for c in new]
    contribution_rows = _contribution_rows(
        connection, new, statuses, first, first_event, now, actor, reason, leaves
    )
    at_type = ContributionEventRow.__table__.c.at.type.dialect_impl(dialect)
    at = (at_type.bind_processor(dialect) or (lambda v: v))(now)
    event_rows = (
        (first_event + k, first + k, at, actor, None, status, reason)
        for k, status in enumerate(statuses)
    )
    write = _copy if dialect.name == "postgresql" else _executemany
    with audit.bulk_write(session):
        write(connection, "contributions", CONTRIBUTION_COLUMNS, contribution_rows, tick)
        write(connection, "contribution_events", EVENT_COLUMNS, event_rows, None)
    sums.touch(
        session,
        {(c.donor, c.date.year, c.date.month) for c in new},
        {c.parent for c in new if c.parent is not None},
    )
    # Fresh statistics, or the planner takes a million new rows for an empty table.
    if dialect.name == "sqlite":
        # Sampled statistics (a few thousand rows an index) serve the planner as well as a
        # full scan, which takes over half a second a million rows.
        connection.exec_driver_sql("PRAGMA analysis_limit=2000")
    connection.exec_driver_sql("ANALYZE contributions")
    connection.exec_driver_sql("ANALYZE contribution_events")
    if dialect.name == "postgresql":
        for name in ("contributions", "contribution_events"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            )
    return leaves


def _contribution_rows(
    connection: Connection,
    new: list[Contribution],
    statuses: list[str],
    first: int,
    first_event: int,
    now: datetime,
    actor: str,
    reason: str,
    leaves: list[audit.LeafValues],
) -> Iterator[tuple[Any, ...]]:
    """Each new contribution's row in `CONTRIBUTION_COLUMNS` as the driver takes it, as it
    is written; appends to `leaves` the audit leaf (state digest) of the row and of its
    first event, computed from the values as the rows will hold them.

    Each value is made once: the digest is taken from the row's values before the driver's
    converters change them (as `Shape.digest` takes them from the database), the first
    event's from its three columns that vary (`Shape.digester`).
    """
    shapes = audit.audited_tables()
    row_digest = shapes["contributions"].digester(CONTRIBUTION_COLUMNS)
    event_digest = shapes["contribution_events"].digester(
        ("id", "contribution_id", "to_status"),
        {"at": now, "actor": actor, "from_status": None, "reason": reason},
    )
    processors = _processors(connection)
    add = leaves.append
    for k, (c, status) in enumerate(zip(new, statuses, strict=True)):
        key, event_key = first + k, first_event + k
        values = [key, c.id, status, 1, *column_values(c)]
        add(("contributions", str(key), row_digest(values)))
        add(("contribution_events", str(event_key), event_digest((event_key, key, status))))
        for i, process in processors:
            if values[i] is not None:
                values[i] = process(values[i])
        yield tuple(values)
