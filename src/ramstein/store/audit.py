"""Every write to the store appends an audit record, in the same transaction.

Each record carries the digest of the entity's state after the write (`store.state`), so
that `verify_state` can re-hash the stored rows against the last record of each. Rows a
bulk import writes are recorded together: one record whose digest is the Merkle root of
one leaf per row, the leaves kept beside it. Writes to audited tables are only possible
through this path: a statement that changes one outside a flush or a bulk import is
refused (`guard`). When migrations change an existing store, one baseline record of the
same form attests every audited row as found (`record_baseline`): the earlier records
digest rows by an older schema (or, before 0015, not at all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sqlalchemy import Connection, Engine, Table, event, func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from ramstein.domain.audit import GENESIS, AuditRecord, chain_hash
from ramstein.store.context import AUDITED_WRITE, WRITE_OPTION, begin, write_context
from ramstein.store.models import (
    AuditCheckpointRow,
    AuditLeafRow,
    AuditRow,
    Base,
    ContributionSumRow,
    IdempotencyRow,
    JobRow,
    TokenRow,
)
from ramstein.store.state import Shape, leaf, merkle_root

if TYPE_CHECKING:
    import psycopg

# Bookkeeping rows that are not facts of the ledger: not audited themselves. The monthly
# sums are derived from the contributions (and re-derived on every write).
UNAUDITED = (AuditRow, AuditLeafRow, AuditCheckpointRow, IdempotencyRow, JobRow, TokenRow)
DERIVED = (ContributionSumRow,)
_LOCK_KEY = 0x52414D53  # "RAMS"
# The action of the record that attests the state as found when a store is upgraded.
BASELINE = "baseline"
UPGRADE_ACTOR = "ramstein upgrade"
_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


class UnauditedWrite(Exception):
    """A statement tried to change an audited table outside the audited write path."""


@cache
def audited_tables() -> dict[str, Shape]:
    """Every audited table by name, with how its rows are digested."""
    skip = {m.__tablename__ for m in (*UNAUDITED, *DERIVED)}
    return {
        name: Shape(table)
        for name, table in Base.metadata.tables.items()
        if name not in skip and isinstance(table, Table)
    }


def _values(obj: Any) -> dict[str, Any]:
    """An ORM row's column values by column name, as they are now."""
    mapper = inspect(obj).mapper
    return {attr.columns[0].name: getattr(obj, attr.key) for attr in mapper.column_attrs}


