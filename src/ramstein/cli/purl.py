"""`ramstein purl ...`: PURL packages through their lifecycle, with payers and payments."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
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
from ramstein.cli.tables import listing
from ramstein.domain.purl import APPROVER, Package
from ramstein.io.purl_json import package_document, parse_purl
from ramstein.services import purl
from ramstein.store import purl as store

app = typer.Typer(help="PURL packages: US equipment paid for by allies, approved by SACEUR.")

PackageId = Annotated[str, typer.Argument(help="the package's id")]
On = Annotated[str, typer.Option(help="the date, YYYY-MM-DD")]


def _usd(amount: float) -> str:
    return f"{amount / 1e6:,.1f}"


def packages_table(packages: list[Package]) -> Table:
    """Every package with its stage, value, payers and what is paid (ids never cut)."""
    return listing(
        "PURL packages",
        ("Id", "Status", "Approved", "Value", "Paid", "Payers", "Items"),
        (
            (
                p.id,
                p.status.value,
                p.approved_on or "",
                _usd(p.value_usd),
                _usd(p.paid_usd),
                ", ".join(f"{x.iso3} {_usd(x.amount_usd)}" for x in p.payers),
                ", ".join(f"{i.quantity} x {i.item}" for i in p.items)
                + (" (illustrative)" if p.illustrative else ""),
            )
            for p in packages
        ),
        right=("Value", "Paid"),
        optional=("Approved", "Paid"),
        caption="USD m",
    )


@app.command("add")
def add(file: Annotated[Path, typer.Argument(help="a ramstein.purl/1 file")]) -> None:
    """Record the packages of a file (at the stage each gives); twice changes nothing."""
    with input_errors():
        packages = parse_purl(read_text(file))
        with transaction() as session:
            new = [p.id for p in packages if purl.add_package(session, p, actor=actor())]
    console.print(f"Recorded {len(new)} of {len(packages)} packages: {', '.join(new) or '-'}.")


@app.command("list")
def list_packages() -> None:
    """Every package with its stage, value, payers and content."""
    print_stored(store.list_packages, packages_table)


@app.command("show")
def show(
    package_id: PackageId,
    as_json: Annotated[bool, typer.Option("--json", help="the package as JSON")] = False,
) -> None:
    """A package's terms, payers, payments and events."""
    with input_errors(), transaction() as session:
        package = store.get_package(session, package_id)
        history = store.events(session, package_id)
    if as_json:
        doc = package_document(package) | {
            "events": [
                {"at": at.isoformat(), "actor": who, "kind": kind, "note": note}
                for at, who, kind, note in history
            ]
        }
        print(json.dumps(doc, indent=2))
        return
    console.print(packages_table([package]))
    console.print(f"Answers: {', '.join(package.requirements) or '-'}. {package.source}")
    if package.counted_by:
        console.print(f"Payments counted in: {package.counted_by}")
    for at, who, kind, note in history:
        console.print(f"{at:%Y-%m-%d %H:%M} {kind} {note} ({who})")


Change = Callable[[Session, date], Package]


def _change(day: str, change: Change) -> None:
    with input_errors():
        when = parse_date(day, "on")
        if when is None:
            fail("on: give a date, YYYY-MM-DD")
        with transaction() as session:
            package = change(session, when)
    console.print(packages_table([package]))


@app.command("approve")
def approve(
    package_id: PackageId,
    on: On,
    by: Annotated[str, typer.Option(help="who approves")] = APPROVER,
) -> None:
    """SACEUR's approval: payments become commitments, the content offers to the match."""
    _change(on, lambda s, d: purl.approve(s, package_id, d, by, actor=actor()))


@app.command("pay")
def pay(
    package_id: PackageId,
    payer: Annotated[str, typer.Argument(help="the paying nation, ISO3")],
    on: On,
) -> None:
    """A payer pays its part (counted from that day); the last payment funds the package."""
    _change(on, lambda s, d: purl.pay(s, package_id, payer.upper(), d, actor=actor()))


@app.command("start-delivery")
def start_delivery(package_id: PackageId, on: On) -> None:
    """The US begins delivering a funded package."""
    _change(on, lambda s, d: purl.start_delivery(s, package_id, d, actor=actor()))


@app.command("deliver")
def deliver(package_id: PackageId, on: On) -> None:
    """The package delivered: its payments delivered; the US's delivery is never credited."""
    _change(on, lambda s, d: purl.deliver(s, package_id, d, actor=actor()))


@app.command("status")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="the figures as JSON")] = False,
) -> None:
    """How many packages are at each stage, their value and what is paid."""
    with transaction() as session:
        standing = purl.standing(session)
    by_status = standing.by_status()
    if as_json:
        doc = {
            "packages": len(standing.packages),
            "by_status": by_status,
            "value_usd": standing.value_usd,
            "paid_usd": standing.paid_usd,
        }
        print(json.dumps(doc, indent=2))
        return
    stages = ", ".join(f"{k} {v}" for k, v in by_status.items())
    console.print(
        f"{len(standing.packages)} packages ({stages}); value USD {_usd(standing.value_usd)} m, "
        f"paid USD {_usd(standing.paid_usd)} m."
    )
