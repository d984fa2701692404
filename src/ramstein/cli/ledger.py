"""Ledger commands: load datasets, fair shares, contributions and their lifecycle."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ramstein.cli.common import (
    actor,
    console,
    input_errors,
    parse_date,
    print_stored,
    read_text,
    split_codes,
    transaction,
)
from ramstein.cli.tables import (
    Readable,
    contributions_table,
    credit_table,
    history_table,
    nation_history_table,
    resilience_table,
    restatements_table,
    review_table,
    shares_table,
)
from ramstein.domain.contributions import Status, TitleTransfer
from ramstein.domain.errors import InputError
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.io import kiel_release, washington
from ramstein.io.review_json import (
    credit_document,
    history_document,
    resilience_document,
    review_document,
)
from ramstein.io.scenario_json import parse_scenario, shares_document
from ramstein.ledger.editing import Edit, edit
from ramstein.ledger.loading import add_missing, load_scenario
from ramstein.ledger.standing import check_period, current_scenario, what_if_shares
from ramstein.services import purl
from ramstein.services.coalitions import load_dataset as load_coalitions
from ramstein.services.procurement import add_contract
from ramstein.services.releases import publish as publish_release
from ramstein.services.review import review_of, split_credit, take_snapshot
from ramstein.shares.fair import SharesResult, pct_of_gdp
from ramstein.shares.resilience import resilience as rank_withdrawals
from ramstein.shares.review import history
from ramstein.store import catalog, logistics
from ramstein.store import repositories as repo
from ramstein.store.training import import_training

contribution_app = typer.Typer(help="Contributions in the ledger and their lifecycle.")

DATASETS = {washington.NAME}
COUNTED_NOTE = (
    "contracted, shipped or delivered in the period, credited to who paid. Kiel's "
    "allocations, where the ledger holds them, are a lower bound of what the pledge counts "
    "(training and operating costs are not in them; PURL payments are)."
)


def load(
    source: Annotated[str, typer.Argument(help="washington-2024, or a ramstein.scenario/1 file")],
    kiel: Annotated[
        bool,
        typer.Option(help="washington-2024: with Kiel's monthly military allocations (Release 29)"),
    ] = True,
) -> None:
    """Load a dataset or scenario file into the store; running it twice changes nothing."""
    with input_errors():
        if source in DATASETS:
            scenario, others = washington.scenario()
        else:
            scenario, others = parse_scenario(read_text(Path(source))), []
            if not scenario.name:
                scenario = replace(scenario, name=Path(source).stem)
        with transaction() as session:
            summary = load_scenario(
                session, scenario, actor=actor(), reason=f"load {source}", other_nations=others
            )
            kiel_added = coalitions = 0
            if source == washington.NAME and kiel:
                known = {n.iso3 for n in (*scenario.nations, *others)}
                for nation in washington.kiel_donors(known):
                    repo.upsert_nation(session, nation)
                session.flush()
                kiel_added = add_missing(
                    session,
                    washington.kiel_contributions(),
                    actor=actor(),
                    reason=f"load {source}: {kiel_release.SOURCE}",
                )
            if source == washington.NAME:
                catalog.import_instance(session, washington.air_defence())
                logistics.import_network(
                    session, washington.logistics(), washington.LOGISTICS_START
                )
                import_training(session, washington.training())
                add_contract(session, washington.stinger(), actor=actor())
                purl.add_missing(session, washington.purl_packages(), actor=actor())
                coalitions = load_coalitions(session, washington.coalitions())
    console.print(
        f"Loaded {source}: {summary.nations} nations, {summary.fx_rates} FX rates, "
        f"{summary.contributions_changed} of {summary.contributions_total} contributions "
        "created or changed."
    )
    if source == washington.NAME:
        console.print(f"{coalitions} capability coalitions with their leads and roadmaps.")
    if source == washington.NAME and kiel:
        console.print(
            f"{kiel_added} monthly military allocations added from the {kiel_release.SOURCE} "
            "(rows already in the ledger kept as they are)."
        )


def _scenario(file: Path | None, year: int | None = None) -> Scenario:
    """The scenario of a file, or the store's current one (for the pledge period `year`)."""
    if file is not None:
        scenario = parse_scenario(read_text(file))
        if year is None:
            return scenario
        check_period(scenario, year)
        return scenario.for_period(year)
    with transaction() as session:
        # Summed in the database: shares and split credit need no per-row detail.
        return current_scenario(session, condensed=True, year=year)


