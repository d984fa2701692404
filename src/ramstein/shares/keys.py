"""Burden-sharing keys: turn each nation's indicator into a key share.

A key is built in four steps, each a pure function: the indicator of each nation in EUR
(one year or the mean of a base period), an optional capacity-to-pay adjustment, the
shares of the group, and optional floors and ceilings. With none of the optional steps
the shares are the indicator over the group's total, computed exactly as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ramstein.domain.errors import InputError
from ramstein.domain.money import FxTable
from ramstein.domain.nations import Nation
from ramstein.domain.scenario import OptOutShare, Scenario

KEY_CURRENCY = "EUR"
DEFAULT_GRADIENT = 0.8  # the UN scale of assessments' low per capita income gradient
INCOME_INDICATORS = ("gdp", "gni")


def indicator_eur(nation: Nation, indicator: str, year: int, fx: FxTable) -> float:
    """The nation's `indicator` for `year` in EUR (ones), converted at that year's rate."""
    value = nation.indicator(indicator, year)
    field = f"nations[{nation.iso3}].{indicator}.{year}"
    if value is None:
        raise InputError(field, f"no {indicator} value for {year}")
    if not value.currency or value.currency == KEY_CURRENCY:
        return value.ones
    return fx.convert(value.ones, value.currency, KEY_CURRENCY, year, field=f"{field}.currency")


def mean_indicator_eur(nation: Nation, indicator: str, years: Sequence[int], fx: FxTable) -> float:
    """The mean of the nation's indicator over `years`, each year at its own rate."""
    if len(years) == 1:
        return indicator_eur(nation, indicator, years[0], fx)
    return math.fsum(indicator_eur(nation, indicator, y, fx) for y in years) / len(years)


def key_shares(
    weights: Mapping[str, float], denominator: Sequence[str], *, exact: bool = False
) -> dict[str, float]:
    """Each nation's weight over the total weight of `denominator`; zero when the total is zero.

    `exact` sums with math.fsum, which does not depend on the nations' order. The plain key
    keeps the running sum it always had, so that its results stay identical to the digit.
    """
    total = (math.fsum if exact else sum)(weights[iso3] for iso3 in denominator)
    if total <= 0:
        return dict.fromkeys(weights, 0.0)
    return {iso3: w / total for iso3, w in weights.items()}


def capacity_adjusted(
    income: Mapping[str, float],
    population: Mapping[str, float],
    participants: Sequence[str],
    gradient: float = DEFAULT_GRADIENT,
) -> dict[str, float]:
    """Incomes after a capacity-to-pay adjustment in the manner of the UN scale.

    A participant whose income per head is below the participants' average (their total
    income over their total population) has its income reduced by `gradient` times its
    relative shortfall: income x gradient x (1 - per_head / average). The relief is carried
    by the participants above the average, pro rata to their income, so the participants'
    total is unchanged. Others pass through untouched.
    """
    if not 0 <= gradient <= 1:
        raise InputError("key.capacity.gradient", f"must lie in [0, 1], not {gradient}")
    for iso3 in participants:
        if population[iso3] <= 0:
            raise InputError(f"nations[{iso3}].population", "must be positive for capacity")
    total_income = math.fsum(income[i] for i in participants)
    total_population = math.fsum(population[i] for i in participants)
    adjusted = dict(income)
    if total_income <= 0:
        return adjusted
    average = total_income / total_population
    relief = {}
    for iso3 in participants:
        per_head = income[iso3] / population[iso3]
        if per_head < average:
            relief[iso3] = income[iso3] * gradient * (1 - per_head / average)
    carriers = [i for i in participants if income[i] / population[i] > average]
    carried = math.fsum(income[i] for i in carriers)
    total_relief = math.fsum(relief.values())
    for iso3, amount in relief.items():
        adjusted[iso3] = income[iso3] - amount
    for iso3 in carriers:
        adjusted[iso3] = income[iso3] + total_relief * income[iso3] / carried
    return adjusted


@dataclass(frozen=True)
class Clamped:
    """Shares after floors and ceilings, and the part no participant may take."""

    shares: dict[str, float]
    uncovered: float


