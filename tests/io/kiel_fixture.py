"""Release 28's main sheet in Kiel's real column layout, rebuilt from the normalised file.

`../shared/data/kiel/r28-main-normalised.csv` renamed its columns (Norwegian) and dropped
those it did not need. This puts back the real names (per `../shared/data/kiel/README.md`),
the real cell forms (`month_exists_dummy` as 1/0, blank dates blank) and the columns an
importer must know; the sheet's ids are rebuilt: one activity per run of consecutive rows
with the same donor, type, measure, month and date (a package's items are listed together),
its rows numbered as sub-activities. The other columns of the real sheet (about 90 in all)
are there as filler, so that reading it costs what reading the real one does. The
workbook's "Country Summary (€)" sheet holds `r28-country-summary.csv` (EUR bn).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook

KIEL = Path("../shared/data/kiel")
MAIN = KIEL / "r28-main-normalised.csv"
SUMMARY = KIEL / "r28-country-summary.csv"
RENAMED = {
    "giver": "donor",
    "dato": "announcement_date",
    "kategori": "aid_type_general",
    "maal": "measure",
    "verdi_eur": "tot_sub_activity_value_EUR",
    "verdi_eur_redistr": "tot_sub_activity_value_EUR_redistr",
    "verdi_eur_activity": "tot_activity_value_EUR",
    "maaned_nr": "month",
    "maaned_finnes": "month_exists_dummy",
}
COLUMNS = [
    "ID",
    "activity_id",
    "sub_activity_id",
    "donor",
    "announcement_date",
    "aid_type_general",
    "aid_type_specific",
    "measure",
    "explanation",
    "item",
    "quantity",
    "item_price_USD",
    "reported_currency",
    "tot_value_reported_currency",
    "tot_sub_activity_value_EUR",
    "tot_sub_activity_value_EUR_redistr",
    "tot_activity_value_EUR",
    "month",
    "month_exists_dummy",
]
FILLER = [f"other_column_{k:02d}" for k in range(len(COLUMNS), 90)]


def real_rows(path: Path = MAIN) -> list[dict[str, Any]]:
    """The normalised rows in the real layout (values as the real sheet's cells hold them)."""
    with path.open(encoding="utf-8") as handle:
        source = list(csv.DictReader(handle))
    rows: list[dict[str, Any]] = []
    activity = 0
    sub = 0
    previous: tuple[str, ...] | None = None
    for n, r in enumerate(source, start=1):
        run = (r["giver"], r["kategori"], r["maal"], r["maaned_nr"], r["dato"])
        if r["maal"] == "Commitment":  # a commitment's activity is known by its value
            run += (r["verdi_eur_activity"],)
        if run != previous:
            activity += 1
            sub = 0
            previous = run
        sub += 1
        row: dict[str, Any] = {RENAMED[k]: v for k, v in r.items() if k in RENAMED}
        for column in (
            "tot_sub_activity_value_EUR",
            "tot_sub_activity_value_EUR_redistr",
            "tot_activity_value_EUR",
        ):
            row[column] = float(row[column])
        row["month"] = int(float(row["month"]))
        row["month_exists_dummy"] = 1 if r["maaned_finnes"] == "True" else 0
        row |= {
            "ID": n,
            "activity_id": f"R-{activity:05d}",
            "sub_activity_id": f"R-{activity:05d}-{sub:03d}",
            "aid_type_specific": "",
            "explanation": "",
            "item": "",
            "quantity": "",
            "item_price_USD": "",
            "reported_currency": "EUR",
            "tot_value_reported_currency": row["tot_sub_activity_value_EUR"],
        }
        rows.append(row)
    return rows


def write_workbook(
    path: Path, rows: list[dict[str, Any]], columns: list[str] | None = None, summary: bool = True
) -> Path:
    """A workbook with the main sheet (and the country summary) as Kiel publishes them."""
    columns = columns or COLUMNS
    book = Workbook(write_only=True)
    readme = book.create_sheet("Readme")
    readme.append(["Ukraine Support Tracker, Release 28 (rebuilt for tests)"])
    main = book.create_sheet("Bilateral Assistance, MAIN DATA")
    main.append([*columns, *FILLER])
    filler = ["" for _ in FILLER]
    for r in rows:
        main.append([r.get(c, "") for c in columns] + filler)
    if summary:
        sheet = book.create_sheet("Country Summary (€)")
        with SUMMARY.open(encoding="utf-8") as handle:
            table = list(csv.DictReader(handle))
        sheet.append(["Country", "Military allocations (€ bn)", "Military commitments (€ bn)"])
        for t in table:
            sheet.append(
                [t["land"], float(t["military_allocation"]), float(t["military_commitment"])]
            )
    book.save(path)
    return path


def release_28(path: Path) -> Path:
    """Release 28's main sheet rebuilt at `path` (.xlsx)."""
    return write_workbook(path, real_rows())
