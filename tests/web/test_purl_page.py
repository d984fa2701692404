"""The PURL page and the overview's split of counted military aid by supply."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from tests.conftest import Cli


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('purl') / 'ramstein.db'}"
    assert Cli(url)("load", "washington-2024").exit_code == 0
    with TestClient(create_app(url)) as client:
        yield client


def test_the_purl_page_lists_the_four_packages(public: TestClient) -> None:
    page = public.get("/purl")
    assert page.status_code == 200
    for pid in ("PURL-1", "PURL-2", "PURL-3", "PURL-4"):
        assert f'<tr data-id="{pid}">' in page.text
    assert "DNK: 165 (33 %), paid 2025-08-05" in page.text
    assert '<a href="/purl" aria-current="page">PURL</a>' in page.text
    doc = public.get("/purl", params={"format": "json"}).json()
    assert len(doc["packages"]) == 4 and doc["value_usd"] == 2073e6
    assert doc["by_status"] == {
        "proposed": 0,
        "approved": 0,
        "funded": 2,
        "delivering": 2,
        "delivered": 0,
    }


def test_the_overview_splits_counted_military_aid_by_supply(public: TestClient) -> None:
    page = public.get("/", params={"year": 2025})
    assert page.status_code == 200
    assert 'id="supply-table"' in page.text and "Domestic production" in page.text
    doc = public.get("/", params={"year": 2025, "format": "json"}).json()
    parts = {p["supply"]: p["eur"] for p in doc["supply"]["parts"]}
    assert list(parts) == ["stockpile", "procurement", "purl", "domestic_production", "unspecified"]
    # Kiel's monthly rows hold every source (PURL included) and are all the dataset counts.
    assert parts["unspecified"] == pytest.approx(doc["counted_eur"])
    assert doc["supply"]["total_eur"] == pytest.approx(doc["counted_eur"])
    assert parts["purl"] == 0.0
