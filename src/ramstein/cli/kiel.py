"""`ramstein import kiel FILE`: the tracker's main sheet, reconciled against the last release."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import typer
from rich.table import Table

from ramstein.cli.common import actor, console, fail, transaction
from ramstein.cli.tables import Readable
from ramstein.domain.errors import InputError
from ramstein.io.kiel import (
    EuShares,
    KielRead,
    Undated,
    ValueColumn,
    read_kiel,
    refused_report,
)
from ramstein.services.kiel import import_release

RELEASE_IN_NAME = re.compile(r"(?:release|\br)[ _-]?(\d{1,3})(?!\d)", re.IGNORECASE)


def release_from(file: Path, given: int | None) -> int:
    """The release number: given, or named in the file name ("Release 28", "r28-...")."""
    if given is not None:
        if given < 1:
            raise InputError("release", f"{given} is not a release number")
        return given
    m = RELEASE_IN_NAME.search(file.stem)
    if m is None:
        raise InputError("release", f"{file.name} names no release: give --release N")
    return int(m[1])


def _comparison(read: KielRead) -> Table:
    totals = read.totals()
    summary = read.summary or {}
    table = Readable(title=f"Military allocations per donor, Kiel Release {read.release} (EUR bn)")
    for header in ("Donor", "Read here", "Kiel's country summary", "Difference", "%"):
        table.add_column(header, justify="left" if header == "Donor" else "right")
    for iso3 in sorted(set(totals) | set(summary)):
        mine = totals.get(iso3, 0.0)
        theirs = summary.get(iso3)
        if theirs is None:
            table.add_row(iso3, f"{mine / 1e9:,.3f}", "-", "-", "-")
            continue
        diff = mine - theirs
        pct = f"{100 * diff / theirs:+.2f}" if theirs else ("0.00" if abs(diff) < 1 else "n/a")
        table.add_row(
            iso3, f"{mine / 1e9:,.3f}", f"{theirs / 1e9:,.3f}", f"{diff / 1e9:+,.3f}", pct
        )
    return table


def _report(read: KielRead, skip_bad: Path | None) -> None:
    """Refused rows (to the report file), rows left aside and what the reading noted."""
    if skip_bad is not None:
        refused_report(skip_bad, read.refused)
        rows = len({e.row for e in read.refused})
        console.print(f"{rows} row(s) refused, listed in {skip_bad}.")
    for reason, count in sorted(read.aside.items()):
        console.print(f"{count} {reason} left aside.")
    for note in read.notes:
        console.print(note)


def import_kiel(
    file: Path,
    *,
    release: int | None,
    value: ValueColumn,
    undated: Undated,
    attribute_eu: Path | None,
    skip_bad: Path | None,
    dry_run: bool,
) -> None:
    """Read the sheet; refuse it whole on any bad row (or write the good ones and a report)."""
    try:
        number = release_from(file, release)
        shares = EuShares.read(attribute_eu) if attribute_eu is not None else None
        read = read_kiel(file, release=number, value=value, undated=undated, eu_shares=shares)
    except InputError as exc:
        fail(str(exc))
    if read.refused and skip_bad is None:
        rows = len({e.row for e in read.refused})
        print(
            f"error: {file.name}: {len(read.refused)} problem(s) in {rows} row(s); "
            "nothing imported (--skip-bad REPORT.csv writes the good rows)",
            file=sys.stderr,
        )
        for e in read.refused:
            print(f"  {e}", file=sys.stderr)
        raise typer.Exit(2)
    if dry_run:
        _report(read, skip_bad)
        console.print(_comparison(read))
        if read.summary is None:
            console.print("The workbook has no country summary to compare with.")
        console.print(f"Dry run: {len(read.contributions)} contributions read, nothing written.")
        return
    try:
        with transaction() as session:
            done = import_release(session, read, actor=actor())
    except InputError as exc:
        fail(str(exc))
    _report(read, skip_bad)
    if done.superseded:
        console.print(
            f"{done.superseded} monthly Kiel totals of the same donors cancelled as superseded "
            "by the sheet's rows (no donor counts twice)."
        )
    if done.nations_added:
        console.print(f"Donors added: {', '.join(done.nations_added)}.")
    console.print(
        f"Imported {file.name} (Kiel Release {number}): {done.created} created, "
        f"{done.revised} revised, {done.unchanged} unchanged, {done.withdrawn} withdrawn."
    )
