"""`ramstein match`: the catalog, requirements and offers, and the match planner."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table

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
    asks_table,
    comparison_table,
    coverage_table,
    print_plans,
    requirements_table,
)
from ramstein.cli.tables import listing
from ramstein.domain.contributions import Visibility
from ramstein.domain.errors import InputError
from ramstein.domain.items import Component, Item, Offer, Requirement
from ramstein.io.match_json import parse_match, plan_document
from ramstein.plan.match import solve_match
from ramstein.services import acceptance, matching
from ramstein.services.plans import plan_and_save
from ramstein.store import catalog

app = typer.Typer(
    cls=PlanByDefault,
    help="Match donors' offers to the recipient's requirements (default: plan).",
)


@app.command("plan")
def plan(
    file: Annotated[Path | None, typer.Argument(help="a ramstein.match/1 file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.match-plan/1")] = False,
    time_limit: TimeLimit = None,
) -> None:
    """Plan a match file, or the stored requirements and offers (saved as a new version)."""
    with input_errors():
        if file is not None:
            instance = parse_match(read_text(file))
            result = solve_match(instance, time_limit=time_limit)
            version = None
        else:
            with (
                transaction() as session,
                Live(
                    Spinner("dots", text="Solving with HiGHS"), console=console, transient=True
                ) as live,
            ):
                progress = None if as_json else SolveDisplay(live, "Solving with HiGHS")
                saved = plan_and_save(
                    session,
                    partial(matching.solve, time_limit=time_limit, on_progress=progress),
                    actor=actor(),
                )
            instance, result, version = saved.instance, saved.plan, saved.record.version
    if as_json:
        print(json.dumps(plan_document(result), indent=2))
        return
    console.print(coverage_table(instance, result))
    console.print(requirements_table(instance, result))
    console.print(asks_table(result))
    proof = "optimal" if result.optimal else f"bound {result.bound:,.6g}"
    saved_as = f"; saved as match plan version {version}" if version else ""
    console.print(f"Score {result.score:,.6g} ({proof}), {result.stats.seconds:.2f} s{saved_as}.")


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="a ramstein.match/1 file")],
) -> None:
    """Add or update the file's items, requirements and offers in the store (all or nothing)."""
    with input_errors():
        instance = parse_match(read_text(file))
        with transaction() as session:
            catalog.import_instance(session, instance)
    console.print(
        f"Imported {len(instance.items)} items, {len(instance.requirements)} requirements, "
        f"{len(instance.offers)} offers."
    )


@app.command("plans")
def plans() -> None:
    """List the saved match plans, oldest first, to compare them over time."""
    print_plans(matching.KIND, "Match plans")


@app.command("compare")
def compare(
    before: Annotated[
        int | None, typer.Argument(help="the older version (default: newest - 1)")
    ] = None,
    after: Annotated[int | None, typer.Argument(help="the newer version (default: newest)")] = None,
) -> None:
    """Compare two saved match plans: which requirements gained or lost units."""
    with input_errors(), transaction() as session:
        old, new, changes = acceptance.compare(session, before, after)
    console.print(comparison_table(old, new, changes))
    gained = sum(1 for c in changes if c.change > 0)
    lost = sum(1 for c in changes if c.change < 0)
    console.print(f"{gained} requirement(s) gained units, {lost} lost units.")


@app.command("accept")
def accept(
    version: Annotated[
        int | None, typer.Argument(help="the plan version (default: newest)")
    ] = None,
) -> None:
    """Accept a match plan: the offers it uses become committed contributions (value to be
    confirmed) and consignments to route."""
    with input_errors(), transaction() as session:
        done = acceptance.accept_match_plan(session, version, actor=actor())
    console.print(
        f"Match plan {done.version} accepted: {len(done.contributions)} contribution(s) "
        f"committed, {len(done.consignments)} consignment(s) to route, "
        f"{len(done.kept)} offer(s) already accepted."
    )
    for cid in done.contributions:
        console.print(f"  committed {cid}")
    for kid in done.consignments:
        console.print(f"  to route {kid}")
    for offer, why in done.not_routed:
        console.print(f"  not routed {offer}: {why}")


def _items_table(rows: list[Item]) -> Table:
    """The catalog's items and their components."""
    return listing(
        "Items",
        ("Id", "Name", "Components"),
        [
            (i.id, i.name, ", ".join(f"{c.quantity} x {c.item}" for c in i.components) or "-")
            for i in rows
        ],
    )