class GdpBasis(StrEnum):
    """What "% of GDP" divides by: the key's GDP, or Kiel's (2021 GDP in EUR)."""

    KEY = "key"
    KIEL = "kiel"


def _kiel_basis(scenario: Scenario, result: SharesResult) -> Table:
    pct = pct_of_gdp(result, scenario, washington.KIEL_GDP, 2021)
    table = Readable(title="Counted in % of 2021 GDP in EUR (Kiel's basis)")
    for header in ("ISO3", "Nation", "Counted (EUR bn)", "% of GDP (Kiel)"):
        table.add_column(header, justify="left" if header in ("ISO3", "Nation") else "right")
    ranked = sorted(result.nations, key=lambda n: -(pct[n.iso3] or -1.0))
    for n in ranked:
        value = pct[n.iso3]
        table.add_row(
            n.iso3,
            n.name,
            f"{n.counted_eur / 1e9:,.2f}",
            "not in Kiel's table" if value is None else f"{value:.3f}",
        )
    return table


def shares(
    file: Annotated[Path | None, typer.Argument(help="a ramstein.scenario/1 file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.shares/1")] = False,
    without: Annotated[str, typer.Option(help="withdrawals, e.g. USA,DEU")] = "",
    baseline: Annotated[float | None, typer.Option(help="another baseline in EUR")] = None,
    mode: Annotated[OptOutShare | None, typer.Option(help="what opt-outs' portions do")] = None,
    resilience: Annotated[
        bool, typer.Option("--resilience", help="rank participants by the load their exit shifts")
    ] = False,
    year: Annotated[
        int | None, typer.Option(help="the pledge period (e.g. 2025); default the scenario's")
    ] = None,
    gdp_basis: Annotated[
        GdpBasis, typer.Option(help="% of GDP on the key's GDP, or on Kiel's (2021, EUR)")
    ] = GdpBasis.KEY,
) -> None:
    """Fair shares, counted and gaps: of a scenario file, or of the store's current scenario."""
    with input_errors():
        scenario = _scenario(file, year)
        if resilience:
            exits = rank_withdrawals(scenario)
        standing = what_if_shares(
            scenario, without=split_codes(without), baseline_eur=baseline, mode=mode
        )
    result = standing.result
    if resilience:
        if as_json:
            print(json.dumps(resilience_document(exits), indent=2))
        else:
            console.print(resilience_table(exits, {n.iso3: n.name for n in scenario.nations}))
        return
    if as_json:
        print(json.dumps(shares_document(result), indent=2))
        return
    title = f"Fair shares: {scenario.name or 'scenario'}"
    if standing.base is not None:
        title += " (what-if)"
    if str(scenario.period_start.year) not in title:
        title += f", {scenario.period_start.year}"
    title += f" (key: {scenario.key_indicator.upper()} {scenario.key_year})"
    console.print(shares_table(result, base=standing.base, title=title))
    console.print(
        f"Baseline EUR {result.baseline_eur / 1e9:,.2f} bn; "
        f"uncovered EUR {result.uncovered_eur / 1e9:,.2f} bn."
    )
    console.print(f"Counted: {COUNTED_NOTE} Rates: {scenario.fx_rule.label}.")
    if gdp_basis is GdpBasis.KIEL:
        with input_errors():
            console.print(_kiel_basis(scenario, result))


@contribution_app.command("list")
def contribution_list(
    donor: Annotated[str | None, typer.Option(help="only this donor (ISO3)")] = None,
    status: Annotated[Status | None, typer.Option(help="only this status")] = None,
) -> None:
    """List the ledger's contributions."""
    print_stored(
        lambda session: repo.list_contributions(session, donor=donor, status=status),
        contributions_table,
    )


Amount = Annotated[float | None, typer.Option(min=0, help="the amount, in --currency")]
CurrencyCode = Annotated[str | None, typer.Option(help="ISO 4217 code, e.g. EUR")]
Why = Annotated[str, typer.Option(help="why it changes (kept with the event)")]
Place = Annotated[str | None, typer.Option(help="delivered: where title passed to the recipient")]
On = Annotated[
    str | None, typer.Option(help="delivered: the day title passed (YYYY-MM-DD, default today)")
]


@contribution_app.command("status")
def contribution_status(
    contribution_id: Annotated[str, typer.Argument(help="the contribution's id")],
    to: Annotated[Status, typer.Argument(help="the new status")],
    why: Why = "",
    amount: Amount = None,
    currency: CurrencyCode = None,
    place: Place = None,
    on: On = None,
) -> None:
    """Move a contribution along its lifecycle, appending the event (contracted and
    delivered need an amount: give --amount if the row has none; a delivery names the
    place and day title passed)."""
    _edit(contribution_id, amount, currency, to, why, place, on)