def clamp_shares(
    shares: Mapping[str, float], floor: float | None, ceiling: float | None
) -> Clamped:
    """Hold every share within [floor, ceiling], spreading the difference pro rata.

    The rule is the stable point of: clamp the shares outside the bounds, spread the freed
    (or missing) share over the unclamped participants in proportion to their shares, and
    repeat. Here it is found directly: the scale factor s with
    sum(clamp(s x share)) = total, which is monotone in s, located between the breakpoints
    where a share meets a bound. The answer does not depend on the order of the input.
    When every share at the ceiling still falls short of the total, all take the ceiling and
    the rest is `uncovered`; floors that add up to more than the total are an error.
    """
    low = 0.0 if floor is None else floor
    high = math.inf if ceiling is None else ceiling
    if low < 0 or high < low:
        raise InputError("key.floor", f"floor {floor} and ceiling {ceiling} do not make a range")
    if all(low <= s <= high for s in shares.values()):
        return Clamped(dict(shares), 0.0)
    total = math.fsum(shares.values())
    n = len(shares)
    if n * low > total * (1 + 1e-12):
        raise InputError("key.floor", f"{n} participants x floor {low} exceed the whole key")
    if n * high <= total:
        return Clamped(dict.fromkeys(shares, high), total - n * high)

    def clamped(scale: float) -> float:
        return math.fsum(min(max(scale * s, low), high) for s in shares.values())

    points = sorted(
        {0.0}
        | {b / s for s in shares.values() if s > 0 for b in (low, high) if math.isfinite(b / s)}
    )
    top = points[-1]
    if clamped(top) < total:
        # Only nations with a zero indicator are left below the ceiling: they keep the floor.
        at_top = {k: min(max(top * s, low), high) for k, s in shares.items()}
        return Clamped(at_top, total - math.fsum(at_top.values()))
    # The first breakpoint at which the clamped total reaches the total bounds the segment.
    lo_i, hi_i = 0, len(points) - 1
    while hi_i - lo_i > 1:
        mid = (lo_i + hi_i) // 2
        if clamped(points[mid]) >= total:
            hi_i = mid
        else:
            lo_i = mid
    lower, upper = points[lo_i], points[hi_i]
    probe = (lower + upper) / 2
    fixed: list[float] = []
    free: list[float] = []
    for s in shares.values():
        v = probe * s
        if v <= low:
            fixed.append(low)
        elif v >= high:
            fixed.append(high)
        else:
            free.append(s)
    free_total = math.fsum(free)
    scale = upper if free_total == 0 else (total - math.fsum(fixed)) / free_total
    return Clamped({k: min(max(scale * s, low), high) for k, s in shares.items()}, 0.0)


@dataclass(frozen=True)
class Key:
    """Key shares of every listed nation and the share of the baseline left uncovered."""

    shares: dict[str, float]
    uncovered: float


def scenario_key(scenario: Scenario, fx: FxTable) -> Key:
    """The key of a scenario: its indicator, base period, capacity rule, floor and ceiling."""
    listed = [n.iso3 for n in scenario.nations]
    participants = [iso3 for iso3 in listed if iso3 not in scenario.opt_out]
    years = scenario.base_years
    weights = {
        n.iso3: mean_indicator_eur(n, scenario.key_indicator, years, fx) for n in scenario.nations
    }
    if scenario.key_gradient is not None:
        if scenario.key_indicator not in INCOME_INDICATORS:
            raise InputError("key.capacity", "needs an income indicator (gdp or gni)")
        population = {
            n.iso3: mean_indicator_eur(n, "population", years, fx)
            for n in scenario.nations
            if n.iso3 in participants
        }
        weights = capacity_adjusted(weights, population, participants, scenario.key_gradient)
    redistribute = scenario.opt_out_share is OptOutShare.REDISTRIBUTE
    ruled = (
        len(years) > 1
        or scenario.key_gradient is not None
        or scenario.key_floor is not None
        or scenario.key_ceiling is not None
    )
    shares = key_shares(weights, participants if redistribute else listed, exact=ruled)
    if not any(shares[iso3] > 0 for iso3 in participants):
        return Key(shares, 1.0)
    opted_out = (
        0.0 if redistribute else (math.fsum if ruled else sum)(shares[i] for i in scenario.opt_out)
    )
    if scenario.key_floor is None and scenario.key_ceiling is None:
        return Key(shares, opted_out)
    held = clamp_shares(
        {iso3: shares[iso3] for iso3 in participants}, scenario.key_floor, scenario.key_ceiling
    )
    return Key(shares | held.shares, opted_out + held.uncovered)
