"""Rich tables of the planners' results for the terminal: match, routes, training, contracts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from rich.table import Table

from ramstein.cli.common import print_stored
from ramstein.cli.tables import Readable, listing
from ramstein.domain.items import MatchInstance
from ramstein.domain.logistics import LogisticsInstance
from ramstein.domain.plans import MatchPlan, PlanKind, RoutePlan, TrainingPlan
from ramstein.domain.procurement import Contract, LotStatus, lot_state
from ramstein.domain.tracking import TrackingEvent, Whereabouts
from ramstein.domain.training import TrainingInstance
from ramstein.plan.compare import RequirementChange
from ramstein.plan.lots import Allocation
from ramstein.plan.readiness import CapabilityReadiness, Slip, unit_runs
from ramstein.services.tracking import Discrepancy
from ramstein.store.plans import PlanRecord, list_plans


def plans_table(records: list[PlanRecord], title: str) -> Table:
    """Saved plans of one kind, oldest first, to compare them over time."""
    return listing(
        title,
        ("Version", "When", "Who", "Inputs", "Objective", "Bound", "Optimal", "Seconds"),
        (
            (
                r.version,
                r.created_at.isoformat(timespec="seconds"),
                r.actor,
                r.inputs_digest[:12],
                f"{r.score:,.6g}",
                f"{r.bound:,.6g}",
                "yes" if r.optimal else "no",
                f"{r.seconds:.2f}",
            )
            for r in records
        ),
    )


def print_plans(kind: PlanKind, title: str) -> None:
    """Print the saved plans of one kind, oldest first, to compare them over time."""
    print_stored(lambda session: list_plans(session, kind), lambda r: plans_table(r, title))


def coverage_table(instance: MatchInstance, plan: MatchPlan) -> Table:
    """Units required and planned per priority, highest first."""
    by_priority: dict[float, list[tuple[int, int]]] = defaultdict(list)
    required = {r.id: r for r in instance.requirements}
    for line in plan.requirements:
        r = required[line.id]
        by_priority[r.priority].append((r.quantity, line.delivered))
    rows = []
    for priority in sorted(by_priority, reverse=True):
        pairs = by_priority[priority]
        need = sum(q for q, _ in pairs)
        got = sum(d for _, d in pairs)
        rows.append((f"{priority:g}", len(pairs), need, got, f"{100 * got / need:.0f}"))
    headers = ("Priority", "Requirements", "Units required", "Planned", "Covered %")
    return listing("Coverage by priority (units the plan assigns)", headers, rows, right=headers)


def requirements_table(instance: MatchInstance, plan: MatchPlan) -> Table:
    """Each requirement: item, priority, units planned, shortfall and the donors that give."""
    required = {r.id: r for r in instance.requirements}
    donors = {o.id: o.donor for o in instance.offers}
    rows = []
    for line in sorted(plan.requirements, key=lambda p: (-required[p.id].priority, p.id)):
        r = required[line.id]
        givers = sorted({donors[s.offer] for s in line.sources})
        rows.append(
            (
                r.id,
                r.item,
                f"{r.priority:g}",
                f"{line.delivered} of {r.quantity}",
                ", ".join(givers) or "-",
            )
        )
    return listing(
        "Requirements (units planned, not yet received)",
        ("Requirement", "Item", "Priority", "Planned", "Donors"),
        rows,
        right=("Priority", "Planned"),
        optional=("Item",),
    )


def asks_table(plan: MatchPlan) -> Table:
    """Per item, the units asked of donors for one more unit of each short requirement."""
    asks: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for line in plan.requirements:
        for m in line.missing_for_next_unit:
            asks[m.item].append((line.id, m.quantity))
    return listing(
        "Asks to donors (for one more unit of each short requirement)",
        ("Item", "Units", "For"),
        (
            (
                item,
                sum(q for _, q in asks[item]),
                ", ".join(f"{rid} ({q})" for rid, q in asks[item]),
            )
            for item in sorted(asks)
        ),
        right=("Units",),
    )


BARS = " ▁▂▃▄▅▆▇█"
SPARK_WIDTH = 60


def sparkline(values: tuple[int, ...] | list[int], top: int) -> str:
    """One block character per value, scaled to `top`."""
    if top <= 0:
        return "".join(BARS[0] if v == 0 else BARS[-1] for v in values)
    return "".join(BARS[min(len(BARS) - 1, round(8 * v / top))] for v in values)


def hub_load_table(
    hub_loads: dict[str, list[int]] | dict[str, tuple[int, ...]],
    instance: LogisticsInstance,
    title: str = "Hub load (pallets arriving per period, scaled to throughput)",
) -> Table:
    """Per hub: pallets arriving per period as a sparkline against its throughput."""
    # Long horizons are folded: one character shows the busiest of `fold` periods.
    fold = max(1, -(-instance.horizon // SPARK_WIDTH))
    if fold > 1:
        title += f"; one character = {fold} periods, the busiest"
    table = Readable(title=title)
    table.add_column("Hub", no_wrap=True)
    table.add_column("Throughput", justify="right")
    table.add_column("Peak", justify="right")
    table.add_column("Total", justify="right")
    table.add_column("Load by period", no_wrap=True)
    throughput = {n.id: n.throughput or 0 for n in instance.nodes}
    for hub, load in hub_loads.items():
        folded = [max(load[i : i + fold]) for i in range(0, len(load), fold)]
        table.add_row(
            hub,
            str(throughput.get(hub, 0)),
            str(max(load, default=0)),
            str(sum(load)),
            sparkline(folded, throughput.get(hub, 0)),
        )
    return table


def route_table(plan: RoutePlan) -> Table:
    """Per consignment: pallets the plan brings and leaves out, last arrival, lateness."""
    return listing(
        "Consignments",
        ("Consignment", "Planned", "Left out", "Arrives", "Late"),
        (
            (
                c.id,
                c.delivered,
                c.undelivered,
                "-" if c.last_arrival is None else c.last_arrival,
                c.late_pallet_periods,
            )
            for c in plan.consignments
        ),
        right=("Planned", "Left out", "Arrives", "Late"),
        caption="pallets planned to arrive and left out; period of the last arrival; "
        "late pallet-periods",
    )


def discrepancies_table(rows: list[Discrepancy]) -> Table:
    """Pallets shipped against received, damaged, lost or still open, per donor and hub."""
    return listing(
        "Shipped vs received",
        ("Scope", "Name", "Shipped/arrived", "Received/sent on", "Damaged", "Lost", "Open"),
        ((r.scope, r.name, r.shipped, r.received, r.damaged, r.lost, r.open) for r in rows),
    )


def track_tables(
    consignment: str, events: list[TrackingEvent], state: Whereabouts
) -> tuple[Table, Table]:
    """A consignment's history, and where each of its pallets is now."""
    history = listing(
        f"History of {consignment}",
        ("When", "Event", "Pallets", "Place", "To", "Who", "Note"),
        (
            (
                e.at.isoformat(timespec="minutes"),
                e.kind.value,
                e.pallets,
                e.place,
                e.to or "-",
                e.actor,
                e.note,
            )
            for e in events
        ),
    )
    where = listing(
        f"Where the {state.pallets} pallets are",
        ("State", "Place", "Pallets"),
        ((kind, place, n) for (kind, place), n in sorted(state.counts.items())),
        right=("Pallets",),
    )
    return history, where


