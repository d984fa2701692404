"""`ramstein contract ...`: multinational contracts, lot allocation, deliveries and delays."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from ramstein.cli.common import (
    actor,
    console,
    fail,
    input_errors,
    parse_date,
    print_stored,
    read_text,
    transaction,
)
from ramstein.cli.plan_tables import allocation_table, contracts_table
from ramstein.io.contract_json import allocation_document, contract_document, parse_contract
from ramstein.plan.lots import Allocation
from ramstein.services import procurement
from ramstein.store import procurement as store

app = typer.Typer(help="Multinational procurement contracts and their production lots.")

ContractId = Annotated[str, typer.Argument(help="the contract's id")]
LotId = Annotated[str, typer.Argument(help="the lot's id")]
LotChange = Callable[[Session, str, str, date], Allocation]


def _change_lot(contract_id: str, lot: str, day: str, field: str, change: LotChange) -> None:
    """Apply a dated change to a lot and show the contract's allocation after it."""
    with input_errors():
        when = parse_date(day, field)
        if when is None:
            fail(f"{field}: give a date, YYYY-MM-DD")
        with transaction() as session:
            allocation = change(session, contract_id, lot, when)
            contract = store.get_contract(session, contract_id)
    console.print(allocation_table(contract, allocation))


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
    print_stored(store.list_contracts, contracts_table)


@app.command("show")
def show(
    contract_id: ContractId,
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
    contract_id: ContractId,
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
    contract_id: ContractId,
    lot: LotId,
    on: Annotated[str, typer.Option(help="delivery date, YYYY-MM-DD")],
) -> None:
    """Deliver a lot: its allocation is fixed; donated units count in the buyers' ledgers."""
    _change_lot(
        contract_id,
        lot,
        on,
        "on",
        lambda session, c, n, day: procurement.deliver_lot(session, c, n, day, actor=actor()),
    )


@app.command("complete-lot")
def complete_lot(
    contract_id: ContractId,
    lot: LotId,
) -> None:
    """Record that a lot has been built."""
    with input_errors(), transaction() as session:
        procurement.complete_lot(session, contract_id, lot, actor=actor())
    console.print(f"Lot {lot} of {contract_id} completed.")


@app.command("delay-lot")
def delay_lot(
    contract_id: ContractId,
    lot: LotId,
    to: Annotated[str, typer.Option(help="the new expected date, YYYY-MM-DD")],
) -> None:
    """Move a lot later; the lots after it are re-planned."""
    _change_lot(
        contract_id,
        lot,
        to,
        "to",
        lambda session, c, n, day: procurement.delay_lot(session, c, n, day, actor=actor()),
    )
