"""Currency conversion with explicit annual FX rates: a missing rate is an error, never 1.0."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ramstein.domain.errors import MissingRateError


@dataclass(frozen=True)
class FxRate:
    """One unit of `source` is worth `rate` units of `target` in `year`."""

    source: str
    target: str
    year: int
    rate: float
    origin: str = ""


class FxTable:
    """Annual rates in both directions, the inverse derived from each given rate."""

    def __init__(self, rates: Iterable[FxRate]) -> None:
        self.rates = tuple(rates)
        self._table: dict[tuple[str, str, int], float] = {}
        for r in self.rates:
            self._table[(r.source, r.target, r.year)] = r.rate
            self._table.setdefault((r.target, r.source, r.year), 1.0 / r.rate)

    def rate(self, source: str, target: str, year: int, *, field: str) -> float:
        """The rate from `source` to `target` in `year`; raises MissingRateError naming `field`."""
        if source == target:
            return 1.0
        try:
            return self._table[(source, target, year)]
        except KeyError:
            raise MissingRateError(field, source, target, year) from None

    def convert(self, amount: float, source: str, target: str, year: int, *, field: str) -> float:
        """`amount` of `source` expressed in `target` at the `year` rate."""
        return amount * self.rate(source, target, year, field=field)
