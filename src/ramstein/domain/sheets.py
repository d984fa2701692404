"""What an imported sheet holds: each kind's columns, and a data row with its row number.

The column lists are the import formats (templates are written from them, headers checked
against them); a row keeps the spreadsheet row number it came from so that errors point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ramstein.domain.contributions import Category, Channel, Status, Visibility
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


TEMPLATES: dict[str, tuple[Column, ...]] = {
    "contributions": (
        Column("id", "your stable reference for the row (re-imports update it)", "DEU-2025-0001"),
        Column("donor", "ISO3 code of the nation giving", "DEU"),
        Column("amount", "in the currency below; empty when no figure is known", "125000000"),
        Column("currency", "ISO 4217 code", "EUR"),
        Column("date", "YYYY-MM-DD", "2025-03-14"),
        Column("category", "one of the pledge's seven", "in_kind", _values(Category)),
        Column("status", "lifecycle status", "delivered", _values(Status)),
        Column("visibility", "who may see the row", "public", _values(Visibility)),
        Column("channel", "how it travels", "bilateral", _values(Channel)),
        Column("recipient", "ISO3 code", "UKR"),
        Column("funders", "who paid, if not the donor alone: ISO3:share ...", ""),
        Column("parent", "id of the flow whose money this passes on", ""),
        Column("source", "where the figure comes from", "Ministry press release"),
        Column("description", "what it is", "IRIS-T SLM fire unit"),
    ),
    "offers": (
        Column("id", "your stable reference for the offer", "OFF-DEU-001"),
        Column("donor", "ISO3 code of the nation offering", "DEU"),
        Column("item", "catalog item id", "PATRIOT_LAUNCHER"),
        Column("quantity", "whole units", "2"),
        Column("available_from", "YYYY-MM-DD, empty if now", "2025-04-01"),
        Column("visibility", "who may see the offer", "alliance", _values(Visibility)),
        Column("note", "anything the planners should know", ""),
    ),
    "requirements": (
        Column("id", "stable reference", "UKR-EXAMPLE-1"),
        Column("item", "catalog item id", "PATRIOT_BATTERY"),
        Column("quantity", "whole units", "7"),
        Column("priority", "higher is more urgent", "100"),
        Column("needed_by", "YYYY-MM-DD, empty if open", ""),
        Column("substitutes", "other acceptable item ids, space separated", ""),
        Column("note", "context", ""),
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
