"""Kiel import benchmark: the tracker's main sheet (Release 28, 5,565 rows, 90 columns).

    python -m bench.kiel [--runs 3] [--write FILE]

The sheet is Release 28 rebuilt in Kiel's real layout from `../shared/data/kiel/` (see
`tests/io/kiel_fixture.py`). Timed, each run on a fresh SQLite store with the Washington
dataset: reading the sheet (`read_kiel`: cells, netting, ids) and the whole import (reading
and writing the release in one transaction), beside the baseline of reading the same
sheet with openpyxl (the importer reads it with calamine). Wall and CPU seconds, median of
the runs; the machine's load average is noted, since other work shares it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.io.kiel_fixture import real_rows, write_workbook

from bench.ledger import fresh
from bench.machine import report
from ramstein.io.kiel import SHEET, read_kiel
from ramstein.io.spreadsheet import read_rows
from ramstein.services.kiel import import_release

TARGET_S = 5.0


def timed(step: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    step()
    return time.perf_counter() - wall, time.process_time() - cpu


def openpyxl_read(path: Path) -> int:
    """Every cell of the main sheet through openpyxl's read-only mode (the baseline)."""
    _, rows = read_rows(path, sheet=SHEET)
    return sum(1 for _ in rows)


def run(book: Path, workdir: Path, k: int) -> dict[str, tuple[float, float]]:
    """One run: read, import into a fresh store, and the openpyxl baseline."""
    found: dict[str, tuple[float, float]] = {}
    found["read"] = timed(lambda: read_kiel(book, release=28))
    store = fresh(f"sqlite:///{workdir / f'kiel-{k}.db'}")

    def whole() -> None:
        read = read_kiel(book, release=28)
        with store.transaction("bench") as session:
            import_release(session, read, actor="bench")

    found["import"] = timed(whole)
    store.close()
    found["openpyxl"] = timed(lambda: openpyxl_read(book))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=0, help="only the first N rows (tests)")
    parser.add_argument("--write", help="write the Markdown table to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rows = real_rows()
        book = write_workbook(workdir / "release-28.xlsx", rows[: args.rows or None])
        runs = [run(book, workdir, k) for k in range(args.runs)]
    load = os.getloadavg()[0]
    table = []
    for step, label in (
        ("read", "read the sheet (calamine)"),
        ("import", "read and import, one transaction"),
        ("openpyxl", "baseline: openpyxl reads the sheet"),
    ):
        wall = statistics.median(r[step][0] for r in runs)
        cpu = statistics.median(r[step][1] for r in runs)
        verdict = ""
        if step == "import":
            verdict = "met" if wall < TARGET_S else "missed"
        table.append([label, f"{wall:.2f}", f"{cpu:.2f}", verdict])
    report(
        f"Kiel Release 28 main sheet ({len(rows):,} rows x 90 columns), "
        f"median of {args.runs}, load average {load:.1f}",
        ("step", "wall s", "CPU s", "under 5 s"),
        table,
        seed=0,
        write=args.write,
    )


if __name__ == "__main__":
    main()
