"""Nations and their indicator series (GDP, GNI, population) by year."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class NationGroup(StrEnum):
    """Where a nation stands towards the pledge."""

    ALLY = "ally"
    PARTNER = "partner"
    RECIPIENT = "recipient"
    INSTITUTION = "institution"  # the EU institutions, the European Peace Facility
    OTHER = "other"  # any other donor a tracker names


UNIT_FACTORS: dict[str, float] = {"": 1.0, "m": 1e6, "bn": 1e9}


@dataclass(frozen=True)
class IndicatorValue:
    """One year's value of an indicator: `amount` in `unit` ("", "m", "bn") of `currency`."""

    amount: float
    currency: str = ""
    unit: str = ""
    source: str = ""

    @property
    def ones(self) -> float:
        """The amount in ones of its currency (units expanded)."""
        return self.amount * UNIT_FACTORS[self.unit]


@dataclass(frozen=True)
class Nation:
    """A nation: ISO3 code, name, group and indicator series keyed by indicator then year."""

    iso3: str
    name: str
    group: NationGroup = NationGroup.ALLY
    indicators: dict[str, dict[int, IndicatorValue]] = field(default_factory=dict)

    def indicator(self, name: str, year: int) -> IndicatorValue | None:
        """The value of indicator `name` in `year`, or None when the series lacks it."""
        return self.indicators.get(name, {}).get(year)
