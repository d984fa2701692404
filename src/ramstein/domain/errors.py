"""Errors for bad input, each naming the offending field and id; an import's rejected rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


class InputError(Exception):
    """Bad input: `field` names where (with the id of the list item), `message` what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def check_unique(
    ids: Iterable[str], field: str, message: str = "named twice", *, suffix: str = ""
) -> None:
    """Raise InputError at `field[id]<suffix>` for the first id listed a second time."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise InputError(f"{field}[{i}]{suffix}", message)
        seen.add(i)


class MissingRateError(InputError):
    """No FX rate converts `currency` to the target currency in `year`."""

    def __init__(
        self, field: str, source: str, target: str, year: int, *, day: date | None = None
    ) -> None:
        when = f"on {day.isoformat()}" if day is not None else f"for {year}"
        super().__init__(field, f"no FX rate {source}->{target} {when}")
        self.source = source
        self.target = target
        self.year = year
        self.day = day


@dataclass(frozen=True)
class RowError:
    """What is wrong with one cell of one row."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.reason}"


class ImportRejected(Exception):
    """Some rows are bad; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


def reject_any(errors: list[RowError]) -> None:
    """Raise ImportRejected with every error, by row then column, if there is any."""
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))
