"""Errors the domain raises for bad input, each naming the offending field and id."""

from __future__ import annotations

from datetime import date


class InputError(Exception):
    """Bad input: `field` names where (with the id of the list item), `message` what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


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
