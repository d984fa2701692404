"""`ramstein route` and `ramstein track`: delivery through the hubs, and where pallets are."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.live import Live
from rich.spinner import Spinner

from ramstein.cli.common import (
    PlanByDefault,
    SolveDisplay,
    TimeLimit,
    actor,
    console,
    fail,
    input_errors,
    parse_date,
    print_stored,
    read_text,
    transaction,
)
from ramstein.cli.plan_tables import (
    discrepancies_table,
    hub_load_table,
    print_plans,
    route_table,
    track_tables,
)
from ramstein.domain.errors import InputError
from ramstein.domain.plans import RoutePlan
from ramstein.domain.tracking import EventKind, TrackingEvent
from ramstein.io.route_json import parse_logistics, plan_document
from ramstein.plan.route import solve_route
from ramstein.services import routing, tracking
from ramstein.services.plans import latest_plan, plan_and_save
from ramstein.store import logistics

app = typer.Typer(cls=PlanByDefault, help="Plan delivery through the hubs and track consignments.")


@app.command("plan")
def plan(
    file: Annotated[Path | None, typer.Argument(help="a ramstein.logistics/1 file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.route-plan/1")] = False,
    time_limit: TimeLimit = None,
    replan: Annotated[
        bool, typer.Option("--replan", help="plan only the remaining pallets, from where they are")
    ] = False,
    now: Annotated[str | None, typer.Option(help="the date to replan from (default today)")] = None,
) -> None:
    """Plan a logistics file, or the stored consignments (saved as a new version)."""
    with input_errors():
        if file is not None:
            instance = parse_logistics(read_text(file))
            result: RoutePlan = solve_route(instance, time_limit=time_limit)
            version = None
        else:
            when = parse_date(now, "--now") or date.today()
            with (
                transaction() as session,
                Live(
                    Spinner("dots", text="Routing with HiGHS"), console=console, transient=True
                ) as live,
            ):
                solve = partial(
                    routing.solve,
                    time_limit=time_limit,
                    on_progress=None if as_json else SolveDisplay(live, "Routing with HiGHS"),
                    replan_at=when if replan else None,
                )
                saved = plan_and_save(session, solve, actor=actor())
            instance, result, version = saved.instance, saved.plan, saved.record.version
    if as_json:
        print(json.dumps(plan_document(result), indent=2))
        return
    console.print(route_table(result))
    console.print(hub_load_table(result.hub_loads, instance))
    proof = "optimal" if result.optimal else f"bound {result.bound:,.6g}"
    saved_as = f"; saved as route plan version {version}" if version else ""
    console.print(
        f"Objective {result.objective:,.6g} ({proof}), {result.stats.seconds:.2f} s{saved_as}."
    )
    if result.stats.note:
        console.print(f"Note: {result.stats.note}.")


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="a ramstein.logistics/1 file")],
    start: Annotated[str, typer.Option(help="the date of period 0 (YYYY-MM-DD)")],
) -> None:
    """Store a file's network and consignments (all or nothing)."""
    with input_errors():
        instance = parse_logistics(read_text(file))
        first = parse_date(start, "--start")
        assert first is not None
        with transaction() as session:
            logistics.import_network(session, instance, first)
    console.print(
        f"Imported {len(instance.nodes)} nodes, {len(instance.links)} links, "
        f"{len(instance.consignments)} consignments; period 0 is {start}."
    )


@app.command("hubs")
def hubs() -> None:
    """Hub load per period under the latest route plan."""
    with input_errors(), transaction() as session:
        saved = latest_plan(session, routing.KIND)
        instance, _ = logistics.stored_instance(session)
    if saved is None:
        fail("plan: no route plan yet; run `ramstein route`")
    title = f"Hub load, route plan version {saved.record.version}"
    console.print(hub_load_table(saved.plan.hub_loads, instance, title=title))


@app.command("close")
def close(
    hub: Annotated[str, typer.Argument(help="the hub")],
    start: Annotated[str, typer.Option("--from", help="first day (YYYY-MM-DD)")],
    end: Annotated[str, typer.Option("--to", help="last day (YYYY-MM-DD)")],
    throughput: Annotated[int, typer.Option(help="pallets per period meanwhile")] = 0,
    why: Annotated[str, typer.Option(help="the reason")] = "",
) -> None:
    """Record a hub's reduced throughput (0: closed) over dated periods."""
    with input_errors(), transaction() as session:
        first, last = parse_date(start, "--from"), parse_date(end, "--to")
        assert first is not None and last is not None
        logistics.add_override(session, hub, first, last, throughput, why)
    console.print(f"{hub}: throughput {throughput} from {start} to {end}.")


@app.command("event")
def event(
    consignment: Annotated[str, typer.Argument(help="the consignment")],
    kind: Annotated[EventKind, typer.Argument(help="what happened")],
    pallets: Annotated[int, typer.Argument(help="how many pallets")],
    place: Annotated[str, typer.Argument(help="where (a node)")],
    to: Annotated[str, typer.Option(help="the next node, for a dispatch")] = "",
    at: Annotated[str | None, typer.Option(help="when (ISO date-time, default now)")] = None,
    note: Annotated[str, typer.Option(help="a note")] = "",
    serial: Annotated[
        list[str] | None,
        typer.Option(help="a serial checked (sensitive items; repeat, or comma-separated)"),
    ] = None,
) -> None:
    """Record a tracking event; refused if the pallets cannot be where it says, or if a
    sensitive item's checkpoint lists no serials."""
    serials = tuple(s.strip() for given in serial or () for s in given.split(",") if s.strip())
    with input_errors(), transaction() as session:
        when = _moment(at)
        state = logistics.record_event(
            session,
            TrackingEvent(consignment, kind, pallets, place, when, actor(), to, note, serials),
        )
    console.print(f"{consignment}: " + ", ".join(f"{k} {n}" for k, n in state.summary().items()))


def _moment(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError("--at", f"{text!r} is not an ISO date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command("discrepancies")
def discrepancies() -> None:
    """Pallets shipped against received, damaged, lost or still open, per donor and hub."""
    print_stored(tracking.discrepancies, discrepancies_table)


@app.command("plans")
def plans() -> None:
    """List the saved route plans, oldest first, to compare them over time."""
    print_plans(routing.KIND, "Route plans")


def track(consignment: Annotated[str, typer.Argument(help="the consignment")]) -> None:
    """A consignment's history and where each of its pallets is now."""
    with input_errors(), transaction() as session:
        state = logistics.whereabouts(session, consignment)
        events = logistics.events_of(session, consignment)
    for table in track_tables(consignment, events, state):
        console.print(table)
