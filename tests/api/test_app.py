"""The app in process: the shares API over a loaded store (pages: tests/web)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from tests.api.conftest import error_of
from tests.conftest import Cli, Washington


@pytest.fixture
def client(cli: Cli, washington: Washington) -> Iterator[TestClient]:
    washington(cli)
    with TestClient(create_app(cli.url)) as test_client:
        yield test_client


def test_shares_api_returns_the_document(client: TestClient) -> None:
    response = client.get("/api/v1/shares")
    assert response.status_code == 200
    doc = response.json()
    assert doc["format"] == "ramstein.shares/1"
    usa = next(n for n in doc["nations"] if n["iso3"] == "USA")
    assert round(usa["key_share"], 4) == 0.5309


def test_shares_api_what_if(client: TestClient) -> None:
    response = client.get("/api/v1/shares", params={"without": "USA", "baseline": 50e9})
    assert response.status_code == 200
    doc = response.json()
    assert doc["baseline_eur"] == 50e9
    assert next(n for n in doc["nations"] if n["iso3"] == "USA")["fair_share_eur"] == 0


def test_shares_api_rejects_an_unknown_nation(client: TestClient) -> None:
    response = client.get("/api/v1/shares", params={"without": "XYZ"})
    assert response.status_code == 422
    assert error_of(response) == "without: unknown nation 'XYZ'"


def test_openapi_is_served_under_api_v1(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/shares" in response.json()["paths"]