@contribution_app.command("edit")
def contribution_edit(
    contribution_id: Annotated[str, typer.Argument(help="the contribution's id")],
    amount: Amount = None,
    currency: CurrencyCode = None,
    status: Annotated[Status | None, typer.Option(help="move it along its lifecycle")] = None,
    why: Why = "",
    place: Place = None,
    on: On = None,
) -> None:
    """Change a contribution's amount, currency and status in one audited write."""
    _edit(contribution_id, amount, currency, status, why, place, on)


def _edit(
    contribution_id: str,
    amount: float | None,
    currency: str | None,
    status: Status | None,
    why: str,
    place: str | None,
    on: str | None,
) -> None:
    with input_errors(), transaction() as session:
        day = parse_date(on, "--on") if on is not None else date.today()
        assert day is not None
        title = None if place is None else TitleTransfer(day, place)
        change = Edit(amount, currency, status, title)
        try:
            after = edit(session, contribution_id, change, actor=actor(), reason=why)
        except InputError as exc:
            if exc.field.endswith(".amount") and change.amount is None:
                # Say how to go on, rather than leave the caller at a dead end.
                raise InputError(exc.field, f"{exc.message}: give it with --amount") from None
            raise
    shown = "no amount" if after.amount is None else f"{after.amount:,.2f} {after.currency}"
    console.print(f"{after.id} is now {after.status}, {shown}.")


@contribution_app.command("history")
def contribution_history(
    contribution_id: Annotated[str, typer.Argument(help="the contribution's id")],
) -> None:
    """Show a contribution's status events (and, once delivered, where title passed)."""
    with input_errors(), transaction() as session:
        events = repo.contribution_history(session, contribution_id)
        title = repo.title_of(session, contribution_id)
    console.print(history_table(contribution_id, events))
    if title is not None:
        console.print(f"Title passed to the recipient on {title.on.isoformat()} at {title.place}.")


def review(
    year: Annotated[int | None, typer.Argument(help="the period (default: the scenario's)")] = None,
    snapshot: Annotated[
        str | None, typer.Option(help="record the H1 or H2 progress snapshot of the period")
    ] = None,
    nation: Annotated[
        str | None, typer.Option(help="one nation's standing in every period (ISO3)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.review/1")] = False,
    publish: Annotated[
        bool,
        typer.Option(help="publish a release of rounded totals, after the disclosure audit"),
    ] = False,
) -> None:
    """Review a period: shares now, change since the last snapshot, restatements."""
    with input_errors():
        if publish:
            with transaction() as session:
                scenario_year = year or current_scenario(session).period_start.year
                release = publish_release(session, scenario_year, actor())
            console.print(f"Release {release['id']} of {release['year']}, {release['label']}:")
            for cell in release["cells"]:
                console.print(f"  {cell['name']:<24} EUR {cell['eur'] / 1e9:,.1f} bn")
            return
        if snapshot is not None:
            with transaction() as session:
                taken = take_snapshot(session, year, snapshot.upper(), actor())
            console.print(
                f"Recorded snapshot {taken.label} {taken.year}: counted up to "
                f"{taken.figures.cutoff.isoformat()}, "
                f"EUR {sum(n.counted_eur for n in taken.figures.result.nations) / 1e9:,.2f} bn."
            )
            return
        if nation is not None:
            with transaction() as session:
                scenario = current_scenario(session)
            iso3 = nation.upper()
            rows = history(scenario, iso3)
            if as_json:
                print(json.dumps(history_document(iso3, rows), indent=2))
                return
            name = {n.iso3: n.name for n in scenario.nations}[iso3]
            console.print(nation_history_table(name, rows))
            return
        with transaction() as session:
            result = review_of(session, year)
    if as_json:
        print(json.dumps(review_document(result), indent=2))
        return
    console.print(review_table(result))
    if result.restatements:
        console.print(restatements_table(list(result.restatements)))
    else:
        console.print("No restatements against this period's snapshots.")


def credit(
    file: Annotated[Path | None, typer.Argument(help="a ramstein.scenario/1 file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.credit/1")] = False,
) -> None:
    """List every counted flow whose credit is split or passed on, with the rule applied."""
    with input_errors():
        flows = split_credit(_scenario(file))
    if as_json:
        print(json.dumps(credit_document(flows), indent=2))
        return
    console.print(credit_table(flows))