def training_table(instance: TrainingInstance, result: TrainingPlan) -> Table:
    """Each placed cohort's session (host, site, dates)."""
    sessions = {s.id: s for s in instance.sessions}
    rows: list[tuple[str, ...]] = []
    for cohort, sid in result.assignments:
        s = sessions[sid]
        rows.append((cohort, sid, s.host, s.site, s.start.isoformat(), s.end.isoformat()))
    return listing(
        "Training plan",
        ("Cohort", "Session", "Host", "Site", "Start", "End"),
        rows,
        optional=("Site", "Host"),
    )


def unassigned_table(instance: TrainingInstance, result: TrainingPlan) -> Table:
    """The cohorts left out of every session, with the reason and what they wait for."""
    cohorts = {c.id: c for c in instance.cohorts}
    return listing(
        f"Cohorts left unassigned ({len(result.unassigned)})",
        ("Cohort", "Course", "Needed by", "Reason"),
        (
            (
                u.cohort,
                cohorts[u.cohort].course if u.cohort in cohorts else "-",
                cohorts[u.cohort].needed_by.isoformat() if u.cohort in cohorts else "-",
                u.explained,
            )
            for u in result.unassigned
        ),
    )


def readiness_table(capabilities: list[CapabilityReadiness]) -> Table:
    """Per capability (highest priority first): units planned of those required, and its
    units grouped into runs
    ready on one date for one cause ("#1\u2013#200 2024-09-15, equipment")."""
    return listing(
        "Readiness by capability (highest priority first)",
        ("Capability", "Planned", "Units: ready on, binding cause"),
        (
            (
                c.requirement,
                f"{len(c.units)} of {c.required}",
                "\n".join(run.label for run in unit_runs(c.units)) or "none planned",
            )
            for c in capabilities
        ),
        right=("Planned",),
    )


