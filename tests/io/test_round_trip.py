"""Every export format imports back the same, on both databases, procurement rows included.

A ledger with every kind of row (funders, a parent, no amount, other currencies, each
visibility, text that needs quoting, a float that is not short in decimal, and the units
joint procurement donated) is exported, imported into a fresh store of the same database,
and exported again: the two files hold the same rows and the two ledgers are equal.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from pytest_postgresql.janitor import DatabaseJanitor

from ramstein.domain.contribution_schema import FIELDS
from ramstein.store import repositories as repo
from ramstein.store.db import Store
from tests.conftest import Cli, Washington

ROWS = [
    ",".join(FIELDS),
    "R1,DEU,123456789.25,EUR,2025-02-01,in_kind,delivered,alliance,bilateral,UKR,,,"
    'Ministry, press release,"IRIS-T ""SLM"", with a comma"',
    "R2,CZE,800000000,EUR,2025-03-01,equipment,contracted,public,multilateral,UKR,"
    "DNK:0.6 NLD:0.4,,,shells",
    "R3,NLD,100000000,USD,2024-05-01,trust_fund,delivered,nation,nato,UKR,,,,fund",
    "R4,POL,60000000,USD,2024-06-01,in_kind,delivered,public,other,UKR,,R3,,fuel from R3",
    "R5,FRA,,EUR,2025-04-01,in_kind,announced,public,bilateral,UKR,,,,no figure yet",
    "R6,ITA,0.30000000000000004,EUR,2025-04-02,training,delivered,public,bilateral,UKR,,,,",
    "R7,SWE,999999999999.5,EUR,2025-04-03,maintenance,committed,alliance,bilateral,UKR,,,,"
    "Gripen: à",
]


@pytest.fixture
def fresh_url(store_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Another empty store on the same database as `store_url`."""
    if store_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    server = request.getfixturevalue("pg_server")
    name = f"{store_url.rsplit('/', 1)[1]}_fresh"
    janitor = DatabaseJanitor(user=server.user, host=server.host, port=server.port, dbname=name)
    janitor.init()
    try:
        yield f"postgresql+psycopg://{server.user}@{server.host}:{server.port}/{name}"
    finally:
        janitor.drop()


def _ledger(url: str) -> list[Any]:
    store = Store(url)
    with store.transaction() as session:
        rows = repo.list_contributions(session)
    store.close()
    return rows


def _rows(path: Path) -> list[Any]:
    """What an export holds, whatever its format (a workbook's zip stamps its save time)."""
    if path.suffix == ".xlsx":
        sheet = load_workbook(path, read_only=True).worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        return [table.column_names, table.to_pylist()]
    if path.suffix == ".csv":
        return list(csv.reader(path.open(encoding="utf-8", newline="")))
    return [json.loads(path.read_text(encoding="utf-8"))]


# A jointly bought lot whose buyers donate some of their units to Ukraine.
CONTRACT = {
    "format": "ramstein.contract/1",
    "id": "NSPA-IRIST-2025",
    "agency": "NSPA",
    "supplier": "Diehl",
    "item": "IRIST_SLM_MISSILE",
    "currency": "EUR",
    "total_value": 120e6,
    "signed": "2025-01-15",
    "tiers": [
        {"min_quantity": 1, "unit_price": 450000},
        {"min_quantity": 200, "unit_price": 400000},
    ],
    "buyers": [
        {"iso3": "DEU", "ordered": 150, "funding_share": 0.5, "donate": 20},
        {"iso3": "NLD", "ordered": 90, "funding_share": 0.3, "donate": 30},
        {"iso3": "NOR", "ordered": 60, "funding_share": 0.2},
    ],
    "lots": [
        {"id": "L1", "quantity": 100, "expected": "2025-04-30"},
        {"id": "L2", "quantity": 100, "expected": "2025-08-31"},
        {"id": "L3", "quantity": 100, "expected": "2025-12-31"},
    ],
}


def ledger_with_procurement(cli: Cli, tmp_path: Path, washington: Washington | None = None) -> None:
    """The Washington dataset, the rows above, and a lot delivered with donated units
    (the dataset loaded by the command, or copied by `washington` if given)."""
    if washington is None:
        assert cli("load", "washington-2024").exit_code == 0
    else:
        washington(cli)
    rows = tmp_path / "rows.csv"
    rows.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    imported = cli("import", "contributions", str(rows))
    assert imported.exit_code == 0, imported.stderr
    contract = tmp_path / "contract.json"
    contract.write_text(json.dumps(CONTRACT), encoding="utf-8")
    added = cli("contract", "add", str(contract))
    assert added.exit_code == 0, added.stderr
    delivered = cli("contract", "deliver-lot", "NSPA-IRIST-2025", "L1", "--on", "2025-05-02")
    assert delivered.exit_code == 0, delivered.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".json"])
def test_export_import_export_is_identical(
    cli: Cli,
    fresh_url: str,
    tmp_path: Path,
    suffix: str,
    washington: Washington,
) -> None:
    ledger_with_procurement(cli, tmp_path, washington)
    first = _ledger(cli.url)
    procured = [c for c in first if c.id.startswith("NSPA-IRIST-2025:L1:")]
    assert procured, "the delivered lot made no contributions"
    out = tmp_path / f"out{suffix}"
    exported = cli("export", str(out))
    assert exported.exit_code == 0, exported.stderr

    fresh = Cli(fresh_url)
    if suffix == ".json":
        # Into an empty store: the scenario document carries its nations and rates.
        loaded = fresh("load", str(out))
    else:
        washington(fresh)
        loaded = fresh("import", "contributions", str(out))
    assert loaded.exit_code == 0, loaded.stderr
    again = tmp_path / f"again{suffix}"
    assert fresh("export", str(again)).exit_code == 0

    assert _rows(again) == _rows(out)
    if suffix == ".json":
        # The document holds the scenario's members' contributions (every donor above).
        assert {c.id for c in _ledger(fresh_url)} >= {c.id for c in procured}
    else:
        assert _ledger(fresh_url) == first
    # A second import of the same file changes nothing.
    if suffix != ".json":
        assert "0 created, 0 changed" in fresh("import", "contributions", str(out)).stdout
