"""`ramstein production ...`: Ukraine's production capacity, as supply and as funding need."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ramstein.cli.common import console, input_errors, read_text, transaction
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
    table = Table(title="Ukraine's production capacity", caption="funding: planned x unit price")
    for header in ("Id", "Maker", "Item", "Month", "Units", "Planned", "Funding needed"):
        table.add_column(header, justify="right" if header[0] in "UPF" else "left")
    for n in needs:
        c = n.capacity
        table.add_row(
            c.id,
            c.maker,
            c.item,
            f"{c.month:%Y-%m}",
            str(c.units),
            str(n.planned_units),
            f"{n.amount:,.0f} {c.currency}",
        )
    console.print(table)
