"""Bad input everywhere: one line, exit status 2, nothing written (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ramstein.store.db import Store
from ramstein.store.models import AuditRow, ContributionRow
from tests.conftest import Cli, Washington, assert_bad_input

PLAN = Path(__file__).parents[1] / "plan"
HEADER = "id,donor,amount,currency,date,category,status,visibility"
GOOD_ROW = "BI-1,DEU,1000000,EUR,2025-03-01,in_kind,delivered,public"


def _counts(cli: Cli) -> tuple[int, int]:
    """How many contributions and audit records the store holds (migrated if empty)."""
    store = Store(cli.url)
    with store.transaction(write=False) as session:
        rows = session.scalar(select(func.count()).select_from(ContributionRow)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditRow)) or 0
    store.close()
    return rows, audit


@pytest.fixture
def loaded(cli: Cli, washington: Washington) -> Cli:
    washington(cli)
    return cli


def _example(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((PLAN / name).read_text())
    return doc


def test_deeply_nested_json_is_one_line(sqlite_cli: Cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert_bad_input(sqlite_cli("load", str(deep)), "error: (document): nested deeper than 32")
    nested = _example("match_example.json")
    node: Any = nested["items"][0]
    for _ in range(40):
        node["note"] = {"x": None}
        node = node["note"]
    path = tmp_path / "nested.json"
    path.write_text(json.dumps(nested))
    assert_bad_input(sqlite_cli("match", str(path)), "error: items[PATRIOT_BATTERY].note")


@pytest.mark.parametrize(
    ("command", "example", "where", "field"),
    [
        (
            "match",
            "match_example.json",
            ("requirements", 0, "quantity"),
            "requirements[R1].quantity",
        ),
        (
            "route",
            "logistics_example.json",
            ("consignments", 0, "pallets"),
            "consignments[K1].pallets",
        ),
        ("train", "training_example.json", ("cohorts", 0, "size"), "cohorts[C1].size"),
    ],
)
def test_a_huge_integer_in_a_planner_file_is_one_line(
    sqlite_cli: Cli,
    tmp_path: Path,
    command: str,
    example: str,
    where: tuple[str, int, str],
    field: str,
) -> None:
    doc = _example(example)
    doc[where[0]][where[1]][where[2]] = 10**30
    path = tmp_path / example
    path.write_text(json.dumps(doc))
    assert_bad_input(sqlite_cli(command, str(path)), f"error: {field}: 1e+30 is out of range")


@pytest.mark.parametrize("gdp", ["1e400", "NaN", "Infinity", "0"])
def test_gdp_must_be_a_positive_finite_number(
    cli: Cli, tmp_path: Path, example_scenario: dict[str, Any], gdp: str
) -> None:
    text = json.dumps(example_scenario).replace("27720.7", gdp)
    path = tmp_path / "scenario.json"
    path.write_text(text)
    before = _counts(cli)
    result = cli("load", str(path))
    expected = (
        "error: nations[USA].gdp.2023.amount"
        if gdp not in ("NaN", "Infinity")
        else (f"error: (document): {gdp} is not a number JSON allows")
    )
    assert_bad_input(result, expected)
    assert _counts(cli) == before


@pytest.mark.parametrize(
    ("bad_id", "what"),
    [
        ("evil\u202eabc", "RIGHT-TO-LEFT OVERRIDE"),
        ("zero\u200bwidth", "ZERO WIDTH SPACE"),
        ("rocket\U0001f680", "ROCKET"),
    ],
)
def test_ids_with_bidi_invisible_or_emoji_characters_are_refused(
    loaded: Cli, tmp_path: Path, example_scenario: dict[str, Any], bad_id: str, what: str
) -> None:
    before = _counts(loaded)
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text(f"{HEADER}\n{GOOD_ROW.replace('BI-1', bad_id)}\n", encoding="utf-8")
    result = loaded("import", "contributions", str(csv_file))
    assert result.exit_code == 2
    assert f"row 2, id: Value error, may not contain {what}" in result.stderr
    example_scenario["contributions"][0]["id"] = bad_id
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(example_scenario))
    assert_bad_input(
        loaded("load", str(path)),
        f"error: contributions[{bad_id}].id: Value error, may not contain {what}",
    )
    assert _counts(loaded) == before


def test_bad_csv_files_are_one_line_and_write_nothing(loaded: Cli, tmp_path: Path) -> None:
    before = _counts(loaded)
    cases: dict[str, tuple[bytes, str]] = {
        "latin1.csv": (f"{HEADER}\n{GOOD_ROW},Gr\xfc\xdfe\n".encode("latin-1"), "is not UTF-8"),
        "binary.csv": (b"\x00\x01\x02PK\x03\x04" * 50, "is binary, not CSV text"),
        "huge.csv": (
            f'{HEADER},description\n{GOOD_ROW},"{"x" * 200_000}"\n'.encode(),
            "line 2: field larger than field limit",
        ),
        "header.csv": (f"{HEADER}\n".encode(), "no rows"),
        "empty.csv": (b"", "no rows"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = loaded("import", "contributions", str(path))
        assert_bad_input(result, "error: file: ")
        assert message in result.stderr, (name, result.stderr)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert_bad_input(loaded("import", "contributions", str(folder)), "error: file: ")
    assert "is not a file" in loaded("import", "offers", str(folder)).stderr
    assert_bad_input(loaded("load", str(tmp_path)), "error: file: cannot read")
    assert_bad_input(loaded("match", str(tmp_path)), "error: file: cannot read")
    assert _counts(loaded) == before
