"""Rich tables of the planners' results for the terminal: match, routes, training, contracts."""

from __future__ import annotations

from collections import defaultdict

from rich.table import Table

from ramstein.cli.tables import Readable, listing
from ramstein.domain.items import MatchInstance
from ramstein.domain.logistics import LogisticsInstance
from ramstein.domain.plans import MatchPlan, RoutePlan, TrainingPlan
from ramstein.domain.procurement import Contract
from ramstein.domain.tracking import TrackingEvent, Whereabouts
from ramstein.domain.training import TrainingInstance
from ramstein.plan.lots import Allocation
from ramstein.plan.readiness import CapabilityReadiness, Slip
from ramstein.services.tracking import Discrepancy
from ramstein.store.plans import PlanRecord


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


def coverage_table(instance: MatchInstance, plan: MatchPlan) -> Table:
    """Units required and delivered per priority, highest first."""
    table = Readable(title="Coverage by priority")
    for header in ("Priority", "Requirements", "Units required", "Delivered", "Covered %"):
        table.add_column(header, justify="right")
    by_priority: dict[float, list[tuple[int, int]]] = defaultdict(list)
    required = {r.id: r for r in instance.requirements}
    for line in plan.requirements:
        r = required[line.id]
        by_priority[r.priority].append((r.quantity, line.delivered))
    for priority in sorted(by_priority, reverse=True):
        rows = by_priority[priority]
        need = sum(q for q, _ in rows)
        got = sum(d for _, d in rows)
        table.add_row(
            f"{priority:g}", str(len(rows)), str(need), str(got), f"{100 * got / need:.0f}"
        )
    return table


def requirements_table(instance: MatchInstance, plan: MatchPlan) -> Table:
    """Each requirement: item, priority, delivered, shortfall and the donors that give."""
    table = Readable(title="Requirements")
    for header in ("Requirement", "Item", "Priority", "Delivered", "Short", "Donors"):
        table.add_column(
            header, justify="right" if header in ("Priority", "Delivered", "Short") else "left"
        )
    required = {r.id: r for r in instance.requirements}
    donors = {o.id: o.donor for o in instance.offers}
    for line in sorted(plan.requirements, key=lambda p: (-required[p.id].priority, p.id)):
        r = required[line.id]
        givers = sorted({donors[s.offer] for s in line.sources})
        table.add_row(
            r.id,
            r.item,
            f"{r.priority:g}",
            str(line.delivered),
            str(line.shortfall),
            ", ".join(givers) or "-",
        )
    return table


def asks_table(plan: MatchPlan) -> Table:
    """Per item, the units asked of donors for one more unit of each short requirement."""
    table = Readable(title="Asks to donors (for one more unit of each short requirement)")
    table.add_column("Item")
    table.add_column("Units", justify="right")
    table.add_column("For")
    asks: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for line in plan.requirements:
        for m in line.missing_for_next_unit:
            asks[m.item].append((line.id, m.quantity))
    for item in sorted(asks):
        table.add_row(
            item,
            str(sum(q for _, q in asks[item])),
            ", ".join(f"{rid} ({q})" for rid, q in asks[item]),
        )
    return table


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
    """Per consignment: pallets delivered, undelivered, last arrival and lateness."""
    table = Readable(title="Consignments")
    for header in (
        "Consignment",
        "Delivered",
        "Undelivered",
        "Last arrival",
        "Late pallet-periods",
    ):
        table.add_column(header, justify="left" if header == "Consignment" else "right")
    for c in plan.consignments:
        table.add_row(
            c.id,
            str(c.delivered),
            str(c.undelivered),
            "-" if c.last_arrival is None else str(c.last_arrival),
            str(c.late_pallet_periods),
        )
    return table


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
    """Each cohort's session (host, site, dates), then the cohorts left unassigned and why."""
    sessions = {s.id: s for s in instance.sessions}
    rows: list[tuple[str, ...]] = []
    for cohort, sid in result.assignments:
        s = sessions[sid]
        rows.append((cohort, sid, s.host, s.site, s.start.isoformat(), s.end.isoformat()))
    rows += [(u.cohort, f"unassigned ({u.reason})", "", "", "", "") for u in result.unassigned]
    return listing("Training plan", ("Cohort", "Session", "Host", "Site", "Start", "End"), rows)


def readiness_table(capabilities: list[CapabilityReadiness]) -> Table:
    """Per capability: delivered and ready units, first and last ready, what binds."""
    rows = []
    for c in capabilities:
        dates = [u.ready for u in c.units if u.ready]
        causes = sorted({u.cause.value for u in c.units})
        rows.append(
            (
                c.requirement,
                c.item,
                f"{c.priority:g}",
                f"{len(c.units)}/{c.required}",
                len(dates),
                min(dates).isoformat() if dates else "-",
                c.last_ready.isoformat() if c.last_ready else "not planned",
                ", ".join(causes),
            )
        )
    return listing(
        "Readiness by capability (highest priority first)",
        (
            "Capability",
            "Item",
            "Priority",
            "Delivered",
            "Ready units",
            "First ready",
            "Last ready",
            "Binding",
        ),
        rows,
    )


def slips_table(title: str, changes: list[Slip]) -> Table:
    """Per capability: its last ready date before and under a what-if, and the slip in days."""
    return listing(
        title,
        ("Capability", "Priority", "Last ready", "What if", "Slip (days)", "Units"),
        (
            (
                s.requirement,
                f"{s.priority:g}",
                s.base.isoformat() if s.base else "-",
                s.what_if.isoformat() if s.what_if else "-",
                "not planned" if s.days is None else f"{s.days:+d}",
                f"{s.base_units} -> {s.what_if_units}",
            )
            for s in changes
        ),
    )


def allocation_table(contract: Contract, allocation: Allocation) -> Table:
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
    for i, plan in enumerate(allocation.lots, start=1):
        by = {s.iso3: s for s in plan.shares}
        cells = []
        for b in contract.buyers:
            s = by[b.iso3]
            have = allocation.received(b.iso3, i)
            gift = f" ({s.donated})" if s.donated else ""
            cells.append(f"{s.units}{gift} → {100 * have / b.ordered:.0f}%")
        status = "delivered" if plan.delivered else "planned"
        table.add_row(plan.lot, f"{plan.on} {status}", *cells, f"{100 * plan.max_shortfall:.2f}")
    return table


def contracts_table(contracts: list[Contract]) -> Table:
    """Every contract with its buyers and how many of its lots are delivered."""
    return listing(
        "Contracts",
        ("Id", "Agency", "Item", "Units", "Value", "Buyers", "Lots delivered"),
        (
            (
                c.id,
                c.agency,
                c.item,
                c.ordered,
                f"{c.total_value:,.0f} {c.currency}",
                ", ".join(b.iso3 for b in c.buyers),
                f"{sum(1 for lot in c.lots if lot.status.value == 'delivered')} of {len(c.lots)}",
            )
            for c in contracts
        ),
    )
