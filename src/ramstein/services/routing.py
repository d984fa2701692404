"""Plan the stored consignments (or what remains of them) and report on their tracking."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from ramstein.domain.logistics import Consignment, LogisticsInstance
from ramstein.domain.plans import RoutePlan
from ramstein.domain.tracking import EventKind
from ramstein.io.route_json import instance_document, plan_document
from ramstein.plan.milp import ProgressCallback
from ramstein.plan.route import solve_route
from ramstein.store import logistics
from ramstein.store.plans import PlanRecord, save_plan

KIND = "route"


@dataclass(frozen=True)
class SavedRoute:
    """A route plan, its instance and the version it was saved as."""

    instance: LogisticsInstance
    plan: RoutePlan
    record: PlanRecord


def remaining_instance(session: Session, now: date) -> LogisticsInstance:
    """The pallets still to move, from where they are, none ready before `now`.

    Pallets at their origin keep their consignment; pallets at a hub or on their way to a
    node become consignments `K@HUB` / `K>NODE` from that node. Delivered, received,
    damaged and lost pallets are done.
    """
    instance, cal = logistics.stored_instance(session)
    today = cal.period_of(now)
    remaining: list[Consignment] = []
    for c in instance.consignments:
        state = logistics.whereabouts(session, c.id)
        for (kind, place), n in sorted(state.counts.items()):
            if kind == "origin":
                remaining.append(replace(c, pallets=n, ready=max(c.ready, today)))
            elif kind in ("hub", "transit") and place != c.destination:
                ready = min(today + (kind == "transit"), instance.horizon - 1)
                sign = "@" if kind == "hub" else ">"
                remaining.append(
                    replace(c, id=f"{c.id}{sign}{place}", pallets=n, origin=place, ready=ready)
                )
    return replace(instance, consignments=tuple(remaining))


def plan_and_save(
    session: Session,
    *,
    actor: str,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    replan_at: date | None = None,
) -> SavedRoute:
    """Plan the stored consignments (with `replan_at`, only what remains) and save a version."""
    if replan_at is None:
        instance, _ = logistics.stored_instance(session)
    else:
        instance = remaining_instance(session, replan_at)
    plan = solve_route(instance, time_limit=time_limit, on_progress=on_progress)
    document = plan_document(plan)
    if replan_at is not None:
        document["replanned_at"] = replan_at.isoformat()
    record = save_plan(
        session,
        kind=KIND,
        inputs=instance_document(instance),
        document=document,
        stats=plan.stats,
        score=plan.objective,
        bound=plan.bound,
        optimal=plan.optimal,
        actor=actor,
    )
    return SavedRoute(instance, plan, record)


@dataclass(frozen=True)
class Discrepancy:
    """Shipped against received (or handled) pallets for one donor or hub."""

    scope: str
    name: str
    shipped: int
    received: int
    damaged: int
    lost: int
    open: int


def pallets_by_status(session: Session) -> dict[str, int]:
    """Pallets of every consignment by where they are (origin, transit, hub, received...)."""
    status: Counter[str] = Counter()
    for row in logistics.consignment_rows(session):
        for (kind, _place), pallets in logistics.whereabouts(session, row.id).counts.items():
            if pallets:
                status[kind] += pallets
    return dict(sorted(status.items()))


def discrepancies(session: Session) -> list[Discrepancy]:
    """Per donor: pallets dispatched from its depots against those received, damaged, lost.

    Per hub: pallets arrived against those sent on, handed over, damaged or lost there.
    """
    owners = logistics.node_owners(session)
    donor: dict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    hub: dict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in logistics.consignment_rows(session):
        name = owners.get(row.origin) or row.origin
        for e in logistics.events_of(session, row.id):
            if e.kind is EventKind.DISPATCHED and e.place == row.origin:
                donor[name]["shipped"] += e.pallets
            elif e.kind is EventKind.RECEIVED:
                donor[name]["received"] += e.pallets
            elif e.kind in (EventKind.DAMAGED, EventKind.LOST):
                donor[name][e.kind.value] += e.pallets
                hub[e.place][e.kind.value] += e.pallets
            if e.kind is EventKind.ARRIVED_HUB:
                hub[e.place]["shipped"] += e.pallets
            elif e.kind in (EventKind.DISPATCHED, EventKind.HANDED_OVER) and e.place != row.origin:
                hub[e.place]["received"] += e.pallets
    rows = []
    for scope, table in (("donor", donor), ("hub", hub)):
        for name, t in sorted(table.items()):
            if scope == "hub" and not t["shipped"]:
                continue
            rows.append(
                Discrepancy(
                    scope,
                    name,
                    t["shipped"],
                    t["received"],
                    t["damaged"],
                    t["lost"],
                    t["shipped"] - t["received"] - t["damaged"] - t["lost"],
                )
            )
    return rows
