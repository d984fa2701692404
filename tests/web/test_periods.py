"""The overview's pledge-period picker, Kiel's % of GDP basis, and what "counted" means."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from tests.conftest import Cli, Washington


@pytest.fixture(scope="module")
def public(
    tmp_path_factory: pytest.TempPathFactory, washington: Washington
) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('periods') / 'ramstein.db'}"
    washington(Cli(url))
    with TestClient(create_app(url)) as client:
        yield client


def test_the_overview_picks_a_pledge_period(public: TestClient) -> None:
    page = public.get("/")
    assert page.status_code == 200
    assert "Pledge period" in page.text and '<a href="/?year=2024">2024</a>' in page.text
    assert "a lower bound of what the pledge counts" in page.text
    y2025 = public.get("/", params={"year": 2025, "format": "json"}).json()
    deu = next(n for n in y2025["nations"] if n["iso3"] == "DEU")
    assert round(deu["counted_eur"] / 1e9, 2) == 9.01
    assert y2025["years"] == [2024, 2025, 2026] and y2025["key"] == "GDP 2023"
    y2024 = public.get("/", params={"year": 2024, "format": "json"}).json()
    usa = next(n for n in y2024["nations"] if n["iso3"] == "USA")
    assert y2024["period"]["start"] == "2024-01-01" and usa["counted_eur"] > 20e9
    bad = public.get("/", params={"year": 2023})
    assert bad.status_code == 422 and "2023 is not a pledge period" in bad.text


def test_the_overview_shows_pct_of_gdp_on_kiels_basis(public: TestClient) -> None:
    key = public.get("/", params={"year": 2025, "format": "json"}).json()
    kiel = public.get("/", params={"year": 2025, "gdp": "kiel", "format": "json"}).json()
    assert kiel["gdp_basis_label"] == "2021 GDP in EUR (Kiel's basis)"
    by_key = {n["iso3"]: n["counted_pct_of_gdp"] for n in key["nations"]}
    by_kiel = {n["iso3"]: n["counted_pct_of_gdp"] for n in kiel["nations"]}
    deu = next(n for n in kiel["nations"] if n["iso3"] == "DEU")
    # Kiel's 2021 GDP for Germany: EUR 3,601.75 bn.
    assert by_kiel["DEU"] == pytest.approx(100 * deu["counted_eur"] / 3601.74999999994e9)
    assert by_kiel["DEU"] != by_key["DEU"]
    assert by_kiel["ALB"] is None and by_key["ALB"] is not None  # not in Kiel's table
    html = public.get("/", params={"year": 2025, "gdp": "kiel"}).text
    assert "n/a" in html
