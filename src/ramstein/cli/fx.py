"""Exchange rates: `ramstein fx list`, `fx import FILE` and `fx rule`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from ramstein.cli.common import console, input_errors, transaction
from ramstein.cli.tables import Readable
from ramstein.domain.errors import InputError
from ramstein.domain.money import FxRule
from ramstein.io.fx import read_rates
from ramstein.store import fx as fx_store
from ramstein.store import repositories as repo
from ramstein.store.models import ScenarioRow

app = typer.Typer(help="Euro reference rates: list, import a newer ECB file, choose the rule.")


@app.command("list")
def list_() -> None:
    """Every currency with rates: first and last day, and the latest rate per EUR 1."""
    with input_errors(), transaction() as session:
        rows = fx_store.listing(session)
        annual = fx_store.annual_rates(session)
        scenario = repo.current_scenario(session)
    table = Readable(title="Euro reference rates (units per EUR 1)")
    for header in ("Currency", "First day", "Last day", "Days", "Latest"):
        table.add_column(header, justify="right" if header in ("Days", "Latest") else "left")
    for r in rows:
        table.add_row(
            r.currency, r.first.isoformat(), r.last.isoformat(), str(r.days), f"{r.latest:,.6g}"
        )
    console.print(table)
    console.print(f"Source: {fx_store.bundled().origin}, and any rates imported since.")
    if annual:
        console.print(
            "Annual rates given by the scenario (used first): "
            + ", ".join(f"{r.source}/{r.target} {r.year} {r.rate:g}" for r in annual)
        )
    if scenario is not None:
        console.print(
            f"Rule of {scenario.name!r}: {scenario.fx_rule.value} ({scenario.fx_rule.label})."
        )


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="the ECB's eurofxref-hist (.csv or .zip), or date,currency,rate")
    ],
) -> None:
    """Add rates from a newer ECB history file or a table of one's own (units per EUR 1)."""
    with input_errors():
        rates = read_rates(file)
        with transaction() as session:
            done = fx_store.import_rates(session, rates, f"{file.name}")
    console.print(
        f"Imported {file.name}: {done.read} rates read ({done.first} to {done.last}), "
        f"{done.stored} stored, {done.known} already known."
    )


@app.command()
def rule(
    which: Annotated[FxRule, typer.Argument(help="annual (the year's average) or daily")],
) -> None:
    """Choose which rate converts the current scenario's contributions."""
    with input_errors(), transaction() as session:
        row = session.scalar(select(ScenarioRow).where(ScenarioRow.is_current))
        if row is None:
            raise InputError("scenario", "the store has none; run `ramstein load washington-2024`")
        options = dict(row.key_options or {})
        options.pop("fx_rule", None)
        if which is not FxRule.ANNUAL:
            options["fx_rule"] = which.value
        row.key_options = options or None
        name = row.name
    console.print(f"{name}: contributions now convert at the {which.label}.")