def _values_before(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        values[attr.columns[0].name] = (
            history.deleted[0] if history.deleted else getattr(obj, attr.key)
        )
    return values


def _shape(obj: Any) -> Shape:
    return audited_tables()[obj.__tablename__]


def _head(session: Session) -> str:
    """The chain's last hash, taking the chain's lock for this transaction first."""
    context = write_context(session)
    if context.head is None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        elif not session.connection().get_execution_options().get(WRITE_OPTION, False):
            # A transaction begun for reading: a write that changes nothing takes the
            # file's write lock now, before the head is read.
            session.execute(text("UPDATE audit_records SET id = id WHERE 0 = 1"))
        last = session.scalar(select(AuditRow.hash).order_by(AuditRow.id.desc()).limit(1))
        context.head = last or GENESIS
    return context.head


def lock(session: Session) -> None:
    """Take the chain's lock for this transaction (before assigning keys in bulk)."""
    _head(session)


def _append(
    session: Session, action: str, entity: str, entity_id: str, before: str, after: str
) -> AuditRow:
    at = datetime.now(UTC).replace(microsecond=0)
    context = write_context(session)
    prev = _head(session)
    hashed = chain_hash(prev, at, context.actor, action, entity, entity_id, before, after)
    row = AuditRow(
        at=at,
        actor=context.actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before_digest=before,
        after_digest=after,
        prev_hash=prev,
        hash=hashed,
    )
    session.add(row)
    context.head = hashed
    return row


def _audited(obj: Any) -> bool:
    return not isinstance(obj, (*UNAUDITED, *DERIVED))


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    context = write_context(session)
    with session.no_autoflush:
        if not (session.new or session.dirty or session.deleted):
            return
        context.wrote = True
        # Take the chain's lock before this transaction writes anything at all, so that
        # two writers never wait on each other's locks in opposite order.
        _head(session)
        session.connection().info[AUDITED_WRITE] = True
        context.pending.extend(o for o in session.new if _audited(o))
        for obj in list(session.dirty):
            if _audited(obj) and session.is_modified(obj):
                context.updated.append((obj, _shape(obj).digest(_values_before(obj))))
        for obj in list(session.deleted):
            if _audited(obj):
                shape = _shape(obj)
                values = _values_before(obj)
                _append(
                    session,
                    "delete",
                    shape.table.name,
                    shape.identity(values),
                    shape.digest(values),
                    "",
                )


def _after_flush(session: Session, _context: Any) -> None:
    # Created and updated rows are recorded once flushed: their keys and versions are
    # then the ones stored.
    context = write_context(session)
    pending, updated = context.pending, context.updated
    context.pending, context.updated = [], []
    with session.no_autoflush:
        for obj in pending:
            shape, values = _shape(obj), _values(obj)
            _append(
                session,
                "create",
                shape.table.name,
                shape.identity(values),
                "",
                shape.digest(values),
            )
        for obj, before in updated:
            shape, values = _shape(obj), _values(obj)
            _append(
                session,
                "update",
                shape.table.name,
                shape.identity(values),
                before,
                shape.digest(values),
            )
    session.connection().info.pop(AUDITED_WRITE, None)


def _refuse_unaudited(
    connection: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    found = _WRITE.match(statement)
    if found is None or connection.info.get(AUDITED_WRITE):
        return
    table = found.group(1).lower()
    if table in audited_tables():
        raise UnauditedWrite(
            f"store: {table} is audited; write it through the ORM or an audited bulk import"
        )


def _release(session: Session, transaction: Any) -> None:
    # The chain's head and lock are the transaction's: forget them when it ends.
    if transaction.parent is None:
        context = write_context(session)
        context.head = None
        context.pending, context.updated = [], []


def install(sessions: sessionmaker[Session]) -> None:
    """Audit every write made through sessions of this factory."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush_postexec", _after_flush)
    event.listen(sessions, "after_transaction_end", _release)


def _forget_permission(_dbapi_connection: Any, record: Any) -> None:
    # Connection.info lives with the pooled connection: a failed flush must not leave
    # the permission behind for the next user of the connection.
    record.info.pop(AUDITED_WRITE, None)


def guard(engine: Engine) -> None:
    """Refuse statements that change audited tables outside the audited path."""
    event.listen(engine, "before_cursor_execute", _refuse_unaudited)
    event.listen(engine, "checkin", _forget_permission)


@contextmanager
def bulk_write(session: Session) -> Iterator[Connection]:
    """The connection, allowed to write audited tables directly for a recorded bulk write."""
    connection = session.connection()
    connection.info[AUDITED_WRITE] = True
    try:
        yield connection
    finally:
        connection.info.pop(AUDITED_WRITE, None)


class Leaf(NamedTuple):
    """One row of a bulk write: its table, identity and state digest."""

    entity: str
    entity_id: str
    digest: str


LeafValues = tuple[str, str, str]
"""A leaf as (entity, entity_id, digest): a `Leaf`, or the plain tuple a bulk import makes
two of a row (cheaper by a microsecond each at a million rows)."""


def record_bulk(
    session: Session, action: str, entity: str, leaves: Sequence[LeafValues]
) -> AuditRow:
    """One chained record for rows written in bulk: the Merkle root over one leaf per row,
    the leaves kept (by position) so each row can be verified on its own."""
    root = merkle_root([leaf(*x) for x in leaves])
    row = _append(session, action, entity, f"{len(leaves)} rows", "", root)
    _keep_leaves(session, row, leaves)
    return row


def record_baseline(session: Session, since: str, to: str) -> AuditRow:
    """One chained record attesting every audited row as found: taken when an existing
    store is migrated (from revision `since` to `to`), whose rows the earlier records no
    longer digest the way this schema does. It attests the state then, not its history;
    `verify_state` checks the rows against it and what was recorded after it."""
    leaves = [
        Leaf(name, entity_id, digest)
        for name, shape in audited_tables().items()
        for entity_id, digest in shape.rows(session)
    ]
    root = merkle_root([leaf(x.entity, x.entity_id, x.digest) for x in leaves])
    # The entity names the upgrade; the id ends in "rows" as every bulk record's does.
    label = f"upgrade {since} to {to}"[:60]
    row = _append(session, BASELINE, label, f"state as found, {len(leaves)} rows", "", root)
    _keep_leaves(session, row, leaves)
    return row


def baseline_at_upgrade(connection: Connection, since: str, to: str) -> None:
    """Write the baseline record in the migrations' own transaction on `connection`."""
    session = Session(bind=connection)
    begin(session, UPGRADE_ACTOR)
    record_baseline(session, since, to)
    session.flush()


def _keep_leaves(session: Session, row: AuditRow, leaves: Sequence[LeafValues]) -> None:
    session.flush()
    write_context(session).wrote = True
    connection = session.connection()
    rows = ((row.id, k, *x) for k, x in enumerate(leaves))
    columns = "audit_id, position, entity, entity_id, digest"
    if connection.dialect.name == "postgresql":
        # COPY: a million leaves in one stream (the driver's own, as the import's rows).
        raw = cast("psycopg.Connection[Any]", connection.connection.dbapi_connection)
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY audit_leaves ({columns}) FROM STDIN") as copy,
        ):
            for values in rows:
                copy.write_row(values)
    else:
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        statement = f"INSERT INTO audit_leaves ({columns}) VALUES ({', '.join([mark] * 5)})"
        while chunk := list(islice(rows, 5000)):
            connection.exec_driver_sql(statement, chunk)


def last_baseline(chain: Iterable[AuditRecord]) -> AuditRecord | None:
    """The chain's latest baseline record (the state as found at an upgrade), if any."""
    found = None
    for r in chain:
        if r.action == BASELINE:
            found = r
    return found


def records(session: Session) -> list[AuditRecord]:
    """The audit chain, oldest first."""
    return [
        AuditRecord(
            r.id,
            r.at,
            r.actor,
            r.action,
            r.entity,
            r.entity_id,
            r.before_digest,
            r.after_digest,
            r.prev_hash,
            r.hash,
        )
        for r in session.scalars(select(AuditRow).order_by(AuditRow.id))
    ]


def revision(session: Session) -> int:
    """The id of the last audit record: it changes with every write to the store."""
    return session.scalar(select(func.max(AuditRow.id))) or 0


@dataclass(frozen=True)
class Finding:
    """A stored row that does not match the chain: changed, deleted or never recorded."""

    entity: str
    entity_id: str
    problem: str

    def __str__(self) -> str:
        return f"{self.entity} {self.entity_id}: {self.problem}"


def _expected(session: Session, chain: Iterable[AuditRecord]) -> dict[tuple[str, str], str]:
    """The state digest each entity should have: from the last record that wrote it."""
    expected: dict[tuple[str, str], str] = {}
    bulk = {r.id for r in chain if r.entity_id.endswith(" rows") and r.before_digest == ""}
    leaves: dict[int, list[AuditLeafRow]] = {}
    for x in session.scalars(
        select(AuditLeafRow).order_by(AuditLeafRow.audit_id, AuditLeafRow.position)
    ):
        leaves.setdefault(x.audit_id, []).append(x)
    for r in chain:
        if r.action == BASELINE:
            # The state as found at an upgrade replaces everything recorded before it.
            expected.clear()
        if r.id in leaves:
            for x in leaves[r.id]:
                expected[(x.entity, x.entity_id)] = x.digest
        elif r.id in bulk or r.entity not in audited_tables():
            continue
        elif r.action == "delete":
            expected.pop((r.entity, r.entity_id), None)
        else:
            expected[(r.entity, r.entity_id)] = r.after_digest
    return expected


def broken_bulk(session: Session, chain: Iterable[AuditRecord]) -> AuditRecord | None:
    """The first bulk record whose kept leaves no longer give its Merkle root."""
    leaves: dict[int, list[str]] = {}
    for x in session.scalars(
        select(AuditLeafRow).order_by(AuditLeafRow.audit_id, AuditLeafRow.position)
    ):
        leaves.setdefault(x.audit_id, []).append(leaf(x.entity, x.entity_id, x.digest))
    for r in chain:
        if r.id in leaves and merkle_root(leaves[r.id]) != r.after_digest:
            return r
    return None


def verify_state(session: Session, chain: list[AuditRecord]) -> list[Finding]:
    """Every stored row of every audited table re-hashed against the chain's last record
    of it: rows changed, deleted or added outside the audited path, in table order."""
    expected = _expected(session, chain)
    findings: list[Finding] = []
    for name, shape in audited_tables().items():
        wanted = {eid: d for (entity, eid), d in expected.items() if entity == name}
        for entity_id, digest in shape.rows(session):
            want = wanted.pop(entity_id, None)
            if want is None:
                findings.append(Finding(name, entity_id, "stored but never recorded"))
            elif want != digest:
                findings.append(Finding(name, entity_id, "changed outside the audit"))
        findings.extend(Finding(name, eid, "deleted outside the audit") for eid in sorted(wanted))
    return findings
