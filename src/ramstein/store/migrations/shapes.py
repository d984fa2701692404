"""The table shapes the migrations share: columns written as `name type`, tables, indexes.

A revision lists a table's columns in one string, in order, each as `name type`, separated
by commas; a type ending in `?` is nullable, every other column is NOT NULL:

    shapes.create(
        "fx_rates",
        "id int, source str3, target str3, year int, rate float, origin str200",
        unique=("source", "target", "year"),
    )

| type | SQLAlchemy type |
| --- | --- |
| `int` | `Integer()` |
| `float` | `Float()` |
| `bool` | `Boolean()` |
| `date` | `Date()` |
| `datetime` | `DateTime(timezone=True)` |
| `json` | `JSON()` |
| `text` | `Text()` |
| `strN` | `String(length=N)`, e.g. `str3` for an ISO code, `str200` for an id or a name |

A column with a server default is written out as `sa.Column(...)` where it is added.

This module never imports `ramstein.store.models` (nor anything that does): a revision is
a fixed record of one step of the schema, and must build the same tables when the models
change later. A released revision's schema never changes, so neither may what a shape here
means: give a new meaning a new name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op

_TYPES: dict[str, Callable[[], sa.types.TypeEngine[Any]]] = {
    "int": sa.Integer,
    "float": sa.Float,
    "bool": sa.Boolean,
    "date": sa.Date,
    "datetime": lambda: sa.DateTime(timezone=True),
    "json": sa.JSON,
    "text": sa.Text,
}
_COLUMN = re.compile(r"(?P<name>\w+) (?P<type>\w+)(?P<nullable>\?)?")
_STRING = re.compile(r"str(?P<length>[1-9][0-9]*)")


def column(spec: str) -> sa.Column[Any]:
    """A fresh column from `name type` (see the module's table); `?` makes it nullable."""
    found = _COLUMN.fullmatch(spec.strip())
    if found is None:
        raise ValueError(f"column {spec!r}: write it as 'name type' or 'name type?'")
    kind = found["type"]
    string = _STRING.fullmatch(kind)
    if string is not None:
        type_: sa.types.TypeEngine[Any] = sa.String(length=int(string["length"]))
    elif kind in _TYPES:
        type_ = _TYPES[kind]()
    else:
        raise ValueError(f"column {found['name']}: unknown type {kind!r}")
    return sa.Column(found["name"], type_, nullable=found["nullable"] is not None)


def columns(specs: str) -> list[sa.Column[Any]]:
    """Fresh columns from `name type, name type, ...`, in the order written."""
    return [column(spec) for spec in specs.split(",")]


def create(
    table: str,
    specs: str,
    *,
    refers: Mapping[str, str] | None = None,
    unique: tuple[str, ...] = (),
    key: tuple[str, ...] = ("id",),
) -> None:
    """Create `table` with the columns of `specs`, then an unnamed foreign key for each
    `column: "table.column"` of `refers` (in that order), an unnamed unique constraint over
    `unique` if given, and the primary key over `key`: the `id` column unless said."""
    items: list[sa.schema.SchemaItem] = list(columns(specs))
    items += [sa.ForeignKeyConstraint([col], [target]) for col, target in (refers or {}).items()]
    if unique:
        items.append(sa.UniqueConstraint(*unique))
    op.create_table(table, *items, sa.PrimaryKeyConstraint(*key))


def drop(*tables: str) -> None:
    """Drop `tables`, in the order given (a table before those its rows refer to)."""
    for table in tables:
        op.drop_table(table)


def index_name(table: str, *cols: str) -> str:
    """The name every plain index of the schema has: `ix_<table>_<column>_<column>...`."""
    return "_".join(("ix", table, *cols))


def index(table: str, *cols: str) -> None:
    """Create the plain (neither unique nor partial) index of `table` over `cols`."""
    op.create_index(index_name(table, *cols), table, list(cols))


def unindex(table: str, *cols: str) -> None:
    """Drop the index that `index(table, *cols)` created."""
    op.drop_index(index_name(table, *cols), table_name=table)
