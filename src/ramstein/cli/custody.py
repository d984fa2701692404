"""`ramstein custody`: serial numbers of sensitive items, their last known place, the
discrepancies at checkpoints, and each consignment's delivery status."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ramstein.cli.common import console, input_errors, transaction
from ramstein.cli.tables import listing
from ramstein.io.custody_json import custody_document, deliveries_document
from ramstein.services import custody
from ramstein.store import catalog

app = typer.Typer(help="Custody of sensitive items by serial number, and deliveries.")


@app.command("report")
def report(
    consignment: Annotated[str | None, typer.Option(help="only this consignment")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.custody/1")] = False,
) -> None:
    """Every serial of a sensitive item with its last known place, then the discrepancies
    (a serial missing at a checkpoint, or checked where it was never sent)."""
    with input_errors(), transaction() as session:
        found = custody.report(session, consignment=consignment)
    doc = custody_document(found.sensitive_items, found.serials, found.discrepancies)
    if as_json:
        print(json.dumps(doc, indent=2))
        return
    console.print(
        listing(
            "Serials and their last known place",
            ("Serial", "Item", "Consignment", "State", "Place", "Towards", "At", "Missing"),
            (
                (
                    s["serial"],
                    s["item"],
                    s["consignment"],
                    s["state"],
                    s["place"],
                    s["to"] or "",
                    s["at"],
                    "MISSING" if s["missing"] else "",
                )
                for s in doc["serials"]
            ),
        )
    )
    console.print(
        listing(
            f"Discrepancies: {len(doc['discrepancies'])}",
            ("Serial", "Item", "Consignment", "Kind", "Checkpoint", "Last seen at"),
            (
                (
                    d["serial"],
                    d["item"],
                    d["consignment"],
                    d["kind"],
                    d["checkpoint"],
                    d["last_place"] or "",
                )
                for d in doc["discrepancies"]
            ),
        )
    )


@app.command("sensitive")
def sensitive(
    item: Annotated[str, typer.Argument(help="catalog item id")],
    off: Annotated[bool, typer.Option("--off", help="no longer sensitive")] = False,
) -> None:
    """Mark an item sensitive: its serials are then checked at dispatch, hubs and receipt."""
    with input_errors(), transaction() as session:
        catalog.mark_sensitive(session, item, not off)
    console.print(f"{item}: {'not ' if off else ''}sensitive.")


@app.command("deliveries")
def deliveries(
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.deliveries/1")] = False,
) -> None:
    """Each consignment's status: ready, shipped, delivered (day and place of receipt), lost."""
    with input_errors(), transaction() as session:
        rows = custody.lifecycles(session)
    doc = deliveries_document(rows)
    if as_json:
        print(json.dumps(doc, indent=2))
        return
    console.print(
        listing(
            "Consignments by lifecycle status",
            ("Consignment", "Status", "Delivered on", "At"),
            (
                (c["id"], c["status"], c["delivered_on"] or "", c["place"] or "")
                for c in doc["consignments"]
            ),
        )
    )
