"""Readiness from the store's current plans, and what-ifs re-planned on copies."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.domain.errors import InputError
from ramstein.domain.items import MatchInstance
from ramstein.domain.logistics import LogisticsInstance
from ramstein.domain.plans import MatchPlan, PlanKind
from ramstein.domain.tracking import EventKind
from ramstein.domain.training import TrainingInstance
from ramstein.io.match_json import instance_document as match_inputs
from ramstein.io.route_json import instance_document as route_inputs
from ramstein.io.train_json import instance_document as training_inputs
from ramstein.plan.match import solve_match
from ramstein.plan.readiness import CapabilityReadiness, readiness
from ramstein.plan.route import solve_route
from ramstein.plan.train import solve_train
from ramstein.services.plan_views import sees_every_offer
from ramstein.services.plans import latest_plan
from ramstein.store import catalog, logistics
from ramstein.store.logistics import Calendar
from ramstein.store.plans import PlanRecord, digest
from ramstein.store.training import stored_training

WHAT_IF_TIME_LIMIT = 60.0


@dataclass(frozen=True)
class Inputs:
    """Everything readiness is computed from, plans included."""

    match: MatchInstance
    match_plan: MatchPlan
    network: LogisticsInstance
    calendar: Calendar
    outcomes: dict[str, tuple[int, int | None]]  # consignment -> (undelivered, last arrival)
    training: TrainingInstance
    assignments: dict[str, str]  # cohort -> session
    # consignment -> (pallets received, pallets damaged or lost, day of the last receipt):
    # what the recipient confirmed overrides what the route plan expects.
    receipts: dict[str, tuple[int, int, date | None]] = field(default_factory=dict)


def _current(record: PlanRecord, inputs: dict[str, Any]) -> bool:
    """Whether a saved plan was made from these very inputs."""
    return record.inputs_digest == digest(inputs)


def current_inputs(session: Session, viewer: Viewer | None = None) -> Inputs:
    """The stored instances with their latest saved plans (planned afresh where stale).

    A `viewer` who may not see every offer gets the match planned afresh over the offers
    it may see: whether the saved plan is current depends on offers hidden from it.
    """
    if viewer is not None and not sees_every_offer(viewer):
        match = catalog.match_instance(session, viewer)
        match_plan = solve_match(match)
    else:
        match = catalog.match_instance(session)
        saved = latest_plan(session, PlanKind.MATCH)
        current = saved is not None and _current(saved.record, match_inputs(match))
        match_plan = saved.plan if saved is not None and current else solve_match(match)
    network, cal = logistics.stored_instance(session)
    saved_route = latest_plan(session, PlanKind.ROUTE)
    if saved_route is not None and _current(saved_route.record, route_inputs(network)):
        outcomes = {c.id: (c.undelivered, c.last_arrival) for c in saved_route.plan.consignments}
    else:
        outcomes = _outcomes(network)
    training = stored_training(session)
    saved_training = latest_plan(session, PlanKind.TRAIN)
    if saved_training is not None and _current(saved_training.record, training_inputs(training)):
        assignments = dict(saved_training.plan.assignments)
    else:
        assignments = dict(solve_train(training).assignments)
    return Inputs(
        match, match_plan, network, cal, outcomes, training, assignments, _receipts(session)
    )


def _receipts(session: Session) -> dict[str, tuple[int, int, date | None]]:
    """Per consignment with a receipt: pallets received, damaged or lost, last receipt day."""
    found: dict[str, tuple[int, int, date | None]] = {}
    for row in logistics.consignment_rows(session):
        events = [
            e
            for e in logistics.events_of(session, row.id)
            if e.kind in (EventKind.RECEIVED, EventKind.DAMAGED, EventKind.LOST)
        ]
        if events:
            received = sum(e.pallets for e in events if e.kind is EventKind.RECEIVED)
            found[row.id] = (
                received,
                sum(e.pallets for e in events) - received,
                events[-1].at.date(),
            )
    return found


def _outcomes(network: LogisticsInstance) -> dict[str, tuple[int, int | None]]:
    plan = solve_route(network, time_limit=WHAT_IF_TIME_LIMIT)
    return {c.id: (c.undelivered, c.last_arrival) for c in plan.consignments}


def compute(inputs: Inputs) -> list[CapabilityReadiness]:
    """Readiness of every delivered unit under the inputs' plans."""
    arrivals: dict[str, date | None] = {}
    for c in inputs.network.consignments:
        if not c.fulfils:
            continue
        undelivered, last = inputs.outcomes.get(c.id, (c.pallets, None))
        when = None if undelivered or last is None else inputs.calendar.date_of(last)
        if c.id in inputs.receipts:
            # Confirmed at the destination: every pallet received on the day of the last
            # receipt; a damaged or lost pallet leaves the equipment short (not planned).
            received, short, day = inputs.receipts[c.id]
            if short:
                when = None
            elif received >= c.pallets:
                when = day
        if c.fulfils in arrivals and (arrivals[c.fulfils] is None or when is None):
            arrivals[c.fulfils] = None
        else:
            earlier = arrivals.get(c.fulfils)
            arrivals[c.fulfils] = when if earlier is None else max(earlier, when or earlier)
    sessions = {s.id: s for s in inputs.training.sessions}
    crew_ready = {cohort: sessions[sid].end for cohort, sid in inputs.assignments.items()}
    return readiness(inputs.match, inputs.match_plan, arrivals, inputs.training, crew_ready)


def delay_hub(inputs: Inputs, hub: str, days: int) -> Inputs:
    """A copy where handling at `hub` takes `days` more, re-routed (nothing is saved)."""
    if hub not in inputs.network.hubs:
        raise InputError("--delay-hub", f"unknown hub {hub!r}")
    if days < 0:
        raise InputError("--delay-hub", "the delay must not be negative")
    periods = -(-days // (7 if inputs.calendar.period == "week" else 1))
    links = tuple(
        replace(k, transit=k.transit + periods) if k.target == hub else k
        for k in inputs.network.links
    )
    network = replace(inputs.network, links=links)
    return replace(inputs, network=network, outcomes=_outcomes(network))


def drop_donor(inputs: Inputs, donor: str) -> Inputs:
    """A copy without a donor's offers and consignments, re-matched and re-routed."""
    if donor not in {o.donor for o in inputs.match.offers}:
        raise InputError("--drop-donor", f"{donor!r} makes no offer")
    dropped = {o.id for o in inputs.match.offers if o.donor == donor}
    match = replace(
        inputs.match, offers=tuple(o for o in inputs.match.offers if o.id not in dropped)
    )
    network = replace(
        inputs.network,
        consignments=tuple(c for c in inputs.network.consignments if c.fulfils not in dropped),
    )
    return replace(
        inputs,
        match=match,
        match_plan=solve_match(match),
        network=network,
        outcomes=_outcomes(network),
    )
