"""The demo's real picture: Kiel's Release 29 military allocations in the packaged dataset."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import pytest

from ramstein.io import kiel_release
from ramstein.store import repositories as repo
from ramstein.store.db import Store
from tests.conftest import Cli, assert_bad_input

EXPLORER = Path("../shared/data/kiel/r29-data_explorer.csv")


def _release_29_sums() -> dict[tuple[str, int], float]:
    """Military allocations per donor and year (EUR), summed from Kiel's own file."""
    sums: dict[tuple[str, int], float] = defaultdict(float)
    with EXPLORER.open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            sums[(r["iso"], int(r["year"]))] += float(r["military"]) * 1e9
    return sums


def test_the_packaged_table_is_derived_from_release_29() -> None:
    packaged = (files("ramstein.data") / kiel_release.MILITARY_FILE).read_text("utf-8")
    assert packaged == kiel_release.military_csv(kiel_release.derive_military(EXPLORER))
    gdp = (files("ramstein.data") / kiel_release.GDP_FILE).read_text("utf-8")
    assert gdp == kiel_release.gdp_csv(kiel_release.derive_gdp(EXPLORER))
    months = kiel_release.military()
    assert {m.id for m in months} >= {"KIEL-R29-DEU-2025-05", "KIEL-R29-USA-2022-03"}
    assert min((m.year, m.month) for m in months) >= (2022, 1)
    assert max((m.year, m.month) for m in months) <= (2026, 4)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'ramstein.db'}")
    result = cli("load", "washington-2024")
    assert result.exit_code == 0, result.stderr
    assert "591 monthly military allocations added" in result.stdout
    return cli


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_demos_counted_figures_are_release_29s_sums(demo: Cli, year: int) -> None:
    result = demo("shares", "--year", str(year), "--json")
    assert result.exit_code == 0, result.stderr
    counted = {n["iso3"]: n["counted_eur"] for n in json.loads(result.stdout)["nations"]}
    sums = _release_29_sums()
    for iso3, eur in counted.items():
        assert eur == pytest.approx(sums.get((iso3, year), 0.0), rel=1e-9, abs=1.0), iso3
    if year == 2025:
        assert round(counted["DEU"] / 1e9, 2) == 9.01
        assert round(counted["USA"] / 1e9, 2) == 0.48


def test_shares_says_the_period_its_key_and_what_counted_means(demo: Cli) -> None:
    result = demo("shares", "--year", "2024", "--gdp-basis", "kiel")
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "2024 (key: GDP 2023)" in text
    assert "a lower bound of what the pledge counts" in text
    assert "Kiel's basis" in text and "not in Kiel's table" in text  # Albania: no Kiel GDP
    assert_bad_input(
        demo("shares", "--year", "2023"),
        "error: year: 2023 is not a pledge period of 'Washington pledge 2025' (2024, 2025, 2026)",
    )


def test_loading_again_replaces_nothing_the_ledger_holds(demo: Cli) -> None:
    store = Store(demo.url)
    with store.transaction() as session:
        row = next(
            c for c in repo.list_contributions(session, donor="DEU") if c.id.endswith("2025-05")
        )
        repo.upsert_contribution(
            session, replace(row, amount=1.0), actor="test", reason="a ministry's own figure"
        )
    again = demo("load", "washington-2024")
    assert again.exit_code == 0, again.stderr
    assert "0 monthly military allocations added" in again.stdout
    with store.transaction() as session:
        kept = repo.get_contribution(session, row.id)
    store.close()
    assert kept is not None and kept[0].amount == 1.0
    with store.transaction() as session:
        repo.upsert_contribution(session, row, actor="test", reason="restored")
    store.close()