@app.command("items")
def items() -> None:
    """List the catalog's items and their components."""
    print_stored(catalog.list_items, _items_table)


def _requirements_table(rows: list[Requirement]) -> Table:
    """The recipient's requirements."""
    return listing(
        "Requirements",
        ("Id", "Item", "Quantity", "Priority", "Needed by", "Substitutes"),
        [
            (
                r.id,
                r.item,
                r.quantity,
                f"{r.priority:g}",
                r.needed_by or "-",
                ", ".join(r.substitutes) or "-",
            )
            for r in rows
        ],
    )


@app.command("requirements")
def requirements() -> None:
    """List the recipient's requirements, highest priority first."""
    print_stored(catalog.list_requirements, _requirements_table)


def _offers_table(rows: list[Offer]) -> Table:
    """The donors' offers."""
    return listing(
        "Offers",
        ("Id", "Donor", "Item", "Quantity", "Available from", "Visibility"),
        [(o.id, o.donor, o.item, o.quantity, o.available_from or "-", o.visibility) for o in rows],
    )


@app.command("offers")
def offers(donor: Annotated[str | None, typer.Option(help="only this donor")] = None) -> None:
    """List the donors' offers."""
    print_stored(lambda session: catalog.list_offers(session, donor=donor), _offers_table)


def _component(text: str) -> Component:
    item, _, quantity = text.partition(":")
    if not item or not quantity.isdigit() or int(quantity) <= 0:
        fail(f"--component: {text!r} is not ITEM:QUANTITY with a positive quantity")
    return Component(item, int(quantity))


def _stored_check(session: Any) -> None:
    catalog.match_instance(session).check()


@app.command("add-item")
def add_item(
    item_id: Annotated[str, typer.Argument(help="the item's id")],
    name: Annotated[str, typer.Option(help="its name")] = "",
    component: Annotated[list[str] | None, typer.Option(help="ITEM:QUANTITY, repeatable")] = None,
) -> None:
    """Add or update an item and its bill of materials."""
    parts = tuple(_component(c) for c in component or [])
    with input_errors(), transaction() as session:
        known = {i.id for i in catalog.list_items(session)} | {item_id}
        for c in parts:
            if c.item not in known:
                raise InputError(f"items[{item_id}].components.item", f"unknown item {c.item!r}")
        catalog.upsert_item(session, Item(item_id, name, parts))
        session.flush()
        _stored_check(session)
    console.print(f"Item {item_id} saved.")


@app.command("add-requirement")
def add_requirement(
    requirement_id: Annotated[str, typer.Argument(help="the requirement's id")],
    item: Annotated[str, typer.Argument(help="the item required")],
    quantity: Annotated[int, typer.Argument(min=1, help="units")],
    priority: Annotated[float, typer.Option(min=0, help="weight of one unit")] = 1.0,
    needed_by: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    substitute: Annotated[list[str] | None, typer.Option(help="acceptable item")] = None,
    coalition: Annotated[
        str | None, typer.Option(help="the capability coalition it serves")
    ] = None,
) -> None:
    """Add or update one of the recipient's requirements."""
    with input_errors(), transaction() as session:
        requirement = Requirement(
            requirement_id,
            item,
            quantity,
            priority,
            parse_date(needed_by, f"requirements[{requirement_id}].needed_by"),
            tuple(substitute or []),
            coalition=coalition,
        )
        catalog.upsert_requirement(session, requirement)
        session.flush()
        _stored_check(session)
    console.print(f"Requirement {requirement_id} saved.")


@app.command("add-offer")
def add_offer(
    offer_id: Annotated[str, typer.Argument(help="the offer's id")],
    donor: Annotated[str, typer.Argument(help="the donor (ISO3)")],
    item: Annotated[str, typer.Argument(help="the item offered")],
    quantity: Annotated[int, typer.Argument(min=1, help="units")],
    available_from: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    visibility: Annotated[Visibility, typer.Option(help="who may see it")] = Visibility.PUBLIC,
    coalition: Annotated[
        str | None, typer.Option(help="the capability coalition it is offered under")
    ] = None,
) -> None:
    """Add or update a donor's offer (visibility coalition: seen by the coalition's leads)."""
    with input_errors(), transaction() as session:
        offer = Offer(
            offer_id,
            donor.upper(),
            item,
            quantity,
            parse_date(available_from, f"offers[{offer_id}].available_from"),
            visibility,
            coalition=coalition,
        )
        catalog.upsert_offer(session, offer)
        session.flush()
        _stored_check(session)
    console.print(f"Offer {offer_id} saved.")
