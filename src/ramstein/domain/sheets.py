"""What an imported sheet holds: each kind's columns, and a data row with its row number.

The column lists are the import formats (templates are written from them, headers checked
against them); a row keeps the spreadsheet row number it came from so that errors point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ramstein.domain.contribution_schema import ENUMS, FIELDS
from ramstein.domain.contributions import Visibility
from ramstein.domain.errors import InputError


@dataclass(frozen=True)
class Column:
    """A template column: its field name, what it holds, an example and any fixed choices."""

    name: str
    help: str
    example: str
    choices: tuple[str, ...] = ()


def _values(kind: type[Any]) -> tuple[str, ...]:
    return tuple(v.value for v in kind)


# What each of the contribution record's fields holds, and an example of it.
_CONTRIBUTION_HELP = {
    "id": ("your stable reference for the row (re-imports update it)", "DEU-2025-0001"),
    "donor": ("ISO3 code of the nation giving", "DEU"),
    "amount": ("in the currency below; empty when no figure is known", "125000000"),
    "currency": ("ISO 4217 code", "EUR"),
    "date": ("YYYY-MM-DD", "2025-03-14"),
    "category": ("one of the pledge's seven", "in_kind"),
    "status": ("lifecycle status", "delivered"),
    "visibility": ("who may see the row", "public"),
    "channel": ("how it travels", "bilateral"),
    "recipient": ("ISO3 code", "UKR"),
    "funders": ("who paid, if not the donor alone: ISO3:share ...", ""),
    "parent": ("id of the flow whose money this passes on", ""),
    "source": ("where the figure comes from", "Ministry press release"),
    "description": ("what it is", "IRIS-T SLM fire unit"),
}


def _contribution_column(name: str) -> Column:
    """The record's field `name` as a column; an enum's values are its choices."""
    choices = _values(ENUMS[name]) if name in ENUMS else ()
    return Column(name, *_CONTRIBUTION_HELP[name], choices)


TEMPLATES: dict[str, tuple[Column, ...]] = {
    "contributions": tuple(_contribution_column(name) for name in FIELDS),
    "offers": (
        Column("id", "your stable reference for the offer", "OFF-DEU-001"),
        Column("donor", "ISO3 code of the nation offering", "DEU"),
        Column("item", "catalog item id", "PATRIOT_LAUNCHER"),
        Column("quantity", "whole units", "2"),
        Column("available_from", "YYYY-MM-DD, empty if now", "2025-04-01"),
        Column("visibility", "who may see the offer", "alliance", _values(Visibility)),
        Column("note", "anything the planners should know", ""),
        Column("coalition", "capability coalition id; needed for visibility coalition", ""),
    ),
    "requirements": (
        Column("id", "stable reference", "UKR-EXAMPLE-1"),
        Column("item", "catalog item id", "PATRIOT_BATTERY"),
        Column("quantity", "whole units", "7"),
        Column("priority", "higher is more urgent", "100"),
        Column("needed_by", "YYYY-MM-DD, empty if open", ""),
        Column("substitutes", "other acceptable item ids, space separated", ""),
        Column("note", "context", ""),
        Column("coalition", "capability coalition id, empty if none", ""),
    ),
}


def columns(kind: str) -> tuple[Column, ...]:
    """The template columns of a kind; an unknown kind is bad input."""
    if kind not in TEMPLATES:
        raise InputError("kind", f"is one of {', '.join(TEMPLATES)}, not {kind!r}")
    return TEMPLATES[kind]


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet row number and its cells by header (strings)."""

    number: int
    cells: dict[str, str]
