"""The review cycle over the store: snapshots recorded, periods reviewed, credit reported."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ramstein.domain.scenario import Scenario
from ramstein.ledger.standing import current_scenario
from ramstein.shares.credit import Flow, check_flows, flows
from ramstein.shares.fair import counts
from ramstein.shares.review import Review, Snapshot, cutoff, figures, review
from ramstein.store import snapshots


def _names(scenario: Scenario) -> dict[str, str]:
    return {n.iso3: n.name for n in scenario.nations}


def period_year(scenario: Scenario, year: int | None) -> int:
    """The year asked for, or the current scenario's own period."""
    return scenario.period_start.year if year is None else year


def take_snapshot(session: Session, year: int | None, label: str, actor: str) -> Snapshot:
    """Freeze period `year`'s figures as counted up to the half-year's last day."""
    scenario = current_scenario(session)
    year = period_year(scenario, year)
    frozen = figures(scenario, year, cutoff(year, label))
    snapshots.save_snapshot(session, year, label, frozen, actor)
    return next(
        s
        for s in snapshots.list_snapshots(session, _names(scenario))
        if s.year == year and s.label == label
    )


def review_of(session: Session, year: int | None) -> Review:
    """Period `year`'s table now, beside its last snapshot, with every restatement."""
    scenario = current_scenario(session)
    taken = snapshots.list_snapshots(session, _names(scenario))
    return review(scenario, period_year(scenario, year), taken)


def split_credit(scenario: Scenario) -> list[Flow]:
    """Every flow of the period whose credit does not go wholly to its donor."""
    fx = scenario.fx_table()
    check_flows(scenario.contributions, fx, {n.iso3 for n in scenario.nations})
    return [f for f in flows(scenario.contributions, fx, lambda c: counts(c, scenario)) if f.split]
