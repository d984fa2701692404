"""Spreadsheets and reports: `ramstein template`, `import`, `export` and `report`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ramstein.cli.common import actor, console, input_errors, transaction
from ramstein.cli.kiel import import_kiel
from ramstein.domain.access import ALLIANCE, PUBLIC, Role, Viewer, can_see
from ramstein.domain.errors import ImportRejected, InputError
from ramstein.io import spreadsheet
from ramstein.io.catalog_rows import parse_offers, parse_requirements
from ramstein.io.contribution_rows import parse_contributions
from ramstein.io.export import export as write_export
from ramstein.io.kiel import Undated, ValueColumn
from ramstein.io.report import write as write_report
from ramstein.ledger import importing
from ramstein.ledger.catalog_import import import_offers, import_requirements
from ramstein.ledger.standing import current_scenario
from ramstein.services.report import Edition
from ramstein.services.report import build as build_report
from ramstein.store import repositories as repo


class Kind(StrEnum):
    """What a template or an import holds."""

    CONTRIBUTIONS = "contributions"
    OFFERS = "offers"
    REQUIREMENTS = "requirements"


class Source(StrEnum):
    """What an import reads: a template's rows, or the Kiel tracker's workbook."""

    CONTRIBUTIONS = "contributions"
    OFFERS = "offers"
    REQUIREMENTS = "requirements"
    KIEL = "kiel"


def template(
    kind: Annotated[Kind, typer.Argument(help="contributions, offers or requirements")],
    file: Annotated[Path, typer.Argument(help="where to write it: .xlsx (drop-downs) or .csv")],
) -> None:
    """Write an import template: field names, an example row, drop-down lists in .xlsx."""
    with input_errors():
        spreadsheet.write_template(kind.value, file)
    console.print(f"Wrote the {kind.value} template to {file}.")


@contextmanager
def _progress(label: str) -> Iterator[Progress]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not sys.stderr.isatty() and not console.is_terminal,
    ) as progress:
        yield progress


def _rejected(file: Path, exc: ImportRejected) -> None:
    rows = len({e.row for e in exc.errors})
    print(
        f"error: {file.name}: {len(exc.errors)} problem(s) in {rows} row(s); nothing imported",
        file=sys.stderr,
    )
    for e in exc.errors:
        print(f"  {e}", file=sys.stderr)
    raise typer.Exit(2)


def import_(
    source: Annotated[Source, typer.Argument(help="contributions, offers, requirements or kiel")],
    file: Annotated[Path, typer.Argument(help=".xlsx, .csv or .parquet (kiel: the .xlsx)")],
    release: Annotated[
        int | None, typer.Option(help="kiel: the release number (else from the file name)")
    ] = None,
    value: Annotated[
        ValueColumn, typer.Option(help="kiel: row values as given (sub) or redistributed")
    ] = ValueColumn.SUB,
    undated: Annotated[
        Undated, typer.Option(help="kiel: rows with no date and no known month: keep or refuse")
    ] = Undated.KEEP,
    attribute_eu: Annotated[
        Path | None,
        typer.Option(help="kiel: spread EU-level aid over members by these shares (CSV)"),
    ] = None,
    skip_bad: Annotated[
        Path | None, typer.Option(help="kiel: write the good rows, the refused ones to this CSV")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option(help="kiel: per-donor totals beside Kiel's summary; write nothing")
    ] = False,
) -> None:
    """Import rows in one transaction: any bad row and nothing is written (all listed)."""
    if source is Source.KIEL:
        import_kiel(
            file,
            release=release,
            value=value,
            undated=undated,
            attribute_eu=attribute_eu,
            skip_bad=skip_bad,
            dry_run=dry_run,
        )
        return
    try:
        with input_errors(), transaction() as session:
            if source is Source.CONTRIBUTIONS:
                header, rows = spreadsheet.read_rows(file)
                with _progress("Reading") as progress:
                    task = progress.add_task(f"Reading {file.name}", total=None)
                    found = parse_contributions(
                        header,
                        rows,
                        importing.known_nations(session),
                        importing.stored_ids(session),
                        tick=lambda n: progress.advance(task, n),
                    )
                    write = progress.add_task("Writing", total=len(found))
                    summary = importing.write_contributions(
                        session,
                        found,
                        actor=actor(),
                        reason=f"import {file.name}",
                        tick=lambda n: progress.advance(write, n),
                    )
            elif source is Source.OFFERS:
                header, rows = spreadsheet.read_rows(file)
                summary = import_offers(session, *parse_offers(header, rows))
            else:
                header, rows = spreadsheet.read_rows(file)
                summary = import_requirements(session, *parse_requirements(header, rows))
    except ImportRejected as exc:
        _rejected(file, exc)
    console.print(
        f"Imported {file.name}: {summary.created} created, {summary.changed} changed, "
        f"{summary.unchanged} unchanged."
    )


def viewer_of(name: str) -> Viewer:
    """`public`, `alliance`, `coordinator` or a nation's ISO3 code, as a viewer."""
    lowered = name.lower()
    if lowered == "public":
        return PUBLIC
    if lowered == "coordinator":
        return Viewer(Role.COORDINATOR, name="coordinator")
    if lowered == "alliance":
        return ALLIANCE
    if len(name) == 3 and name.isalpha():
        return Viewer(Role.NATION, name.upper(), name.upper())
    raise InputError("as", f"is public, alliance, coordinator or an ISO3 code, not {name!r}")


def export(
    file: Annotated[Path, typer.Argument(help=".csv, .xlsx, .parquet, or .json (scenario)")],
    as_: Annotated[
        str, typer.Option("--as", help="whose view: public, alliance, coordinator or ISO3")
    ] = "coordinator",
) -> None:
    """Export the ledger as the viewer may see it; every format imports back the same."""
    with input_errors():
        viewer = viewer_of(as_)
        with transaction() as session:
            rows = [c for c in repo.list_contributions(session) if can_see(viewer, c)]
            scenario = None
            if file.suffix.lower() == ".json":
                full = current_scenario(session)
                scenario = replace(
                    full, contributions=tuple(c for c in full.contributions if can_see(viewer, c))
                )
        count = write_export(file, rows, scenario)
    console.print(f"Exported {count} contributions to {file} as seen by {as_}.")


def report(
    out: Annotated[Path, typer.Option(help="review.pdf or review.html")],
    period: Annotated[int | None, typer.Option(help="the year (default: the scenario's)")] = None,
    edition: Annotated[Edition, typer.Option(help="public or alliance")] = Edition.ALLIANCE,
) -> None:
    """The summit review report: baseline, fair shares, gaps, what-if, plans, sources."""
    with input_errors():
        if out.suffix.lower() not in (".pdf", ".html"):
            raise InputError("out", f"write a .pdf or .html report, not {out.name!r}")
        with transaction() as session:
            content = build_report(session, period, edition)
        write_report(content, out)
    console.print(f"Wrote the {edition.value} edition of {content['title']} to {out}.")
