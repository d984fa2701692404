"""A burden-sharing scenario: baseline, period, key, opt-outs, nations, FX and contributions."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from ramstein.domain.contributions import Contribution
from ramstein.domain.money import DailyRates, FxRate, FxRule, FxTable
from ramstein.domain.nations import Nation


class OptOutShare(StrEnum):
    """What happens to opted-out nations' portions of the baseline."""

    REDISTRIBUTE = "redistribute"
    UNCOVERED = "uncovered"


@dataclass(frozen=True)
class Scenario:
    """Everything `shares` needs; `nations` are the listed nations in their given order."""

    name: str
    baseline_amount: float
    baseline_currency: str
    period_start: date
    period_end: date
    key_indicator: str
    key_year: int
    nations: tuple[Nation, ...]
    opt_out: tuple[str, ...] = ()
    opt_out_share: OptOutShare = OptOutShare.REDISTRIBUTE
    fx: tuple[FxRate, ...] = ()
    contributions: tuple[Contribution, ...] = field(default=())
    key_years: tuple[int, ...] = ()  # a base period whose mean is the key; () is key_year alone
    key_floor: float | None = None  # no participant's share below this fraction
    key_ceiling: float | None = None  # nor above this one
    key_gradient: float | None = None  # capacity-to-pay relief; None is no adjustment
    fx_rule: FxRule = FxRule.ANNUAL  # which rate converts a contribution: its year's or its day's
    fx_history: DailyRates | None = None  # daily euro reference rates beside the annual `fx`
    periods: tuple[tuple[int, int], ...] = ()  # pledge periods: (calendar year, key's GDP year)

    def fx_table(self) -> FxTable:
        """The scenario's rates: its annual ones, then the daily history, by its rule."""
        return FxTable(self.fx, self.fx_history, self.fx_rule)

    @property
    def base_years(self) -> tuple[int, ...]:
        """The years whose mean indicator makes the key."""
        return self.key_years or (self.key_year,)

    def for_period(self, year: int) -> Scenario:
        """A copy covering calendar year `year`, keyed by that period's year where one is set."""
        key_year = dict(self.periods).get(year, self.key_year)
        return replace(
            self,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            key_year=key_year,
            key_years=self.key_years if key_year == self.key_year else (),
        )

    @property
    def period_years(self) -> tuple[int, ...]:
        """The pledge periods' calendar years (the scenario's own year when none are set)."""
        return tuple(y for y, _ in self.periods) or (self.period_start.year,)

    def what_if(
        self,
        *,
        without: tuple[str, ...] = (),
        baseline_eur: float | None = None,
        mode: OptOutShare | None = None,
    ) -> Scenario:
        """A copy with withdrawals added to the opt-outs, a new baseline (EUR) or another mode."""
        changed = self
        if without:
            opt_out = self.opt_out + tuple(n for n in without if n not in self.opt_out)
            changed = replace(changed, opt_out=opt_out)
        if baseline_eur is not None:
            changed = replace(changed, baseline_amount=baseline_eur, baseline_currency="EUR")
        if mode is not None:
            changed = replace(changed, opt_out_share=mode)
        return changed
