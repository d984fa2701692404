"""The digest of a stored row's state, the same whether computed from a row just written
or from the row read back later (so that `audit verify` can re-hash the store)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Table, select
from sqlalchemy.orm import Session

Canon = Callable[[Any], Any]


def _text(value: Any) -> str:
    return "\x00" if value is None else str(value)


def _datetime(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, str):  # a driver that hands back text
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value.isoformat())


def _date(value: Any) -> str:
    return "\x00" if value is None else str(value.isoformat())


def _float(value: Any) -> str:
    return "\x00" if value is None else repr(float(value))


def _int(value: Any) -> str:
    return "\x00" if value is None else str(int(value))


def _bool(value: Any) -> str:
    return "\x00" if value is None else ("T" if value else "F")


def _json(value: Any) -> str:
    return "\x00" if value is None else json.dumps(value, separators=(",", ":"), sort_keys=True)


def _canon_of(column_type: Any) -> Canon:
    # Each type as its database hands it back: floats as floats, times in UTC.
    if isinstance(column_type, DateTime):
        return _datetime
    if isinstance(column_type, Date):
        return _date
    if isinstance(column_type, Float):
        return _float
    if isinstance(column_type, Boolean):
        return _bool
    if isinstance(column_type, Integer):
        return _int
    if isinstance(column_type, JSON):
        return _json
    return _text


class Shape:
    """How one table's rows are digested: its columns in order and their canonical forms.

    A row's digest is SHA-256 over the table's name and each column's canonical text,
    separated by a unit separator: cheap enough for a million rows in a bulk import.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self.names = [c.name for c in table.columns]
        self.columns = list(
            zip(self.names, (_canon_of(c.type) for c in table.columns), strict=True)
        )
        self.keys = [c.name for c in table.primary_key.columns]
        self.prefix = table.name + "\x1e"

    def digest(self, values: dict[str, Any]) -> str:
        """SHA-256 of a row's values (by column name) in canonical form."""
        get = values.get
        text = self.prefix + "\x1f".join([canon(get(name)) for name, canon in self.columns])
        return hashlib.sha256(text.encode()).hexdigest()

    def identity(self, values: dict[str, Any]) -> str:
        """The row's primary key as the audit names it."""
        return ",".join(str(values.get(k)) for k in self.keys) or "?"

    def rows(self, session: Session) -> Iterator[tuple[str, str]]:
        """(identity, digest) of every stored row."""
        for row in session.execute(select(self.table)).mappings():
            values = dict(row)
            yield self.identity(values), self.digest(values)


def leaf(entity: str, entity_id: str, digest: str) -> str:
    """The Merkle leaf of one row written in bulk: its digest, which already covers the
    table's name and every column, the keys included (entity and id are kept beside it
    only to name the row)."""
    return digest


def merkle_root(leaves: list[str]) -> str:
    """The Merkle root over leaf hashes (an odd one out is paired with itself)."""
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [bytes.fromhex(h) for h in leaves]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0].hex()
