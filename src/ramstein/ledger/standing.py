"""Every nation's standing under the store's current scenario, with what-ifs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ramstein.domain.errors import InputError
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.shares.fair import SharesResult, compute_shares
from ramstein.store import repositories as repo


@dataclass(frozen=True)
class Standing:
    """Shares of a scenario, and of the base case when a what-if changed it."""

    scenario: Scenario
    result: SharesResult
    base: SharesResult | None


def what_if_shares(
    scenario: Scenario,
    *,
    without: tuple[str, ...] = (),
    baseline_eur: float | None = None,
    mode: OptOutShare | None = None,
) -> Standing:
    """Shares of `scenario` changed by the what-ifs, beside the base case when they differ."""
    if baseline_eur is not None and baseline_eur < 0:
        raise InputError("baseline", "must not be negative")
    listed = {n.iso3 for n in scenario.nations}
    for iso3 in without:
        if iso3 not in listed:
            raise InputError("without", f"unknown nation {iso3!r}")
    changed = scenario.what_if(without=without, baseline_eur=baseline_eur, mode=mode)
    result = compute_shares(changed)
    base = compute_shares(scenario) if changed != scenario else None
    return Standing(scenario=changed, result=result, base=base)


def current_scenario(
    session: Session, *, condensed: bool = False, year: int | None = None
) -> Scenario:
    """The store's current scenario; an empty store is an error that says what to do.

    `condensed` sums counting contributions in the database: for shares at any ledger size.
    `year` picks a pledge period (one of the scenario's, when it sets them).
    """
    scenario = repo.current_scenario(session, condensed=condensed)
    if scenario is None:
        raise InputError("scenario", "the store has none; run `ramstein load washington-2024`")
    if year is None:
        return scenario
    check_period(scenario, year)
    return repo.current_scenario(session, condensed=condensed, year=year) or scenario


def check_period(scenario: Scenario, year: int) -> None:
    """InputError unless `year` is one of the scenario's pledge periods (any year if none)."""
    if scenario.periods and year not in scenario.period_years:
        years = ", ".join(str(y) for y in scenario.period_years)
        raise InputError("year", f"{year} is not a pledge period of {scenario.name!r} ({years})")
