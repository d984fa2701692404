"""`ramstein contract ...`: multinational contracts, lot allocation, deliveries and delays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ramstein.cli.common import (
    actor,
    console,
    fail,
    input_errors,
    parse_date,
    read_text,
    transaction,
)
from ramstein.domain.procurement import Contract
from ramstein.io.contract_json import allocation_document, contract_document, parse_contract
from ramstein.plan.lots import Allocation
from ramstein.services import procurement
from ramstein.store import procurement as store

app = typer.Typer(help="Multinational procurement contracts and their production lots.")


def allocation_table(contract: Contract, allocation: Allocation) -> Table:
    """Units per buyer per lot (donated in brackets), cumulative share of each order."""
    table = Table(
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


@app.command("add")
def add(file: Annotated[Path, typer.Argument(help="a ramstein.contract/1 file")]) -> None:
    """Record a signed contract; its donated units become offers. Twice changes nothing."""
    with input_errors():
        contract = parse_contract(read_text(file))
        with transaction() as session:
            new = procurement.add_contract(session, contract, actor=actor())
    console.print(f"{'Recorded' if new else 'Unchanged'}: contract {contract.id}.")


@app.command("list")
def list_contracts() -> None:
    """Every contract with its buyers and progress."""
    with transaction() as session:
        contracts = store.list_contracts(session)
    table = Table(title="Contracts")
    for header in ("Id", "Agency", "Item", "Units", "Value", "Buyers", "Lots delivered"):
        table.add_column(header)
    for c in contracts:
        done = sum(1 for lot in c.lots if lot.status.value == "delivered")
        table.add_row(
            c.id,
            c.agency,
            c.item,
            str(c.ordered),
            f"{c.total_value:,.0f} {c.currency}",
            ", ".join(b.iso3 for b in c.buyers),
            f"{done} of {len(c.lots)}",
        )
    console.print(table)


@app.command("show")
def show(
    contract_id: Annotated[str, typer.Argument(help="the contract's id")],
    as_json: Annotated[bool, typer.Option("--json", help="terms, lots and allocation")] = False,
) -> None:
    """A contract's terms, lots, events and current allocation."""
    with input_errors(), transaction() as session:
        contract, allocation = procurement.allocation_of(session, contract_id)
        history = store.events(session, contract_id)
    if as_json:
        doc = contract_document(contract) | {"allocation": allocation_document(allocation)}
        print(json.dumps(doc, indent=2))
        return
    console.print(f"[bold]{contract.id}[/bold] {contract.agency}; supplier {contract.supplier}")
    console.print(f"Signed {contract.signed}; {contract.source}")
    console.print(allocation_table(contract, allocation))
    for at, who, kind, lot, note in history:
        console.print(f"{at:%Y-%m-%d %H:%M} {kind} {lot} {note} ({who})")


@app.command("allocate")
def allocate(
    contract_id: Annotated[str, typer.Argument(help="the contract's id")],
    as_json: Annotated[
        bool, typer.Option("--json", help="print ramstein.lot-allocation/1")
    ] = False,
) -> None:
    """Plan every lot not yet delivered and publish donated units as offers."""
    with input_errors(), transaction() as session:
        contract, allocation = procurement.allocation_of(session, contract_id)
        offers = procurement.publish(session, contract, allocation)
    if as_json:
        print(json.dumps(allocation_document(allocation), indent=2))
        return
    console.print(allocation_table(contract, allocation))
    console.print(f"{len(offers)} offers of donated units published to the match planner.")


@app.command("deliver-lot")
def deliver_lot(
    contract_id: Annotated[str, typer.Argument(help="the contract's id")],
    lot: Annotated[str, typer.Argument(help="the lot's id")],
    on: Annotated[str, typer.Option(help="delivery date, YYYY-MM-DD")],
) -> None:
    """Deliver a lot: its allocation is fixed; donated units count in the buyers' ledgers."""
    with input_errors():
        day = parse_date(on, "on")
        if day is None:
            fail("on: give the delivery date")
        with transaction() as session:
            allocation = procurement.deliver_lot(session, contract_id, lot, day, actor=actor())
            contract = store.get_contract(session, contract_id)
    console.print(allocation_table(contract, allocation))


@app.command("complete-lot")
def complete_lot(
    contract_id: Annotated[str, typer.Argument(help="the contract's id")],
    lot: Annotated[str, typer.Argument(help="the lot's id")],
) -> None:
    """Record that a lot has been built."""
    with input_errors(), transaction() as session:
        procurement.complete_lot(session, contract_id, lot, actor=actor())
    console.print(f"Lot {lot} of {contract_id} completed.")


@app.command("delay-lot")
def delay_lot(
    contract_id: Annotated[str, typer.Argument(help="the contract's id")],
    lot: Annotated[str, typer.Argument(help="the lot's id")],
    to: Annotated[str, typer.Option(help="the new expected date, YYYY-MM-DD")],
) -> None:
    """Move a lot later; the lots after it are re-planned."""
    with input_errors():
        day = parse_date(to, "to")
        if day is None:
            fail("to: give the new expected date")
        with transaction() as session:
            allocation = procurement.delay_lot(session, contract_id, lot, day, actor=actor())
            contract = store.get_contract(session, contract_id)
    console.print(allocation_table(contract, allocation))
