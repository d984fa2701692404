"""The column and table shapes the migrations share, so that each revision names only its own.

Every function returns fresh objects (a Column or Constraint belongs to one table) and says
exactly which SQL type, nullability and default it stands for: a revision built from these
creates the same schema as one written out with `sa.Column(...)`.

This module never imports `ramstein.store.models` (nor anything that does): a migration is
a fixed record of one step of the schema, and must produce the same tables when the models
change later. Change a shape here only if every revision that uses it is meant to change,
which for a released revision is never: add a new shape instead.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

# The length of an id, a name or a place: the catalog's and the ledger's identifiers.
NAME_LENGTH = 200


def string(name: str, length: int = NAME_LENGTH, *, nullable: bool = False) -> sa.Column[Any]:
    """VARCHAR(`length`), an id, a name or a place unless a length is given."""
    return sa.Column(name, sa.String(length=length), nullable=nullable)


def iso(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """VARCHAR(3): a nation's ISO3 code or a currency's ISO 4217 code."""
    return sa.Column(name, sa.String(length=3), nullable=nullable)


def word(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """VARCHAR(20): one of a few fixed values (a status, a kind, a visibility, a role)."""
    return sa.Column(name, sa.String(length=20), nullable=nullable)


def digest(name: str) -> sa.Column[Any]:
    """VARCHAR(64), not null: a SHA-256 in hex (a digest, a hash, a public key)."""
    return sa.Column(name, sa.String(length=64), nullable=False)


def text(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """TEXT: free text of any length (a note, a source, a reason)."""
    return sa.Column(name, sa.Text(), nullable=nullable)


def integer(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """INTEGER."""
    return sa.Column(name, sa.Integer(), nullable=nullable)


def number(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """FLOAT: an amount, a rate or a share."""
    return sa.Column(name, sa.Float(), nullable=nullable)


def flag(name: str) -> sa.Column[Any]:
    """BOOLEAN, not null."""
    return sa.Column(name, sa.Boolean(), nullable=False)


def day(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """DATE."""
    return sa.Column(name, sa.Date(), nullable=nullable)


def moment(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """TIMESTAMP WITH TIME ZONE (DATETIME on SQLite)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def document(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """JSON."""
    return sa.Column(name, sa.JSON(), nullable=nullable)


def stamp(at: str = "at") -> tuple[sa.Column[Any], sa.Column[Any]]:
    """When and by whom a row was written: `at` (a moment) and `actor` (a name), not null."""
    return moment(at), string("actor")


def refers(column: str, target: str) -> sa.ForeignKeyConstraint:
    """An unnamed foreign key from `column` to `target` ("table.column")."""
    return sa.ForeignKeyConstraint([column], [target])


def unique(*columns: str) -> sa.UniqueConstraint:
    """An unnamed unique constraint over `columns`."""
    return sa.UniqueConstraint(*columns)


def create(
    table: str, *items: sa.Column[Any] | sa.Constraint, key: tuple[str, ...] = ("id",)
) -> None:
    """`op.create_table` with `items` (columns, then foreign keys and unique constraints, in
    the order given) and a primary key over `key`, the `id` column unless said otherwise."""
    op.create_table(table, *items, sa.PrimaryKeyConstraint(*key))


def drop(*tables: str) -> None:
    """Drop `tables`, in the order given (a table before those its rows refer to)."""
    for table in tables:
        op.drop_table(table)


def index_name(table: str, *columns: str) -> str:
    """The name every plain index of the schema has: `ix_<table>_<column>_<column>...`."""
    return "_".join(("ix", table, *columns))


def index(table: str, *columns: str) -> None:
    """Create the plain (not unique, not partial) index of `table` over `columns`."""
    op.create_index(index_name(table, *columns), table, list(columns))


def unindex(table: str, *columns: str) -> None:
    """Drop the index `index(table, *columns)` created."""
    op.drop_index(index_name(table, *columns), table_name=table)
