"""`/api/v1/production`: Ukraine's capacity, written by the recipient, read by allies."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Callers

DOC: dict[str, Any] = {
    "format": "ramstein.production/1",
    "capacities": [
        {
            "maker": "UKR-MAKER-1",
            "item": "GEPARD",
            "month": "2025-12",
            "units": 5,
            "unit_price": 2e6,
        }
    ],
}


def test_the_recipient_records_capacity_that_allies_read(api: TestClient, callers: Callers) -> None:
    assert api.post("/api/v1/production", json=DOC, headers=callers.deu).status_code == 403
    made = api.post("/api/v1/production", json=DOC, headers=callers.recipient)
    assert made.status_code == 200, made.text
    assert made.json() == {"changed": 1}
    assert api.get("/api/v1/production", headers=callers.public).status_code == 403
    [seen] = api.get("/api/v1/production", headers=callers.deu).json()["capacities"]
    assert seen["id"] == "UKR-PROD:UKR-MAKER-1:GEPARD:2025-12" and "funding_needed" not in seen
    [planned] = api.get("/api/v1/production", headers=callers.coordinator).json()["capacities"]
    assert planned["planned_units"] == 0 and planned["funding_needed"] == 0  # no plan yet
    offers = api.get("/api/v1/offers", headers=callers.public).json()
    assert seen["id"] not in str(offers)  # the recipient's industry: for allies only
    assert seen["id"] in str(api.get("/api/v1/offers", headers=callers.pol).json())


def test_bad_capacity_is_a_422(api: TestClient, callers: Callers) -> None:
    bad = {**DOC, "capacities": [{**DOC["capacities"][0], "month": "2025-13"}]}
    answer = api.post("/api/v1/production", json=bad, headers=callers.coordinator)
    assert answer.status_code == 422
    assert "month" in answer.json()["detail"][0]["loc"]
    assert api.get("/api/v1/production", headers=callers.coordinator).json() == {"capacities": []}
