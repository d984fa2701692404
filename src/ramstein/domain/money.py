"""Currency conversion with explicit rates: a missing rate is an error, never 1.0.

Two sources of rates: annual rates given by a scenario (`FxRate`), and a daily history of
euro reference rates (`DailyRates`, the ECB's since 1999). A scenario's `FxRule` picks the
rate a contribution converts at: the average of its year (the default, as NATO's annual
figures use) or the rate of its day.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ramstein.domain.errors import MissingRateError

# The ECB publishes no rates on weekends and TARGET holidays (at most four days in a row);
# a day further than this from the last published rate has none.
STALE_DAYS = 7


class FxRule(StrEnum):
    """Which rate converts a contribution: its year's average or its day's rate."""

    ANNUAL = "annual"
    DAILY = "daily"

    @property
    def label(self) -> str:
        """What the rule means, for the pages and the report."""
        if self is FxRule.DAILY:
            return "ECB euro reference rate of the contribution's day (or the last before it)"
        return "average of the ECB's daily euro reference rates in the contribution's year"


@dataclass(frozen=True)
class FxRate:
    """One unit of `source` is worth `rate` units of `target` in `year`."""

    source: str
    target: str
    year: int
    rate: float
    origin: str = ""


@dataclass(frozen=True)
class DayRate:
    """On `day`, EUR 1 was worth `rate` units of `currency` (the ECB's quotation)."""

    currency: str
    day: date
    rate: float


@dataclass(frozen=True, eq=False)
class DailyRates:
    """Daily euro reference rates per currency: units of the currency per EUR 1."""

    series: Mapping[str, tuple[tuple[date, ...], tuple[float, ...]]]
    origin: str = ""
    _means: dict[tuple[str, int], float | None] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, rates: Iterable[DayRate], origin: str = "") -> DailyRates:
        """Rates gathered by currency; a later rate for the same currency and day wins."""
        by: dict[str, dict[date, float]] = {}
        for r in rates:
            by.setdefault(r.currency, {})[r.day] = r.rate
        return cls(
            {
                cur: (tuple(sorted(days)), tuple(days[d] for d in sorted(days)))
                for cur, days in by.items()
            },
            origin,
        )

    def merged(self, newer: Iterable[DayRate], origin: str = "") -> DailyRates:
        """These rates with `newer` added (and replacing the same currency and day)."""
        by = {
            cur: dict(zip(days, values, strict=True)) for cur, (days, values) in self.series.items()
        }
        for r in newer:
            by.setdefault(r.currency, {})[r.day] = r.rate
        return DailyRates(
            {
                cur: (tuple(sorted(days)), tuple(days[d] for d in sorted(days)))
                for cur, days in by.items()
            },
            origin or self.origin,
        )

    @property
    def currencies(self) -> list[str]:
        """Every currency with a rate, EUR included."""
        return sorted({"EUR", *self.series})

    def bounds(self, currency: str) -> tuple[date, date] | None:
        """The first and last day with a rate for `currency`."""
        days = self.series.get(currency, ((), ()))[0]
        return (days[0], days[-1]) if days else None

    def exact(self, currency: str, day: date) -> float | None:
        """The rate published for exactly `day`, or None."""
        days, values = self.series.get(currency, ((), ()))
        i = bisect_right(days, day)
        return values[i - 1] if i and days[i - 1] == day else None

    def on(self, currency: str, day: date) -> float | None:
        """Units per EUR 1 on `day`: that day's rate or the last one before it, if recent."""
        if currency == "EUR":
            return 1.0
        days, values = self.series.get(currency, ((), ()))
        i = bisect_right(days, day)
        if i == 0 or (day - days[i - 1]).days > STALE_DAYS:
            return None
        return values[i - 1]

    def mean(self, currency: str, year: int) -> float | None:
        """Units per EUR 1 averaged over the year's published days (so far, for this year)."""
        if currency == "EUR":
            return 1.0
        key = (currency, year)
        if key not in self._means:
            days, values = self.series.get(currency, ((), ()))
            lo = bisect_right(days, date(year - 1, 12, 31))
            hi = bisect_right(days, date(year, 12, 31))
            self._means[key] = math.fsum(values[lo:hi]) / (hi - lo) if hi > lo else None
        return self._means[key]


class FxTable:
    """Annual rates in both directions, the inverse derived from each given rate.

    Given rates come first; a year or day they do not cover is converted through the daily
    history, when there is one, as the rule says.
    """

    def __init__(
        self,
        rates: Iterable[FxRate],
        history: DailyRates | None = None,
        rule: FxRule = FxRule.ANNUAL,
    ) -> None:
        self.rates = tuple(rates)
        self.history = history
        self.rule = rule
        self._table: dict[tuple[str, str, int], float] = {}
        for r in self.rates:
            self._table[(r.source, r.target, r.year)] = r.rate
            self._table.setdefault((r.target, r.source, r.year), 1.0 / r.rate)

    def _cross(self, per_eur_source: float | None, per_eur_target: float | None) -> float | None:
        if per_eur_source is None or per_eur_target is None:
            return None
        return per_eur_target / per_eur_source

    def rate(self, source: str, target: str, year: int, *, field: str) -> float:
        """The rate from `source` to `target` in `year`; raises MissingRateError naming `field`."""
        if source == target:
            return 1.0
        found = self._table.get((source, target, year))
        if found is None and self.history is not None:
            found = self._cross(self.history.mean(source, year), self.history.mean(target, year))
        if found is None:
            raise MissingRateError(field, source, target, year)
        return found

    def rate_on(
        self, source: str, target: str, day: date, *, field: str, rule: FxRule | None = None
    ) -> float:
        """The rate for a contribution dated `day`, by the table's rule (or the one given)."""
        if (rule or self.rule) is FxRule.ANNUAL or source == target:
            return self.rate(source, target, day.year, field=field)
        found = None
        if self.history is not None:
            found = self._cross(self.history.on(source, day), self.history.on(target, day))
        if found is None:
            raise MissingRateError(field, source, target, day.year, day=day)
        return found

    def convert(self, amount: float, source: str, target: str, year: int, *, field: str) -> float:
        """`amount` of `source` expressed in `target` at the `year` rate."""
        return amount * self.rate(source, target, year, field=field)

    def convert_on(
        self, amount: float, source: str, target: str, day: date, *, field: str
    ) -> float:
        """`amount` of `source` dated `day` expressed in `target`, by the table's rule."""
        return amount * self.rate_on(source, target, day, field=field)

    def check(self, currency: str, day: date, *, field: str, target: str = "EUR") -> None:
        """Raises MissingRateError unless `currency` on `day` converts under either rule.

        A stored row must convert whichever rule a scenario picks later, so that no row
        can make a shared figure fail.
        """
        for rule in FxRule:
            self.rate_on(currency, target, day, field=field, rule=rule)
