"""Ukraine's own production as a source of supply: capacity per maker, item and month.

A capacity is what a Ukrainian maker can build if someone pays for it (the Danish model).
It enters the match as offers of the recipient's own industry, available from the
month's first day; the units a match plan draws from it are its funding requirement:
units x unit price, money a donor would pay through channel `domestic_production`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from ramstein.domain.contributions import Visibility
from ramstein.domain.errors import InputError
from ramstein.domain.items import Offer
from ramstein.domain.plans import MatchPlan
from ramstein.domain.types import join_id

PRODUCER = "UKR"  # the nation whose industry builds: the recipient itself
PREFIX = "UKR-PROD"


@dataclass(frozen=True)
class Capacity:
    """`units` of `item` a Ukrainian `maker` can build in `month`, at `unit_price` each."""

    maker: str
    item: str
    month: date  # the month's first day
    units: int
    unit_price: float
    currency: str = "EUR"
    source: str = ""

    @property
    def id(self) -> str:
        """The capacity's id, also its offer's: `UKR-PROD:MAKER:ITEM:2025-11`."""
        return join_id(PREFIX, self.maker, self.item, f"{self.month:%Y-%m}")

    def check(self) -> None:
        """Units, price and month are usable; raises InputError naming the field."""
        field = f"capacities[{self.id}]"
        if self.month.day != 1:
            raise InputError(f"{field}.month", "is a month: its first day")
        if not 1991 <= self.month.year <= 2100:
            raise InputError(f"{field}.month", "must lie in 1991-2100")
        if self.units <= 0:
            raise InputError(f"{field}.units", "must be a positive integer")
        if not (math.isfinite(self.unit_price) and self.unit_price >= 0):
            raise InputError(f"{field}.unit_price", "must be an amount, zero or more")


def check_all(capacities: list[Capacity]) -> None:
    """Every capacity is sound and named once."""
    seen: set[str] = set()
    for c in capacities:
        c.check()
        if c.id in seen:
            raise InputError(f"capacities[{c.id}]", "named twice")
        seen.add(c.id)


def offers(capacities: list[Capacity]) -> list[Offer]:
    """Each capacity as an offer of Ukraine's industry, available from its month."""
    return [
        Offer(
            id=c.id,
            donor=PRODUCER,
            item=c.item,
            quantity=c.units,
            available_from=c.month,
            visibility=Visibility.ALLIANCE,  # the recipient's industry: for allies, not all
            note=f"Ukrainian production by {c.maker}, {c.month:%Y-%m}; needs funding: "
            f"{c.unit_price:,.0f} {c.currency} a unit",
        )
        for c in capacities
    ]


@dataclass(frozen=True)
class FundingNeed:
    """What a match plan draws from one capacity, and the money that takes."""

    capacity: Capacity
    planned_units: int

    @property
    def amount(self) -> float:
        """The funding requirement: planned units x unit price, in the capacity's currency."""
        return self.planned_units * self.capacity.unit_price


def funding_needs(capacities: list[Capacity], plan: MatchPlan | None) -> list[FundingNeed]:
    """Each capacity's planned units in `plan` (none without a plan) and their price."""
    drawn: dict[str, int] = {}
    if plan is not None:
        for line in plan.requirements:
            for s in line.sources:
                drawn[s.offer] = drawn.get(s.offer, 0) + s.quantity
    return [FundingNeed(c, drawn.get(c.id, 0)) for c in capacities]
