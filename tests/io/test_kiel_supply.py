"""Kiel's split of military allocations by source, packaged per year from Release 29."""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

import pytest

from ramstein.io import kiel_release
from ramstein.services.supply import kiel_supply
from ramstein.shares.supply import Supply

TRENDS = Path("../shared/data/kiel/r29-procurement_trends.csv")


def test_the_packaged_split_is_derived_from_release_29() -> None:
    packaged = (files("ramstein.data") / kiel_release.SUPPLY_FILE).read_text("utf-8")
    assert packaged == kiel_release.supply_csv(kiel_release.derive_supply(TRENDS))
    with TRENDS.open(encoding="utf-8") as handle:
        august = next(r for r in csv.DictReader(handle) if (r["year"], r["month"]) == ("2025", "8"))
    assert float(august["nato_purl"]) > 1.8  # PURL's first month, counted by Kiel


def test_kiel_supply_of_a_year() -> None:
    y2025 = kiel_supply(2025)
    assert y2025 is not None
    assert y2025[Supply.DOMESTIC_PRODUCTION] is None  # Kiel does not separate it
    assert y2025[Supply.PURL] == pytest.approx(3.712365838e9)
    assert kiel_supply(2024) is not None and kiel_supply(2024)[Supply.PURL] == 0.0  # type: ignore[index]
    assert kiel_supply(2021) is None
