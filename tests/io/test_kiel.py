"""The Kiel tracker's main sheet as published: Release 28 rebuilt in the real layout.

The acceptance test imports the whole sheet and compares each donor's military allocations
with the release's own country summary; the others take the real rows (or a few of them)
and change one thing each: a quirk the importer must read right, or a case it must refuse.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ramstein.domain.contributions import Category, Channel, Contribution, Status
from ramstein.io.kiel import day_of, donor_of, number
from ramstein.store import repositories as repo
from ramstein.store.db import Store
from tests.conftest import Cli, Washington, assert_bad_input
from tests.io.kiel_fixture import COLUMNS, SUMMARY, real_rows, write_workbook

SOURCE_28 = "Kiel Institute, Ukraine Support Tracker, Release 28"


@pytest.fixture(scope="module")
def r28_rows() -> list[dict[str, Any]]:
    return real_rows()


@pytest.fixture(scope="module")
def r28_book(tmp_path_factory: pytest.TempPathFactory, r28_rows: list[dict[str, Any]]) -> Path:
    return write_workbook(tmp_path_factory.mktemp("kiel") / "release-28.xlsx", r28_rows)


@pytest.fixture
def loaded(sqlite_cli: Cli, washington: Washington) -> Cli:
    washington(sqlite_cli)
    return sqlite_cli


def _kiel_rows(url: str) -> dict[str, Contribution]:
    store = Store(url)
    with store.transaction() as session:
        rows = {c.id: c for c in repo.list_contributions(session, id_prefix="KIEL-ACT-")}
    store.close()
    return rows


def _row(**cells: Any) -> dict[str, Any]:
    """One military allocation in the real layout, changed by `cells`."""
    base: dict[str, Any] = {
        "ID": 1,
        "activity_id": "A1",
        "sub_activity_id": "A1-1",
        "donor": "Germany",
        "announcement_date": "2025-03-04",
        "aid_type_general": "Military",
        "aid_type_specific": "Weapons and equipment",
        "measure": "Allocation",
        "tot_sub_activity_value_EUR": 1e8,
        "tot_sub_activity_value_EUR_redistr": 1e8,
        "tot_activity_value_EUR": 1e8,
        "month": 39,
        "month_exists_dummy": 1,
    }
    return base | cells


def _book(tmp_path: Path, rows: list[dict[str, Any]], name: str = "release-29.xlsx") -> str:
    return str(write_workbook(tmp_path / name, rows, summary=False))


# -- acceptance: the whole of Release 28 -----------------------------------------------------


def test_release_28_reproduces_kiels_country_summary(loaded: Cli, r28_book: Path) -> None:
    dry = loaded("import", "kiel", str(r28_book), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "Kiel's country summary" in dry.stdout and "nothing written" in dry.stdout
    assert _kiel_rows(loaded.url) == {}
    result = loaded("import", "kiel", str(r28_book))
    assert result.exit_code == 0, result.stderr
    assert "refused" not in result.stdout
    counted: dict[str, float] = defaultdict(float)
    for c in _kiel_rows(loaded.url).values():
        assert c.source == SOURCE_28
        if c.status is Status.DELIVERED:
            assert c.amount is not None
            counted[c.donor] += c.amount
    with SUMMARY.open(encoding="utf-8") as handle:
        summary = list(csv.DictReader(handle))
    assert len(summary) == 42
    for row in summary:
        donor = donor_of(row["land"])
        assert donor is not None, row["land"]
        kiel = float(row["military_allocation"]) * 1e9
        assert counted.get(donor.iso3, 0.0) == pytest.approx(kiel, rel=0.005, abs=1.0), donor
    # The demo's monthly totals of these donors are superseded: nobody counts twice.
    assert "monthly Kiel totals of the same donors cancelled" in " ".join(result.stdout.split())
    shares = json.loads(loaded("shares", "--year", "2025", "--json").stdout)
    in_2025 = sum(
        c.amount or 0.0
        for c in _kiel_rows(loaded.url).values()
        if c.donor == "DEU" and c.status is Status.DELIVERED and c.date.year == 2025
    )
    deu = next(n for n in shares["nations"] if n["iso3"] == "DEU")
    assert deu["counted_eur"] == pytest.approx(in_2025)
    # Importing the same release again changes nothing.
    again = loaded("import", "kiel", str(r28_book))
    assert "0 created, 0 revised" in again.stdout and "0 withdrawn" in again.stdout


# -- a later release reconciles against the earlier one --------------------------------------


def test_a_later_release_revises_and_withdraws_rows(
    cli: Cli,
    tmp_path: Path,
    r28_rows: list[dict[str, Any]],
    washington: Washington,
) -> None:
    washington(cli)
    germany = [
        r
        for r in r28_rows
        if r["donor"] == "Germany" and r["aid_type_general"].strip() == "Military"
    ]
    rows = [dict(r) for r in germany[:200]]
    assert cli("import", "kiel", _book(tmp_path, rows, "r28.xlsx")).exit_code == 0
    before = _kiel_rows(cli.url)
    priced = [
        r for r in rows if r["measure"] == "Allocation" and r["tot_sub_activity_value_EUR"] > 0
    ]
    revised, withdrawn = priced[0], priced[1]
    revised_id = f"KIEL-ACT-{revised['activity_id']}-{revised['sub_activity_id']}"
    withdrawn_id = f"KIEL-ACT-{withdrawn['activity_id']}-{withdrawn['sub_activity_id']}"
    later = [
        r | {"tot_sub_activity_value_EUR": 123_456_789.0} if r is revised else r
        for r in rows
        if r is not withdrawn
    ]
    result = cli("import", "kiel", _book(tmp_path, later, "r29.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert "1 revised" in result.stdout and "1 withdrawn" in result.stdout
    after = _kiel_rows(cli.url)
    assert set(after) == set(before)  # nothing deleted
    assert after[revised_id].amount == 123_456_789.0
    assert after[revised_id].source.endswith("Release 29")
    assert after[withdrawn_id].status is Status.CANCELLED
    unchanged = set(before) - {revised_id, withdrawn_id}
    assert all(after[k] == before[k] for k in unchanged)  # release 28's source kept
    store = Store(cli.url)
    with store.transaction() as session:
        revised_events = repo.contribution_history(session, revised_id)
        withdrawn_events = repo.contribution_history(session, withdrawn_id)
    store.close()
    assert "revised in Kiel Release 29" in revised_events[-1].reason
    assert "-> 123,456,789 EUR" in revised_events[-1].reason
    assert withdrawn_events[-1].to_status is Status.CANCELLED
    assert withdrawn_events[-1].reason.startswith("withdrawn in Kiel Release 29")
    # Going back to the older release is refused.
    assert_bad_input(
        cli("import", "kiel", _book(tmp_path, rows, "r28-again.xlsx")),
        "error: release: the ledger holds Kiel Release 29; Release 28 is older",
    )


# -- each quirk read right -------------------------------------------------------------------


def test_unknown_values_are_kept_without_an_amount_and_not_counted(
    loaded: Cli, tmp_path: Path
) -> None:
    rows = [
        _row(sub_activity_id="A1-1", tot_sub_activity_value_EUR="."),
        _row(sub_activity_id="A1-2", tot_sub_activity_value_EUR="No price"),
        _row(sub_activity_id="A1-3", tot_sub_activity_value_EUR=0.0),
        _row(sub_activity_id="A1-4"),
    ]
    assert loaded("import", "kiel", _book(tmp_path, rows)).exit_code == 0
    got = _kiel_rows(loaded.url)
    assert (
        got["KIEL-ACT-A1-A1-1"].amount is None
        and "unknown in Kiel (.)" in got["KIEL-ACT-A1-A1-1"].description
    )
    assert got["KIEL-ACT-A1-A1-2"].amount is None
    assert got["KIEL-ACT-A1-A1-1"].status is Status.COMMITTED  # kept, not counted
    # Two unpriced items of one package are two rows, not a collision.
    assert got["KIEL-ACT-A1-A1-3"].amount == 0.0 and got["KIEL-ACT-A1-A1-4"].amount == 1e8


def test_rows_are_dated_by_kiels_month_when_the_date_is_blank_or_free_text(
    loaded: Cli, tmp_path: Path
) -> None:
    rows = [
        _row(sub_activity_id="A1-1", announcement_date="", month=39, month_exists_dummy=1),
        _row(sub_activity_id="A1-2", announcement_date="until March 2024", month=27),
        _row(sub_activity_id="A1-3", announcement_date="", month=0, month_exists_dummy=0),
    ]
    result = loaded("import", "kiel", _book(tmp_path, rows))
    assert result.exit_code == 0, result.stderr
    got = _kiel_rows(loaded.url)
    assert got["KIEL-ACT-A1-A1-1"].date == date(2025, 3, 1)  # month 39: March 2025
    assert got["KIEL-ACT-A1-A1-2"].date == date(2024, 3, 1)
    # Neither date nor month: kept (Kiel's totals count it), dated at the tracker's start.
    assert got["KIEL-ACT-A1-A1-3"].date == date(2022, 1, 24)
    assert "no date and no known month" in result.stdout
    refused = loaded("import", "kiel", _book(tmp_path, rows, "r30.xlsx"), "--undated", "refuse")
    assert refused.exit_code == 2
    assert "row 4, announcement_date: no date" in refused.stderr


def test_negative_rows_are_corrections_netted_within_their_activity(
    loaded: Cli, tmp_path: Path
) -> None:
    rows = [
        _row(sub_activity_id="A1-1", tot_sub_activity_value_EUR=3e8),
        _row(sub_activity_id="A1-2", tot_sub_activity_value_EUR=1e8),
        _row(sub_activity_id="A1-3", tot_sub_activity_value_EUR=-5e7),
    ]
    assert loaded("import", "kiel", _book(tmp_path, rows)).exit_code == 0
    got = _kiel_rows(loaded.url)
    assert got["KIEL-ACT-A1-A1-1"].amount == 2.5e8 and got["KIEL-ACT-A1-A1-2"].amount == 1e8
    assert "KIEL-ACT-A1-A1-3" not in got
    too_much = [_row(activity_id="B1", sub_activity_id="B1-1", tot_sub_activity_value_EUR=-5e7)]
    result = loaded("import", "kiel", _book(tmp_path, too_much, "r30.xlsx"))
    assert result.exit_code == 2
    assert "row 2, tot_sub_activity_value_EUR: a correction of -50,000,000 exceeds" in result.stderr


def test_commitments_carry_the_activitys_value(loaded: Cli, tmp_path: Path) -> None:
    rows = [
        _row(sub_activity_id=f"A1-{k}", measure="Commitment", tot_sub_activity_value_EUR=0.0,
             tot_activity_value_EUR=2e9)
        for k in (1, 2)
    ]  # fmt: skip
    assert loaded("import", "kiel", _book(tmp_path, rows)).exit_code == 0
    got = _kiel_rows(loaded.url)
    assert set(got) == {"KIEL-ACT-A1-C"}  # one per activity, not one per row
    assert got["KIEL-ACT-A1-C"].status is Status.COMMITTED
    assert got["KIEL-ACT-A1-C"].amount == 2e9


def test_the_value_column_is_a_choice(loaded: Cli, tmp_path: Path) -> None:
    rows = [_row(tot_sub_activity_value_EUR=0.0, tot_sub_activity_value_EUR_redistr=4e7)]
    assert loaded("import", "kiel", _book(tmp_path, rows), "--value", "redistr").exit_code == 0
    assert _kiel_rows(loaded.url)["KIEL-ACT-A1-A1-1"].amount == 4e7


def test_kiels_donor_names_and_the_eu_institutions(loaded: Cli, tmp_path: Path) -> None:
    names = ["Turkiye", "Republic of Korea", "UK", "EU (Commission and Council)",
             "European Peace Facility", "Czechia"]  # fmt: skip
    rows = [
        _row(activity_id=f"A{k}", sub_activity_id=f"A{k}-1", donor=name)
        for k, name in enumerate(names)
    ]
    result = loaded("import", "kiel", _book(tmp_path, rows))
    assert result.exit_code == 0, result.stderr
    assert "Donors added: EPF, EUI" in result.stdout
    got = {c.donor for c in _kiel_rows(loaded.url).values()}
    assert got == {"TUR", "KOR", "GBR", "EUI", "EPF", "CZE"}
    store = Store(loaded.url)
    with store.transaction() as session:
        groups = {n.iso3: n.group.value for n in repo.list_nations(session)}
    store.close()
    assert groups["EUI"] == groups["EPF"] == "institution"
    unknown = [_row(donor="Atlantis")]
    bad = loaded("import", "kiel", _book(tmp_path, unknown, "r30.xlsx"))
    assert bad.exit_code == 2 and "row 2, donor: unknown donor 'Atlantis'" in bad.stderr


def test_eu_level_aid_is_attributed_to_members_on_request(loaded: Cli, tmp_path: Path) -> None:
    rows = [_row(donor="European Peace Facility", tot_sub_activity_value_EUR=1e9)]
    shares = "../shared/data/kiel/r29-eu_aid_shares.csv"
    result = loaded("import", "kiel", _book(tmp_path, rows), "--attribute-eu", shares)
    assert result.exit_code == 0, result.stderr
    got = list(_kiel_rows(loaded.url).values())
    assert len(got) == 27 and {c.channel for c in got} == {Channel.MULTILATERAL}
    assert sum(c.amount or 0 for c in got) == pytest.approx(1e9)
    by = {c.donor: c.amount or 0 for c in got}
    assert by["DEU"] > by["DNK"] > by["EST"]  # by Kiel's EU-aid shares (eu_share_bn)


def test_categories_come_from_aid_type_specific(loaded: Cli, tmp_path: Path) -> None:
    kinds = {"Training": Category.TRAINING, "Ammunition": Category.IN_KIND,
             "Financial assistance for military purchases": Category.EQUIPMENT,
             "Repair and maintenance": Category.MAINTENANCE, "": Category.IN_KIND}  # fmt: skip
    rows = [
        _row(activity_id=f"A{k}", sub_activity_id=f"A{k}-1", aid_type_specific=name)
        for k, name in enumerate(kinds)
    ]
    assert loaded("import", "kiel", _book(tmp_path, rows)).exit_code == 0
    got = _kiel_rows(loaded.url)
    for k, category in enumerate(kinds.values()):
        assert got[f"KIEL-ACT-A{k}-A{k}-1"].category is category


# -- never silently wrong --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2,5", "ambiguous"),
        ("1.234,5", "ambiguous"),
        ("1,234", "ambiguous"),
        ("1.234.567", "not a number"),
        ("about 5", "not a number"),
    ],
)
def test_ambiguous_numbers_are_refused_with_the_row_named(
    loaded: Cli, tmp_path: Path, text: str, reason: str
) -> None:
    rows = [
        _row(sub_activity_id="A1-1"),
        _row(sub_activity_id="A1-2", tot_sub_activity_value_EUR=text),
    ]
    result = loaded("import", "kiel", _book(tmp_path, rows))
    assert result.exit_code == 2
    assert f"row 3, tot_sub_activity_value_EUR: {text!r} is {reason}" in result.stderr
    assert _kiel_rows(loaded.url) == {}  # all or nothing


def test_numbers_read_one_way_only() -> None:
    assert number("1,234,567") == 1234567.0
    assert number("1,234.5") == 1234.5
    assert number("2.5e8") == 2.5e8
    assert number(".") is None and number("No price") is None
    for text in ("2,5", "1.234,5", "1,234", "nan", "inf"):
        with pytest.raises(ValueError):
            number(text)


@pytest.mark.parametrize("text", ["14.01.25", "14/01/25", "03/04/2025", "31.02.2025"])
def test_dates_that_read_two_ways_are_refused(loaded: Cli, tmp_path: Path, text: str) -> None:
    result = loaded("import", "kiel", _book(tmp_path, [_row(announcement_date=text)]))
    assert result.exit_code == 2
    assert f"row 2, announcement_date: {text!r}" in result.stderr


def test_dates_that_read_one_way() -> None:
    assert day_of("14.01.2025") == date(2025, 1, 14)
    assert day_of("2025-01-14 00:00:00") == date(2025, 1, 14)
    assert day_of("until March 2024") is None
    with pytest.raises(ValueError, match="two-digit year"):
        day_of("14.01.25")


@pytest.mark.parametrize("column", ["aid_type_general", "month_exists_dummy", "sub_activity_id"])
def test_a_missing_or_renamed_column_exits_2_naming_it(
    loaded: Cli, tmp_path: Path, column: str
) -> None:
    columns = [c if c != column else f"{c}_v2" for c in COLUMNS]
    if column == "sub_activity_id":
        columns.remove("ID")
    rows = [_row() | {f"{column}_v2": _row().get(column)}]
    path = write_workbook(tmp_path / "r29.xlsx", rows, columns, summary=False)
    result = loaded("import", "kiel", str(path))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "missing column(s)" in result.stderr and column in result.stderr


def test_a_sheet_without_military_rows_exits_2_saying_why(loaded: Cli, tmp_path: Path) -> None:
    rows = [_row(aid_type_general="Humanitarian"), _row(sub_activity_id="A1-2",
            aid_type_general="Financial")]  # fmt: skip
    assert_bad_input(
        loaded("import", "kiel", _book(tmp_path, rows)),
        "error: aid_type_general: no military rows among 2 rows (values: Financial (1), "
        "Humanitarian (1))",
    )


def test_skip_bad_writes_the_good_rows_and_reports_the_others(loaded: Cli, tmp_path: Path) -> None:
    rows = [
        _row(sub_activity_id="A1-1"),
        _row(sub_activity_id="A1-2", tot_sub_activity_value_EUR="2,5"),
        _row(sub_activity_id="A1-3", announcement_date="14.01.25"),
        _row(sub_activity_id="A1-3", announcement_date="2025-01-14"),
        _row(sub_activity_id="A1-4", aid_type_general="Militray"),
    ]
    report = tmp_path / "refused.csv"
    result = loaded("import", "kiel", _book(tmp_path, rows), "--skip-bad", str(report))
    assert result.exit_code == 0, result.stderr
    assert set(_kiel_rows(loaded.url)) == {"KIEL-ACT-A1-A1-1", "KIEL-ACT-A1-A1-3"}
    with report.open(encoding="utf-8") as handle:
        refused = {(r["row"], r["column"]) for r in csv.DictReader(handle)}
    assert refused == {
        ("3", "tot_sub_activity_value_EUR"),
        ("4", "announcement_date"),
        ("6", "aid_type_general"),
    }


def test_a_repeated_sub_activity_is_refused(loaded: Cli, tmp_path: Path) -> None:
    result = loaded("import", "kiel", _book(tmp_path, [_row(), _row()]))
    assert result.exit_code == 2
    assert "row 3, sub_activity_id: A1/A1-1 is also on row 2" in result.stderr


def test_the_release_is_named_or_given(loaded: Cli, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "tracker.xlsx", [_row()], summary=False)
    assert_bad_input(
        loaded("import", "kiel", str(path)),
        "error: release: tracker.xlsx names no release: give --release N",
    )
    assert loaded("import", "kiel", str(path), "--release", "28").exit_code == 0


def test_donor_names_resolve_through_the_alias_table_then_pycountry() -> None:
    for name, iso3 in (("Turkiye", "TUR"), ("UK", "GBR"), ("Norway", "NOR"), ("Czechia", "CZE")):
        donor = donor_of(name)
        assert donor is not None and donor.iso3 == iso3
    assert donor_of("Atlantis") is None
