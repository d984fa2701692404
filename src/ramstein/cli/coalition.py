"""`ramstein coalition`: capability coalitions, their leads and roadmaps, and a lead's view."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from ramstein.cli.common import TimeLimit, console, fail, input_errors, print_stored, transaction
from ramstein.cli.exchange import viewer_of
from ramstein.cli.plan_tables import coverage_table, requirements_table
from ramstein.cli.tables import listing
from ramstein.domain.coalitions import Coalition, RoadmapTarget
from ramstein.io.match_json import plan_document
from ramstein.services import coalitions
from ramstein.store import catalog
from ramstein.store import coalitions as coalition_store

app = typer.Typer(help="Capability coalitions: leads, roadmaps, offers and coverage.")

AsViewer = Annotated[
    str, typer.Option("--as", help="whose view: public, alliance, coordinator or ISO3")
]


def _coalitions_table(rows: list[Coalition]) -> Table:
    """Every coalition with its leads and roadmap targets."""
    return listing(
        "Capability coalitions",
        ("Id", "Coalition", "Leads", "Roadmap"),
        (
            (
                c.id,
                c.name,
                ", ".join(c.leads),
                "; ".join(
                    f"{t.quantity:,} {t.item} by {t.year}" + (" (illustr.)" * t.illustrative)
                    for t in c.targets
                )
                or "-",
            )
            for c in rows
        ),
    )


@app.command("list")
def list_() -> None:
    """Every coalition with its leads and roadmap targets."""
    print_stored(coalition_store.list_coalitions, _coalitions_table)


@app.command("show")
def show(
    coalition: Annotated[str, typer.Argument(help="the coalition's id")],
    as_: AsViewer = "coordinator",
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.coalition/1")] = False,
) -> None:
    """A coalition as a viewer sees it: roadmap progress, its offers, and the coverage of its
    requirements (from the offers that viewer may see)."""
    with input_errors(), transaction() as session:
        viewer = coalition_store.with_coalitions(session, viewer_of(as_))
        seen = coalitions.view(session, viewer, coalition)
    doc = seen.document()
    if as_json:
        print(json.dumps(doc, indent=2))
        return
    c = seen.coalition
    console.print(f"[bold]{c.name}[/bold] ({c.id}), led by {', '.join(c.leads) or 'no one'}")
    console.print(
        listing(
            "Roadmap progress (units offered and available by the end of the year)",
            ("Item", "Year", "Target", "Offered", "%", "Target is"),
            (
                (
                    p["item"],
                    p["year"],
                    f"{p['target']:,}",
                    f"{p['offered']:,}",
                    f"{100 * p['share']:.1f}",
                    "illustrative" if p["illustrative"] else "published",
                )
                for p in doc["progress"]
            ),
            right=("Target", "Offered", "%"),
        )
    )
    console.print(
        listing(
            "Offers under the coalition",
            ("Offer", "Donor", "Item", "Units", "Available", "Visibility"),
            (
                (
                    o["id"],
                    o["donor"],
                    o["item"],
                    o["quantity"],
                    o["available_from"] or "now",
                    o["visibility"],
                )
                for o in doc["offers"]
            ),
            right=("Units",),
        )
    )
    if doc["coverage"] is not None:
        console.print(
            listing(
                "Coverage of the coalition's requirements (direct offers, before pooling)",
                ("Requirement", "Item", "Priority", "Required", "Offered", "Covered"),
                (
                    (
                        r["requirement"],
                        r["item"],
                        f"{r['priority']:g}",
                        r["required"],
                        r["offered"],
                        r["covered"],
                    )
                    for r in doc["coverage"]
                ),
                right=("Priority", "Required", "Offered", "Covered"),
            )
        )


@app.command("lead")
def lead(
    coalition: Annotated[str, typer.Argument(help="the coalition's id")],
    nation: Annotated[str, typer.Argument(help="ISO3 of the nation")],
    remove: Annotated[bool, typer.Option("--remove", help="no longer a lead")] = False,
) -> None:
    """Make a nation a lead of a coalition (its accounts then see the offers shared with the
    coalition and may run its match), or no longer."""
    with input_errors(), transaction() as session:
        if remove:
            coalition_store.remove_lead(session, coalition, nation.upper())
        else:
            coalition_store.add_lead(session, coalition, nation.upper())
        leads = coalition_store.leads_of(session, coalition)
    console.print(f"{coalition}: led by {', '.join(leads) or 'no one'}.")


@app.command("target")
def target(
    coalition: Annotated[str, typer.Argument(help="the coalition's id")],
    item: Annotated[str, typer.Argument(help="catalog item id")],
    year: Annotated[int, typer.Argument(help="by the end of this year")],
    quantity: Annotated[int, typer.Argument(help="units")],
    illustrative: Annotated[bool, typer.Option(help="not a published figure")] = False,
    source: Annotated[str, typer.Option(help="where the figure comes from")] = "",
) -> None:
    """Add or replace a roadmap target of a coalition."""
    with input_errors(), transaction() as session:
        coalition_store.set_target(
            session, coalition, RoadmapTarget(item, year, quantity, illustrative, source)
        )
    console.print(f"{coalition}: {quantity:,} {item} by {year}.")


@app.command("tag")
def tag(
    kind: Annotated[str, typer.Argument(help="requirement or offer")],
    record: Annotated[str, typer.Argument(help="the requirement's or offer's id")],
    coalition: Annotated[str, typer.Argument(help="the coalition's id, or - for none")],
) -> None:
    """Say which coalition a requirement serves or an offer is made under."""
    target_id = None if coalition == "-" else coalition
    with input_errors(), transaction() as session:
        if kind == "requirement":
            catalog.tag_requirement(session, record, target_id)
        elif kind == "offer":
            catalog.tag_offer(session, record, target_id)
        else:
            fail(f"kind: is requirement or offer, not {kind!r}")
    console.print(f"{kind} {record}: coalition {target_id or 'none'}.")


@app.command("match")
def match(
    coalition: Annotated[str, typer.Argument(help="the coalition's id")],
    as_: AsViewer = "coordinator",
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.match-plan/1")] = False,
    time_limit: TimeLimit = None,
) -> None:
    """Match the coalition's requirements against the offers the viewer may see (a lead or a
    coordinator; not saved)."""
    with input_errors(), transaction() as session:
        viewer = coalition_store.with_coalitions(session, viewer_of(as_))
        try:
            instance, plan = coalitions.match(session, viewer, coalition, time_limit=time_limit)
        except coalitions.NotLead as exc:
            fail(str(exc))
    if as_json:
        print(json.dumps(plan_document(plan), indent=2))
        return
    console.print(coverage_table(instance, plan))
    console.print(requirements_table(instance, plan))
    proof = "optimal" if plan.optimal else f"bound {plan.bound:,.6g}"
    console.print(f"Score {plan.score:,.6g} ({proof}), {len(instance.offers)} offers seen.")
