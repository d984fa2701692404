"""Euro reference rate tables as text: the ECB's history file, or a table of one's own.

The ECB's `eurofxref-hist.csv` has a `Date` column and one column per currency (units of
the currency per EUR 1, "N/A" where none was published). A table of one's own has the
columns `date`, `currency` and `rate` in the same sense. Every cell is read right or the
file is refused naming its row and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

from ramstein.domain.errors import InputError
from ramstein.domain.money import DayRate

CURRENCY = re.compile(r"^[A-Z]{3}$")
OWN_COLUMNS = ("date", "currency", "rate")


def _rate(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(where, f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise InputError(where, f"{text!r} is not a positive rate")
    return value


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(where, f"{text!r} is not a date (YYYY-MM-DD)") from None


def parse_rates(rows: Iterable[list[str]]) -> list[DayRate]:
    """Day rates from CSV rows (header first), in either layout; InputError on a bad cell."""
    it = iter(rows)
    header = [h.strip() for h in next(it, [])]
    while header and header[-1] == "":
        header.pop()  # the ECB's file ends each line with a comma
    found: list[DayRate] = []
    if header[:1] == ["Date"]:
        currencies = header[1:]
        for cur in currencies:
            if not CURRENCY.match(cur):
                raise InputError("header", f"{cur!r} is not a currency code")
        for n, row in enumerate(it, start=2):
            if not any(cell.strip() for cell in row):
                continue
            day = _day(row[0].strip(), f"row {n}, Date")
            for cur, cell in zip(currencies, row[1:], strict=False):
                cell = cell.strip()
                if cell in ("", "N/A"):
                    continue
                found.append(DayRate(cur, day, _rate(cell, f"row {n}, {cur}")))
        return found
    lower = [h.lower() for h in header]
    missing = [c for c in OWN_COLUMNS if c not in lower]
    if missing:
        raise InputError(
            "header",
            f"missing column(s) {', '.join(missing)}: expected the ECB's Date,USD,... layout "
            "or date,currency,rate",
        )
    at = {c: lower.index(c) for c in OWN_COLUMNS}
    for n, row in enumerate(it, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in at.items()}
        cur = cells["currency"].upper()
        if not CURRENCY.match(cur):
            raise InputError(f"row {n}, currency", f"{cells['currency']!r} is not a currency code")
        if cur == "EUR":
            raise InputError(f"row {n}, currency", "EUR is the base: its rate is 1")
        found.append(
            DayRate(
                cur, _day(cells["date"], f"row {n}, date"), _rate(cells["rate"], f"row {n}, rate")
            )
        )
    return found
