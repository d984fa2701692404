"""Plan the stored consignments, or what remains of them once tracking has begun."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Final

from sqlalchemy.orm import Session

from ramstein.domain.logistics import Consignment, LogisticsInstance
from ramstein.domain.plans import PlanKind, RoutePlan
from ramstein.io.route_json import instance_document, plan_document
from ramstein.plan.milp import ProgressCallback
from ramstein.plan.route import solve_route
from ramstein.services.plans import Solved
from ramstein.store import logistics

KIND: Final = PlanKind.ROUTE


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


def solve(
    session: Session,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    replan_at: date | None = None,
) -> Solved[LogisticsInstance, RoutePlan]:
    """Plan the stored consignments (with `replan_at`, only what remains).

    Save the plan with `services.plans.save`.
    """
    if replan_at is None:
        instance, _ = logistics.stored_instance(session)
    else:
        instance = remaining_instance(session, replan_at)
    plan = solve_route(instance, time_limit=time_limit, on_progress=on_progress)
    document = plan_document(plan)
    if replan_at is not None:
        document["replanned_at"] = replan_at.isoformat()
    return Solved(KIND, instance, plan, instance_document(instance), document, plan.objective)
