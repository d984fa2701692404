"""`ramstein production ...`: Ukraine's production capacity, as supply and as funding need."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ramstein.cli.common import console, input_errors, read_text, transaction
from ramstein.cli.tables import listing
from ramstein.io.production_json import parse_production
from ramstein.services import production

app = typer.Typer(help="Ukraine's own production: capacity per item and month, and its funding.")


@app.command("add")
def add(file: Annotated[Path, typer.Argument(help="a ramstein.production/1 file")]) -> None:
    """Record capacities; each becomes an offer of Ukraine's industry to the match."""
    with input_errors():
        capacities = parse_production(read_text(file))
        with transaction() as session:
            changed = production.add_capacities(session, capacities)
    console.print(f"{changed} of {len(capacities)} capacities recorded or changed.")


@app.command("list")
def list_capacities() -> None:
    """Each capacity, the units the latest match plan draws from it, and the funding needed."""
    with transaction() as session:
        needs = production.funding_needs(session)
    headers = ("Id", "Maker", "Item", "Month", "Units", "Planned", "Funding needed")
    rows = (
        (
            n.capacity.id,
            n.capacity.maker,
            n.capacity.item,
            f"{n.capacity.month:%Y-%m}",
            n.capacity.units,
            n.planned_units,
            f"{n.amount:,.0f} {n.capacity.currency}",
        )
        for n in needs
    )
    caption = "funding: planned x unit price"
    right = ("Units", "Planned", "Funding needed")
    console.print(
        listing("Ukraine's production capacity", headers, rows, right=right, caption=caption)
    )
