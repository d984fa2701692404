"""Withdrawal resilience: who must add what if one participant walks away."""

from __future__ import annotations

from dataclasses import dataclass

from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.shares.fair import SharesResult, compute_shares


@dataclass(frozen=True)
class Taker:
    """What one remaining participant must add: more fair share, and more still to give."""

    iso3: str
    extra_fair_share_eur: float
    extra_gap_eur: float


@dataclass(frozen=True)
class Exit:
    """The effect of one participant's withdrawal on the others."""

    iso3: str
    name: str
    fair_share_eur: float
    shifted_eur: float  # fair share moved onto the others
    extra_gap_eur: float  # what the others must still give beyond what they have counted
    uncovered_eur: float  # what nobody may take (ceilings)
    takers: tuple[Taker, ...]


def _outstanding(gap: float) -> float:
    return max(gap, 0.0)


def withdrawal(scenario: Scenario, base: SharesResult, iso3: str) -> Exit:
    """The others' extra load if `iso3` withdraws and the baseline is to stay covered."""
    after = compute_shares(scenario.what_if(without=(iso3,), mode=OptOutShare.REDISTRIBUTE))
    before = base.by_iso3()
    takers = []
    for line in after.nations:
        if not line.participating:
            continue
        old = before[line.iso3]
        takers.append(
            Taker(
                iso3=line.iso3,
                extra_fair_share_eur=line.fair_share_eur - old.fair_share_eur,
                extra_gap_eur=_outstanding(line.gap_eur) - _outstanding(old.gap_eur),
            )
        )
    takers.sort(key=lambda t: (-t.extra_fair_share_eur, t.iso3))
    leaving = before[iso3]
    return Exit(
        iso3=iso3,
        name=leaving.name,
        fair_share_eur=leaving.fair_share_eur,
        shifted_eur=sum(t.extra_fair_share_eur for t in takers),
        extra_gap_eur=sum(t.extra_gap_eur for t in takers),
        uncovered_eur=after.uncovered_eur,
        takers=tuple(takers),
    )


def resilience(scenario: Scenario) -> list[Exit]:
    """Every participant's withdrawal in turn, the heaviest load shifted first.

    Withdrawals are computed with the baseline redistributed (the pledge stays whole), from
    the scenario as it stands: its other opt-outs stay out.
    """
    base = compute_shares(scenario.what_if(mode=OptOutShare.REDISTRIBUTE))
    exits = [withdrawal(scenario, base, line.iso3) for line in base.nations if line.participating]
    exits.sort(key=lambda e: (-e.shifted_eur, -e.extra_gap_eur, e.iso3))
    return exits
