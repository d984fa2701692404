"""The PURL page and the overview's split of counted military aid by supply."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from tests.conftest import Cli, Washington


@pytest.fixture(scope="module")
def public(
    tmp_path_factory: pytest.TempPathFactory, washington: Washington
) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('purl') / 'ramstein.db'}"
    washington(Cli(url))
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
    kiel = {p["supply"]: p["kiel_eur"] for p in doc["supply"]["parts"]}
    assert kiel["purl"] == pytest.approx(3.712365838e9) and kiel["domestic_production"] is None
    assert "Kiel, all donors" in page.text and "Release 29" in doc["supply"]["kiel_source"]


def test_the_split_is_computed_from_the_rows_each_viewer_may_see(
    sqlite_cli: Cli,
    write_json: Any,
    washington: Washington,
) -> None:
    from datetime import date

    from ramstein.domain.access import PUBLIC, Role, Viewer
    from ramstein.services import purl
    from ramstein.services.supply import military_supply
    from ramstein.shares.supply import Supply
    from ramstein.store.db import Store

    washington(sqlite_cli, kiel=False)
    doc = {
        "format": "ramstein.purl/1",
        "packages": [
            {
                "id": "PURL-S",
                "title": "confidential",
                "value_usd": 100e6,
                "proposed_on": "2025-09-01",
                "items": [{"item": "PATRIOT_INTERCEPTOR", "quantity": 5}],
                "payers": [{"iso3": "DEU", "share": 1.0}],
                "visibility": "nation",
            }
        ],
    }
    assert sqlite_cli("purl", "add", write_json(doc, "s.json")).exit_code == 0
    viewers = {
        "public": PUBLIC,
        "pol": Viewer(Role.NATION, "POL", "pol"),
        "deu": Viewer(Role.NATION, "DEU", "deu"),
        "coordinator": Viewer(Role.COORDINATOR, None, "coord"),
    }
    store = Store(sqlite_cli.url)
    try:
        with store.transaction() as session:
            before = {k: military_supply(session, v) for k, v in viewers.items()}
            purl.approve(session, "PURL-S", date(2025, 9, 2), "SACEUR", actor="t")
            purl.pay(session, "PURL-S", "DEU", date(2025, 9, 3), actor="t")
            after = {k: military_supply(session, v) for k, v in viewers.items()}
            seen = {
                k: [p.id for p in purl.standing(session, v).packages] for k, v in viewers.items()
            }
    finally:
        store.close()
    assert after["public"] == before["public"] and after["pol"] == before["pol"]
    for who in ("deu", "coordinator"):
        assert after[who][Supply.PURL] - before[who][Supply.PURL] > 80e6
        assert "PURL-S" in seen[who]
    assert "PURL-S" not in seen["public"] and "PURL-S" not in seen["pol"]


def test_the_split_follows_a_write_made_elsewhere(
    sqlite_cli: Cli, write_json: Any, washington: Washington
) -> None:
    washington(sqlite_cli, kiel=False)
    doc = {
        "format": "ramstein.purl/1",
        "packages": [
            {
                "id": "PURL-P",
                "title": "public",
                "value_usd": 100e6,
                "proposed_on": "2025-09-01",
                "items": [{"item": "PATRIOT_INTERCEPTOR", "quantity": 5}],
                "payers": [{"iso3": "NLD", "share": 1.0}],
            }
        ],
    }

    def purl_eur(client: TestClient) -> float:
        page = client.get("/", params={"format": "json"}).json()
        return float(next(p["eur"] for p in page["supply"]["parts"] if p["supply"] == "purl"))

    with TestClient(create_app(sqlite_cli.url)) as client:
        assert purl_eur(client) == 0.0
        assert purl_eur(client) == 0.0  # cached
        assert sqlite_cli("purl", "add", write_json(doc, "p.json")).exit_code == 0
        assert sqlite_cli("purl", "approve", "PURL-P", "--on", "2025-09-02").exit_code == 0
        assert sqlite_cli("purl", "pay", "PURL-P", "NLD", "--on", "2025-09-03").exit_code == 0
        assert purl_eur(client) > 80e6  # the CLI's write is seen on the next request
