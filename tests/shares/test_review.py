"""The review cycle: snapshots frozen, restatements shown, history by period; resilience."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from ramstein.store import repositories as repo
from ramstein.store.db import Store
from ramstein.store.models import SnapshotCreditRow, SnapshotLineRow, SnapshotRow
from ramstein.store.snapshots import SnapshotImmutable
from tests.conftest import Cli, assert_bad_input

NATIONS = {"DEU": 4000, "FRA": 3000, "POL": 800, "EST": 40}


def _flow(cid: str, donor: str, amount: float, day: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "donor": donor,
        "amount": amount,
        "currency": "EUR",
        "date": day,
        "category": "in_kind",
        "status": "delivered",
        **extra,
    }


@pytest.fixture
def pledge(write_json: Any) -> str:
    """A four-nation pledge for 2025 with contributions in 2024, H1 and H2 2025."""
    return str(
        write_json(
            {
                "format": "ramstein.scenario/1",
                "name": "review test",
                "baseline": {"amount": 10e9, "currency": "EUR"},
                "period": {"start": "2025-01-01", "end": "2025-12-31"},
                "key": {"indicator": "gdp", "year": 2023},
                "nations": [
                    {"iso3": k, "gdp": {"2023": {"amount": v, "currency": "EUR", "unit": "bn"}}}
                    for k, v in NATIONS.items()
                ],
                "contributions": [
                    _flow("old", "DEU", 2e9, "2024-05-01"),
                    _flow("h1-deu", "DEU", 1e9, "2025-03-01"),
                    _flow("h1-pol", "POL", 500e6, "2025-04-01"),
                    _flow("h2-fra", "FRA", 700e6, "2025-09-01"),
                ],
            }
        )
    )


def _review(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("review", *args, "--json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _nations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["iso3"]: n for n in doc["nations"]}


def test_snapshot_freezes_h1_and_a_later_edit_shows_as_a_restatement(
    cli: Cli, store_url: str, pledge: str
) -> None:
    assert cli("load", pledge).exit_code == 0
    taken = cli("review", "2025", "--snapshot", "H1")
    assert taken.exit_code == 0, taken.stderr
    assert "counted up to 2025-06-30, EUR 1.50 bn" in taken.stdout

    doc = _review(cli, "2025")
    assert doc["last_snapshot"]["label"] == "H1"
    lines = _nations(doc)
    assert lines["DEU"]["counted_eur"] == 1e9
    assert lines["FRA"]["change_since_snapshot_eur"] == 700e6  # H2 progress
    assert lines["DEU"]["change_since_snapshot_eur"] == 0
    assert doc["restatements"] == []

    store = Store(store_url)
    with store.transaction("ministry") as session:
        repo.update_contribution(session, "h1-deu", {"amount": 1.25e9}, expected=None)
    after = _review(cli, "2025")
    assert _nations(after)["DEU"]["counted_eur"] == 1.25e9  # the current figure moved
    assert after["restatements"] == [
        {
            "snapshot": "H1",
            "contribution": "h1-deu",
            "iso3": "DEU",
            "reported_eur": 1e9,
            "now_eur": 1.25e9,
        }
    ]
    with store.transaction() as session:
        frozen = session.scalar(
            select(SnapshotLineRow.counted_eur).where(SnapshotLineRow.iso3 == "DEU")
        )
        assert frozen == 1e9  # the snapshot did not
    table = cli("review", "2025")
    assert "Restatements against snapshots" in table.stdout and "+250.0" in table.stdout
    store.close()


def test_snapshots_cannot_be_changed_deleted_or_retaken(
    cli: Cli, store_url: str, pledge: str
) -> None:
    assert cli("load", pledge).exit_code == 0
    assert cli("review", "--snapshot", "h1").exit_code == 0
    assert_bad_input(
        cli("review", "--snapshot", "H1"),
        "error: snapshot: H1 2025 is already recorded; snapshots never change",
    )
    assert_bad_input(cli("review", "--snapshot", "Q3"), "error: snapshot: is H1 or H2, not 'Q3'")
    store = Store(store_url)
    for table, change in (
        (SnapshotRow, lambda r: setattr(r, "baseline_eur", 0.0)),
        (SnapshotLineRow, lambda r: setattr(r, "counted_eur", 0.0)),
    ):
        with pytest.raises(SnapshotImmutable), store.transaction() as session:
            change(session.scalars(select(table)).first())
    with pytest.raises(SnapshotImmutable), store.transaction() as session:
        session.delete(session.scalars(select(SnapshotCreditRow)).first())
    with store.transaction() as session:
        assert session.scalar(select(SnapshotRow.baseline_eur)) == 10e9
        assert len(session.scalars(select(SnapshotCreditRow)).all()) == 2
    store.close()


def test_history_gives_a_nation_each_period(cli: Cli, pledge: str) -> None:
    assert cli("load", pledge).exit_code == 0
    doc = _review(cli, "--nation", "deu")
    periods = {p["year"]: p for p in doc["periods"]}
    assert set(periods) == {2024, 2025}
    assert periods[2024]["counted_eur"] == 2e9
    assert periods[2025]["counted_eur"] == 1e9
    fair = 10e9 * 4000 / 7840
    assert periods[2025]["fair_share_eur"] == pytest.approx(fair)
    assert periods[2025]["gap_eur"] == pytest.approx(fair - 1e9)
    assert periods[2025]["counted_pct_of_gdp"] == pytest.approx(100 * 1e9 / 4000e9)
    assert "standing by period" in cli("review", "--nation", "DEU").stdout
    assert_bad_input(cli("review", "--nation", "XXX"), "error: nation: unknown nation 'XXX'")


def test_resilience_ranks_exits_by_the_load_they_shift(sqlite_cli: Cli, pledge: str) -> None:
    result = sqlite_cli("shares", pledge, "--resilience", "--json")
    assert result.exit_code == 0, result.stderr
    exits = json.loads(result.stdout)["exits"]
    assert [e["iso3"] for e in exits] == ["DEU", "FRA", "POL", "EST"]
    deu = exits[0]
    assert deu["shifted_eur"] == pytest.approx(deu["fair_share_eur"])
    assert deu["uncovered_eur"] == 0
    takers = {t["iso3"]: t for t in deu["takers"]}
    # The others take DEU's share in proportion to their GDP.
    assert takers["FRA"]["extra_fair_share_eur"] == pytest.approx(
        deu["fair_share_eur"] * 3000 / 3840
    )
    # POL counted 0.5 bn of a fair share of 1.02 bn: all of its extra share is still to give.
    assert takers["POL"]["extra_gap_eur"] == pytest.approx(takers["POL"]["extra_fair_share_eur"])
    table = sqlite_cli("shares", pledge, "--resilience")
    assert "Withdrawal resilience" in table.stdout and "FRA +" in table.stdout
