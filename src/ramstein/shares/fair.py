"""Fair shares of a baseline, what each nation has counted, and its gap."""

from __future__ import annotations

from dataclasses import dataclass

from ramstein.domain.contributions import COUNTED_STATUSES, Contribution
from ramstein.domain.errors import InputError
from ramstein.domain.money import FxTable
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.shares.keys import KEY_CURRENCY, indicator_eur, key_shares


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
    """Whether a contribution counts: dated in the period and contracted or delivered."""
    return (
        contribution.status in COUNTED_STATUSES
        and scenario.period_start <= contribution.date <= scenario.period_end
    )


def counted_eur(scenario: Scenario, fx: FxTable) -> dict[str, float]:
    """What each listed nation's counting contributions add up to, in EUR."""
    listed = {n.iso3 for n in scenario.nations}
    totals = dict.fromkeys(listed, 0.0)
    for c in scenario.contributions:
        if c.donor not in listed:
            raise InputError(f"contributions[{c.id}].donor", f"unknown nation {c.donor!r}")
        if not counts(c, scenario) or c.amount is None:
            continue
        totals[c.donor] += fx.convert(
            c.amount, c.currency, KEY_CURRENCY, c.date.year, field=f"contributions[{c.id}].currency"
        )
    return totals


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
    fx = FxTable(scenario.fx)
    gdp = {n.iso3: indicator_eur(n, "gdp", scenario.key_year, fx) for n in scenario.nations}
    weights = (
        gdp
        if scenario.key_indicator == "gdp"
        else {
            n.iso3: indicator_eur(n, scenario.key_indicator, scenario.key_year, fx)
            for n in scenario.nations
        }
    )
    participants = [iso3 for iso3 in listed if iso3 not in scenario.opt_out]
    redistribute = scenario.opt_out_share is OptOutShare.REDISTRIBUTE
    shares = key_shares(weights, participants if redistribute else listed)
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
    if not any(shares[iso3] > 0 for iso3 in participants):
        uncovered = base
    elif redistribute:
        uncovered = 0.0
    else:
        uncovered = base * sum(shares[iso3] for iso3 in scenario.opt_out)
    return SharesResult(baseline_eur=base, uncovered_eur=uncovered, nations=tuple(lines))
