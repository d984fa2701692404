"""Fair shares of a baseline, what each nation has counted, and its gap."""

from __future__ import annotations

from dataclasses import dataclass

from ramstein.domain.contributions import COUNTED_STATUSES, Contribution
from ramstein.domain.errors import InputError
from ramstein.domain.money import FxTable
from ramstein.domain.scenario import Scenario
from ramstein.shares.credit import check_flows, credited, flows
from ramstein.shares.keys import KEY_CURRENCY, indicator_eur, scenario_key


@dataclass(frozen=True)
class NationShare:
    """One nation's line of the shares document."""

    iso3: str
    name: str
    participating: bool
    key_share: float
    fair_share_eur: float
    counted_eur: float
    gap_eur: float
    counted_pct_of_gdp: float


@dataclass(frozen=True)
class SharesResult:
    """The `ramstein.shares/1` answer for one scenario."""

    baseline_eur: float
    uncovered_eur: float
    nations: tuple[NationShare, ...]

    def by_iso3(self) -> dict[str, NationShare]:
        """The nation lines keyed by ISO3."""
        return {n.iso3: n for n in self.nations}


def counts(contribution: Contribution, scenario: Scenario) -> bool:
    """Whether a contribution counts: dated in the period and contracted, shipped or delivered."""
    return (
        contribution.status in COUNTED_STATUSES
        and scenario.period_start <= contribution.date <= scenario.period_end
    )


def counted_eur(scenario: Scenario, fx: FxTable) -> dict[str, float]:
    """What each listed nation is credited with for the period, in EUR (each euro once)."""
    listed = [n.iso3 for n in scenario.nations]
    known = set(listed)
    for c in scenario.contributions:
        if c.donor not in known:
            raise InputError(f"contributions[{c.id}].donor", f"unknown nation {c.donor!r}")
    check_flows(scenario.contributions, fx, known, whole=not scenario.partial)
    return credited(flows(scenario.contributions, fx, lambda c: counts(c, scenario)), listed)


def baseline_eur(scenario: Scenario, fx: FxTable) -> float:
    """The baseline in EUR, converted at the rate of the period's first year."""
    return fx.convert(
        scenario.baseline_amount,
        scenario.baseline_currency,
        KEY_CURRENCY,
        scenario.period_start.year,
        field="baseline.currency",
    )


def compute_shares(scenario: Scenario) -> SharesResult:
    """Key shares, fair shares, counted amounts and gaps for every listed nation."""
    listed = [n.iso3 for n in scenario.nations]
    for iso3 in scenario.opt_out:
        if iso3 not in listed:
            raise InputError("opt_out", f"unknown nation {iso3!r}")
    if scenario.baseline_amount < 0:
        raise InputError("baseline.amount", "must not be negative")
    fx = scenario.fx_table()
    gdp = {n.iso3: indicator_eur(n, "gdp", scenario.key_year, fx) for n in scenario.nations}
    participants = [iso3 for iso3 in listed if iso3 not in scenario.opt_out]
    key = scenario_key(scenario, fx)
    shares = key.shares
    base = baseline_eur(scenario, fx)
    counted = counted_eur(scenario, fx)

    lines = []
    for nation in scenario.nations:
        participating = nation.iso3 in participants
        key_share = shares[nation.iso3] if participating else 0.0
        fair = key_share * base
        got = counted[nation.iso3]
        lines.append(
            NationShare(
                iso3=nation.iso3,
                name=nation.name,
                participating=participating,
                key_share=key_share,
                fair_share_eur=fair,
                counted_eur=got,
                gap_eur=fair - got,
                counted_pct_of_gdp=100.0 * got / gdp[nation.iso3] if gdp[nation.iso3] else 0.0,
            )
        )
    # Computed from the shares, not as base - assigned, which would leave float noise.
    uncovered = base * key.uncovered if key.uncovered else 0.0
    return SharesResult(baseline_eur=base, uncovered_eur=uncovered, nations=tuple(lines))


def pct_of_gdp(
    result: SharesResult, scenario: Scenario, indicator: str, year: int
) -> dict[str, float | None]:
    """Counted in % of GDP on another basis: `indicator` in `year` (in EUR); None without it.

    Kiel's rankings divide by 2021 GDP in EUR, where the pledge's key uses the year the
    scenario names; with this the two can be compared. A nation the basis does not cover
    has no figure (None), never a silent 0.
    """
    fx = scenario.fx_table()
    nations = {n.iso3: n for n in scenario.nations}
    found: dict[str, float | None] = {}
    for line in result.nations:
        nation = nations[line.iso3]
        if nation.indicator(indicator, year) is None:
            found[line.iso3] = None
            continue
        gdp = indicator_eur(nation, indicator, year, fx)
        found[line.iso3] = 100.0 * line.counted_eur / gdp if gdp else None
    return found
