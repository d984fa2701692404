"""Templates, imports (every bad row reported, nothing written), exports, reports."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ramstein.store import repositories as repo
from ramstein.store.db import Store
from tests.conftest import Cli, Washington

HEADER = "id,donor,amount,currency,date,category,status,visibility,channel,funders,parent"


def _ledger(url: str) -> list[Any]:
    store = Store(url)
    with store.transaction() as session:
        rows = repo.list_contributions(session)
    store.close()
    return rows


def _csv(tmp_path: Path, lines: list[str], name: str = "rows.csv") -> str:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def loaded(cli: Cli, washington: Washington) -> Cli:
    washington(cli, kiel=False)
    return cli


def test_the_template_has_field_names_drop_downs_and_an_example(
    loaded: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "contributions.xlsx"
    assert loaded("template", "contributions", str(path)).exit_code == 0
    sheet = load_workbook(path)["contributions"]
    header = [c.value for c in sheet[1]]
    assert header[:8] == ["id", "donor", "amount", "currency", "date", "category", "status",
                          "visibility"]  # fmt: skip
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    letters = {name: sheet.cell(row=1, column=i + 1).column_letter for i, name in enumerate(header)}
    assert "in_kind" in lists[f"{letters['category']}2"]
    assert "delivered" in lists[f"{letters['status']}2"]
    assert "nation" in lists[f"{letters['visibility']}2"]
    # The example row imports as it stands, and a second import changes nothing.
    first = loaded("import", "contributions", str(path))
    assert first.exit_code == 0, first.stderr
    assert "1 created, 0 changed, 0 unchanged" in first.stdout
    assert (
        "0 created, 0 changed, 1 unchanged" in loaded("import", "contributions", str(path)).stdout
    )


def test_every_bad_row_is_reported_and_nothing_is_imported(loaded: Cli, tmp_path: Path) -> None:
    before = _ledger(loaded.url)
    path = _csv(
        tmp_path,
        [
            "G1,DEU,100,EUR,2025-02-01,in_kind,delivered,public,bilateral,,",
            "B1,XXX,100,EUR,2025-02-01,in_kind,delivered,public,bilateral,,",
            "B2,POL,,EUR,2025-02-01,in_kind,delivered,public,bilateral,,",
            "B3,POL,5,EUR,2025-02-30,weapons,delivered,public,bilateral,,",
            "G1,FRA,7,EUR,2025-02-01,in_kind,delivered,public,bilateral,,",
            "B4,CZE,800,EUR,2025-02-01,in_kind,delivered,public,bilateral,DNK:0.5,",
            "B5,POL,60,EUR,2025-02-01,in_kind,delivered,public,bilateral,,NOPE",
        ],
    )
    result = loaded("import", "contributions", path)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "error: rows.csv: 7 problem(s) in 6 row(s); nothing imported"
    assert lines[1:] == [
        "  row 3, donor: unknown nation 'XXX'",
        "  row 4, amount: required when status is delivered",
        "  row 5, category: Input should be 'equipment', 'in_kind', 'maintenance', 'training', "
        "'operations', 'industry' or 'trust_fund'",
        "  row 5, date: Input should be a valid date or datetime, day value is outside expected "
        "range",
        "  row 6, id: 'G1' is also on row 2",
        "  row 7, funders: shares add up to 0.5, not 1",
        "  row 8, parent: unknown contribution 'NOPE'",
    ]
    assert _ledger(loaded.url) == before


def test_offers_and_requirements_import_from_their_templates(loaded: Cli, tmp_path: Path) -> None:
    for kind in ("offers", "requirements"):
        path = tmp_path / f"{kind}.csv"
        assert loaded("template", kind, str(path)).exit_code == 0
        result = loaded("import", kind, str(path))
        assert result.exit_code == 0, result.stderr
        assert "1 created" in result.stdout
        assert "1 unchanged" in loaded("import", kind, str(path)).stdout
    offers, requirements = loaded("match", "offers").stdout, loaded("match", "requirements").stdout
    bad = tmp_path / "bad-offers.csv"
    bad.write_text(
        "id,donor,item,quantity\n"
        "O1,DEU,NO_SUCH_ITEM,2\n"
        "O2,DEU,PATRIOT_LAUNCHER,0\n"
        "O3,XXX,PATRIOT_LAUNCHER,1\n"
        "O4,FRA,PATRIOT_LAUNCHER,1\n"
    )
    result = loaded("import", "offers", str(bad))
    assert result.exit_code == 2
    assert "row 2, item: unknown item 'NO_SUCH_ITEM'" in result.stderr
    assert "row 3, quantity: Input should be greater than 0" in result.stderr
    assert "row 4, donor: unknown nation 'XXX'" in result.stderr
    bad = tmp_path / "bad-requirements.csv"
    bad.write_text(
        "id,item,quantity,priority,substitutes\n"
        "Q1,PATRIOT_BATTERY,2,0,\n"
        "Q2,PATRIOT_BATTERY,2,50,NO_SUCH_ITEM\n"
        "Q3,PATRIOT_BATTERY,2,50,\n"
        "Q3,PATRIOT_BATTERY,3,50,\n"
    )
    result = loaded("import", "requirements", str(bad))
    assert result.exit_code == 2
    assert "row 2, priority: Input should be greater than 0" in result.stderr
    assert "row 3, substitutes: unknown item 'NO_SUCH_ITEM'" in result.stderr
    assert "row 5, id: 'Q3' is also on row 4" in result.stderr
    # The good rows of the bad files (O4, Q3) were not written either.
    assert loaded("match", "offers").stdout == offers
    assert loaded("match", "requirements").stdout == requirements


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".json"])
def test_export_then_import_gives_the_same_ledger(
    loaded: Cli,
    tmp_path: Path,
    suffix: str,
    sqlite_cli: Cli,
    washington: Washington,
) -> None:
    rows = _csv(
        tmp_path,
        [
            "R1,DEU,123456789.25,EUR,2025-02-01,in_kind,delivered,alliance,bilateral,,",
            "R2,CZE,800000000,EUR,2025-03-01,equipment,contracted,public,multilateral,"
            "DNK:0.6 NLD:0.4,",
            "R3,NLD,100000000,USD,2024-05-01,trust_fund,delivered,nation,nato,,",
            "R4,POL,60000000,USD,2024-06-01,in_kind,delivered,public,other,,R3",
        ],
    )
    assert loaded("import", "contributions", rows).exit_code == 0
    out = tmp_path / f"ledger{suffix}"
    assert loaded("export", str(out)).exit_code == 0
    if suffix == ".json":
        # Into an empty store: the scenario document carries its nations and rates.
        result = sqlite_cli("load", str(out))
    else:
        washington(sqlite_cli, kiel=False)
        result = sqlite_cli("import", "contributions", str(out))
    assert result.exit_code == 0, result.stderr
    assert _ledger(sqlite_cli.url) == _ledger(loaded.url)


def test_export_honours_the_viewers_visibility(loaded: Cli, tmp_path: Path) -> None:
    rows = _csv(
        tmp_path,
        [
            "P1,DEU,1,EUR,2025-02-01,in_kind,delivered,public,bilateral,,",
            "A1,DEU,2,EUR,2025-02-01,in_kind,delivered,alliance,bilateral,,",
            "N1,DEU,3,EUR,2025-02-01,in_kind,delivered,nation,bilateral,,",
        ],
    )
    assert loaded("import", "contributions", rows).exit_code == 0
    seen = {}
    for who in ("public", "alliance", "DEU", "POL", "coordinator"):
        out = tmp_path / f"{who}.csv"
        assert loaded("export", str(out), "--as", who).exit_code == 0
        ids = {r["id"] for r in csv.DictReader(out.open())}
        seen[who] = ids & {"P1", "A1", "N1"}
    assert seen == {
        "public": {"P1"},
        "alliance": {"P1", "A1"},
        "DEU": {"P1", "A1", "N1"},
        "POL": {"P1", "A1"},
        "coordinator": {"P1", "A1", "N1"},
    }


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_report_editions_pass_the_disclosure_rules(loaded: Cli, tmp_path: Path) -> None:
    rows = _csv(
        tmp_path,
        [
            "PUB,USA,1000000000,EUR,2025-02-01,in_kind,delivered,public,bilateral,,",
            "ALLY,GBR,2345000000,EUR,2025-02-01,in_kind,delivered,alliance,bilateral,,",
            "SECRET,DEU,7770000000,EUR,2025-02-01,in_kind,delivered,nation,bilateral,,",
        ],
    )
    assert loaded("import", "contributions", rows).exit_code == 0
    for args in (["match"], ["route"], ["train"]):
        assert loaded(*args).exit_code == 0
    public, alliance = tmp_path / "public.pdf", tmp_path / "alliance.pdf"
    assert loaded("report", "--period", "2025", "--out", str(public), "--edition",
                  "public").exit_code == 0  # fmt: skip
    assert loaded("report", "--out", str(alliance)).exit_code == 0
    shown = _pdf_text(public)
    assert "Summit review 2025" in shown and "Public edition" in shown
    assert "7.77" not in shown and "SECRET" not in shown  # Germany's confidential 7.77 bn
    uk = next(line for line in shown.splitlines() if line.startswith("United Kingdom"))
    assert "withheld" not in shown and "2.35" not in uk  # its alliance-only 2.35 bn is not there
    usa = next(line for line in shown.splitlines() if line.startswith("United States"))
    assert "1.00" in usa  # the public row is shown
    assert "in the alliance edition" in shown and "UKR-PATRIOT" not in shown
    assert "Sources" in shown and "World Bank WDI" in shown
    full = _pdf_text(alliance)
    assert "Alliance edition" in full and "UKR-PATRIOT" in full and "Readiness" in full
    uk = next(line for line in full.splitlines() if line.startswith("United Kingdom"))
    assert "2.35" in uk  # alliance rows are in the alliance edition
    assert "7.77" not in full  # nation-only rows are in no edition
    html = tmp_path / "review.html"
    assert loaded("report", "--out", str(html), "--edition", "public").exit_code == 0
    assert "<svg" in html.read_text() and "7.77" not in html.read_text()
    bad = loaded("report", "--out", str(tmp_path / "review.docx"))
    assert bad.exit_code == 2 and bad.stderr.startswith("error: out: write a .pdf or .html")
