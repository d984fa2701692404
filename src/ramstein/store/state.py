"""The digest of a stored row's state, the same whether computed from a row just written
or from the row read back later (so that `audit verify` can re-hash the store)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from operator import call, itemgetter
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

    def digester(
        self, order: Sequence[str], fixed: Mapping[str, Any] | None = None
    ) -> Callable[[Sequence[Any]], str]:
        """`digest` for many rows written in bulk: each row a sequence of the values of the
        columns `order` names, in that order, every other column's value the same for all
        (`fixed`; None where not given there).

        The digest is the same as `digest` of the same values by name (the test holds it),
        but no dict is made per row: each column's canonical form is bound once, and the
        fixed columns' text is made once, into a template the varying ones fill.
        """
        fixed = fixed or {}
        unknown = [name for name in (*order, *fixed) if name not in self.names]
        if unknown or not order or set(order) & set(fixed):
            raise ValueError(f"{self.table.name}: cannot digest rows of {list(order)}")
        position = {name: i for i, name in enumerate(order)}
        pieces: list[str] = []
        picks: list[int] = []
        canons: list[Canon] = []
        for name, canon in self.columns:
            if name in position:
                pieces.append("%s")
                picks.append(position[name])
                canons.append(canon)
            else:  # its canonical text once, its % doubled for the template
                pieces.append(canon(fixed.get(name)).replace("%", "%%"))
        template = self.prefix.replace("%", "%%") + "\x1f".join(pieces)
        pick = itemgetter(*picks) if len(picks) > 1 else (lambda row: (row[picks[0]],))
        sha256 = hashlib.sha256

        def digest(row: Sequence[Any]) -> str:
            text = template % tuple(map(call, canons, pick(row)))
            return sha256(text.encode()).hexdigest()

        return digest

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