def slips_table(title: str, changes: list[Slip]) -> Table:
    """Per capability: its last ready date before and under a what-if, and the slip in days."""
    return listing(
        title,
        ("Capability", "Last ready", "What if", "Slip (days)", "Units"),
        (
            (
                s.requirement,
                s.base.isoformat() if s.base else "-",
                s.what_if.isoformat() if s.what_if else "-",
                "not planned" if s.days is None else f"{s.days:+d}",
                f"{s.base_units}\u2192{s.what_if_units}",
            )
            for s in changes
        ),
        right=("Slip (days)", "Units"),
    )


def allocation_table(
    contract: Contract, allocation: Allocation, today: date | None = None
) -> Table:
    """Units per buyer per lot (donated in brackets), cumulative share of each order."""
    table = Readable(
        title=f"{contract.id}: {contract.ordered} x {contract.item} at "
        f"{contract.unit_price:,.2f} {contract.currency}",
        caption="units (of which donated); the last column is the largest relative shortfall",
    )
    table.add_column("Lot")
    table.add_column("Date")
    for b in contract.buyers:
        table.add_column(f"{b.iso3} ({b.ordered})", justify="right")
    table.add_column("Max shortfall %", justify="right")
    statuses = {lot.id: lot.status for lot in contract.lots}
    today = today or date.today()
    for i, plan in enumerate(allocation.lots, start=1):
        by = {s.iso3: s for s in plan.shares}
        cells = []
        for b in contract.buyers:
            s = by[b.iso3]
            have = allocation.received(b.iso3, i)
            gift = f" ({s.donated})" if s.donated else ""
            cells.append(f"{s.units}{gift} → {100 * have / b.ordered:.0f}%")
        status = lot_state(statuses.get(plan.lot, LotStatus.PLANNED), plan.on, today)
        if plan.delivered:
            status = "delivered"
        shown = f"[bold red]{status}[/]" if status == "overdue" else status
        table.add_row(plan.lot, f"{plan.on} {shown}", *cells, f"{100 * plan.max_shortfall:.2f}")
    return table


def contracts_table(contracts: list[Contract], today: date | None = None) -> Table:
    """Every contract with its buyers and how many of its lots are delivered or overdue."""
    today = today or date.today()
    return listing(
        "Contracts",
        ("Id", "Agency", "Item", "Units", "Value", "Buyers", "Delivered", "Overdue"),
        (
            (
                c.id,
                c.agency,
                c.item,
                c.ordered,
                f"{c.total_value:,.0f} {c.currency}",
                ", ".join(b.iso3 for b in c.buyers),
                f"{sum(1 for lot in c.lots if lot.status.value == 'delivered')} of {len(c.lots)}",
                ",".join(lot.id for lot in c.lots if lot.overdue(today)) or "-",
            )
            for c in contracts
        ),
        optional=("Agency", "Value", "Buyers"),
        caption="lots delivered; lots still planned after their expected date",
    )


def comparison_table(before: int, after: int, changes: list[RequirementChange]) -> Table:
    """Per requirement: units planned in two plan versions, the change and the donors."""
    return listing(
        f"Match plan {before} against {after} (units planned)",
        ("Requirement", f"v{before}", f"v{after}", "Change", "Donors then", "Donors now"),
        (
            (
                c.requirement,
                c.before,
                c.after,
                f"{c.change:+d}" if c.change else c.verdict,
                ", ".join(c.donors_before) or "-",
                ", ".join(c.donors_after) or "-",
            )
            for c in changes
        ),
        right=(f"v{before}", f"v{after}", "Change"),
        optional=("Donors then",),
    )
