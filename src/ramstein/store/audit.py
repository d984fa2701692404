"""Every write to the store appends an audit record, in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from ramstein.domain.audit import GENESIS, AuditRecord, chain_hash, digest
from ramstein.store.context import WRITE_OPTION
from ramstein.store.models import AuditRow, IdempotencyRow, JobRow, TokenRow

# Bookkeeping rows that are not facts of the ledger: not audited themselves.
UNAUDITED = (AuditRow, IdempotencyRow, JobRow, TokenRow)

# PostgreSQL: a transaction-scoped advisory lock orders the chain's appends. SQLite has one
# writer per file: holding its write lock (across processes) orders them.
_LOCK_KEY = 0x52414D53  # "RAMS"


def _values(obj: Any, *, before: bool) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if before and history.deleted:
            values[attr.key] = history.deleted[0]
        else:
            values[attr.key] = getattr(obj, attr.key)
    return values


def _identity(obj: Any) -> str:
    keys = inspect(obj).mapper.primary_key
    return ",".join(str(getattr(obj, k.key)) for k in keys) or "?"


def _head(session: Session) -> str:
    """The chain's last hash, taking the chain lock for this transaction first."""
    if "audit_head" not in session.info:
        bind = session.get_bind()
        if bind.dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        elif not session.connection().get_execution_options().get(WRITE_OPTION, False):
            # A transaction begun for reading: a write that changes nothing takes the
            # file's write lock now, before the head is read.
            session.execute(text("UPDATE audit_records SET id = id WHERE 0 = 1"))
        last = session.scalar(select(AuditRow.hash).order_by(AuditRow.id.desc()).limit(1))
        session.info["audit_head"] = last or GENESIS
    head: str = session.info["audit_head"]
    return head


def _record(session: Session, action: str, obj: Any, before: str, after: str) -> None:
    at = datetime.now(UTC).replace(microsecond=0)
    actor = str(session.info.get("actor", "system"))
    entity = obj.__tablename__
    entity_id = _identity(obj)
    prev = _head(session)
    hashed = chain_hash(prev, at, actor, action, entity, entity_id, before, after)
    session.add(
        AuditRow(
            at=at,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before_digest=before,
            after_digest=after,
            prev_hash=prev,
            hash=hashed,
        )
    )
    session.info["audit_head"] = hashed


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        if session.new or session.dirty or session.deleted:
            session.info["wrote"] = True
            # Take the chain lock before this transaction writes anything at all, so two
            # writers never wait on each other's locks in opposite order.
            _head(session)
        for obj in list(session.new):
            if not isinstance(obj, UNAUDITED):
                session.info.setdefault("audit_pending", []).append(obj)
        for obj in list(session.dirty):
            if isinstance(obj, UNAUDITED) or not session.is_modified(obj):
                continue
            _record(
                session,
                "update",
                obj,
                digest(_values(obj, before=True)),
                digest(_values(obj, before=False)),
            )
        for obj in list(session.deleted):
            if not isinstance(obj, UNAUDITED):
                _record(session, "delete", obj, digest(_values(obj, before=True)), "")


def _after_flush(session: Session, _context: Any) -> None:
    # New rows are recorded once flushed, when their generated keys are known.
    pending = session.info.pop("audit_pending", [])
    with session.no_autoflush:
        for obj in pending:
            _record(session, "create", obj, "", digest(_values(obj, before=False)))


def _release(session: Session, transaction: Any) -> None:
    if transaction.parent is not None:
        return
    session.info.pop("audit_head", None)
    session.info.pop("audit_pending", None)


def install(sessions: sessionmaker[Session]) -> None:
    """Audit every write made through sessions of this factory."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush_postexec", _after_flush)
    event.listen(sessions, "after_transaction_end", _release)


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


def record_bulk(session: Session, action: str, entity: str, entity_id: str, after: str) -> None:
    """One chained audit record for a bulk write made without ORM objects (an import)."""
    at = datetime.now(UTC).replace(microsecond=0)
    actor = str(session.info.get("actor", "system"))
    prev = _head(session)
    hashed = chain_hash(prev, at, actor, action, entity, entity_id, "", after)
    session.add(
        AuditRow(
            at=at,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before_digest="",
            after_digest=after,
            prev_hash=prev,
            hash=hashed,
        )
    )
    session.info["audit_head"] = hashed
