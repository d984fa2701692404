"""Rich renderings of results for the terminal."""

from __future__ import annotations

from collections import defaultdict

from rich.table import Table

from ramstein.domain.contributions import Contribution, ContributionEvent
from ramstein.domain.items import MatchInstance
from ramstein.domain.logistics import LogisticsInstance
from ramstein.domain.plans import MatchPlan, RoutePlan
from ramstein.shares.credit import Flow
from ramstein.shares.fair import NationShare, SharesResult
from ramstein.shares.resilience import Exit
from ramstein.shares.review import Restatement, Review


def _bn(eur: float) -> str:
    return f"{eur / 1e9:,.2f}"


def shares_table(result: SharesResult, *, base: SharesResult | None = None, title: str) -> Table:
    """Fair share, counted and gap per nation, largest fair share first; with `base`, the change."""
    table = Table(title=title, caption="EUR bn; key share in % of the participants' key")
    for header in ("ISO3", "Nation", "Key share %", "Fair share", "Counted", "Gap", "% of GDP"):
        table.add_column(header, justify="left" if header in ("ISO3", "Nation") else "right")
    if base is not None:
        table.add_column("Change vs base", justify="right")
    before = base.by_iso3() if base is not None else {}
    for n in sorted(result.nations, key=lambda n: (-n.fair_share_eur, n.iso3)):
        cells = [
            n.iso3,
            n.name if n.participating else f"{n.name} (opt-out)",
            f"{100 * n.key_share:.2f}",
            _bn(n.fair_share_eur),
            _bn(n.counted_eur),
            _bn(n.gap_eur),
            f"{n.counted_pct_of_gdp:.3f}",
        ]
        if base is not None:
            delta = n.fair_share_eur - before[n.iso3].fair_share_eur
            cells.append(f"{delta / 1e9:+,.2f}")
        table.add_row(*cells)
    total_fair = sum(n.fair_share_eur for n in result.nations)
    total_counted = sum(n.counted_eur for n in result.nations)
    table.add_section()
    footer = ["", "Total", "", _bn(total_fair), _bn(total_counted), _bn(total_fair - total_counted)]
    table.add_row(*footer, "", *([""] if base is not None else []))
    return table


def contributions_table(contributions: list[Contribution]) -> Table:
    """The ledger's contributions, one per row."""
    table = Table(title="Contributions")
    for header in ("Id", "Donor", "Date", "Category", "Status", "Amount", "Visibility"):
        table.add_column(header, justify="right" if header == "Amount" else "left")
    for c in contributions:
        amount = "-" if c.amount is None else f"{c.amount:,.0f} {c.currency}"
        table.add_row(c.id, c.donor, c.date.isoformat(), c.category, c.status, amount, c.visibility)
    return table


def history_table(contribution_id: str, events: list[ContributionEvent]) -> Table:
    """A contribution's status events, oldest first."""
    table = Table(title=f"History of {contribution_id}")
    for header in ("When", "Who", "From", "To", "Why"):
        table.add_column(header)
    for e in events:
        table.add_row(
            e.at.isoformat(timespec="seconds"),
            e.actor,
            e.from_status or "-",
            e.to_status,
            e.reason,
        )
    return table


def coverage_table(instance: MatchInstance, plan: MatchPlan) -> Table:
    """Units required and delivered per priority, highest first."""
    table = Table(title="Coverage by priority")
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
    table = Table(title="Requirements")
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
    table = Table(title="Asks to donors (for one more unit of each short requirement)")
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
    table = Table(title=title)
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
    table = Table(title="Consignments")
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


def _m(eur: float) -> str:
    return f"{eur / 1e6:,.1f}"


def resilience_table(exits: list[Exit], names: dict[str, str], *, takers: int = 3) -> Table:
    """Participants ranked by the load their withdrawal would shift, with the main takers."""
    table = Table(
        title="Withdrawal resilience",
        caption="EUR bn; shifted = fair share moved onto the others; "
        "still to give = the others' extra gap beyond what they have counted",
    )
    for header in ("Rank", "If this one leaves", "Shifted", "Still to give", "Uncovered"):
        table.add_column(header, justify="left" if header == "If this one leaves" else "right")
    table.add_column("Largest takers (+EUR bn)")
    for rank, e in enumerate(exits, start=1):
        top = ", ".join(f"{t.iso3} {t.extra_fair_share_eur / 1e9:+.2f}" for t in e.takers[:takers])
        table.add_row(
            str(rank),
            f"{e.iso3} {names.get(e.iso3, '')}",
            _bn(e.shifted_eur),
            _bn(e.extra_gap_eur),
            _bn(e.uncovered_eur),
            top,
        )
    return table


def review_table(r: Review) -> Table:
    """A period's fair share, counted, gap and % of GDP, with the change since the snapshot."""
    since = f"since {r.last.label} {r.year}" if r.last else "(no snapshot yet)"
    table = Table(title=f"Review {r.year}", caption=f"EUR bn; change {since}")
    for header in ("ISO3", "Nation", "Fair share", "Counted", "Gap", "% of GDP", "Change"):
        table.add_column(header, justify="left" if header in ("ISO3", "Nation") else "right")
    for line in sorted(r.lines, key=lambda x: (-x.share.fair_share_eur, x.share.iso3)):
        n, change = line.share, line.change_eur
        table.add_row(
            n.iso3,
            n.name if n.participating else f"{n.name} (opt-out)",
            _bn(n.fair_share_eur),
            _bn(n.counted_eur),
            _bn(n.gap_eur),
            f"{n.counted_pct_of_gdp:.3f}",
            "-" if change is None else f"{change / 1e9:+,.2f}",
        )
    return table


def restatements_table(rows: list[Restatement]) -> Table:
    """Credits changed after a snapshot reported them."""
    table = Table(title="Restatements against snapshots", caption="EUR m")
    for header in ("Snapshot", "Contribution", "Nation", "Reported", "Now", "Change"):
        table.add_column(
            header, justify="right" if header in ("Reported", "Now", "Change") else "left"
        )
    for s in rows:
        table.add_row(
            s.label,
            s.contribution,
            s.iso3,
            _m(s.reported_eur),
            _m(s.now_eur),
            f"{s.change_eur / 1e6:+,.1f}",
        )
    return table


def nation_history_table(name: str, rows: list[tuple[int, NationShare]]) -> Table:
    """One nation's standing in every period."""
    table = Table(title=f"{name}: standing by period", caption="EUR bn")
    for header in ("Period", "Fair share", "Counted", "Gap", "% of GDP"):
        table.add_column(header, justify="right")
    for year, n in rows:
        table.add_row(
            str(year),
            _bn(n.fair_share_eur),
            _bn(n.counted_eur),
            _bn(n.gap_eur),
            f"{n.counted_pct_of_gdp:.3f}",
        )
    return table


def credit_table(rows: list[Flow]) -> Table:
    """Flows whose credit is split or passed on, and to whom it went."""
    table = Table(title="Split and channelled credit", caption="EUR m")
    for header in ("Flow", "Donor", "Amount", "Rule", "Credited to"):
        table.add_column(header, justify="right" if header == "Amount" else "left")
    for f in rows:
        if f.credits:
            to = ", ".join(f"{c.iso3} {_m(c.eur)}" for c in f.credits)
        else:
            to = f"nobody: credited at {f.root}"
        table.add_row(f.contribution.id, f.contribution.donor, _m(f.eur), f.rule.value, to)
    return table
