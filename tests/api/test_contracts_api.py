"""`/api/v1/contracts`: the Stinger contract, and lots delivered or delayed by coordinators."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Callers, error_of


def test_the_stinger_contract_is_public_with_its_three_buyers(api: TestClient) -> None:
    listed = api.get("/api/v1/contracts").json()
    assert [c["id"] for c in listed] == ["NSPA-STINGER-2024"]
    doc = api.get("/api/v1/contracts/NSPA-STINGER-2024").json()
    assert [b["iso3"] for b in doc["buyers"]] == ["DEU", "ITA", "NLD"]
    assert doc["allocation"]["format"] == "ramstein.lot-allocation/1"
    assert [e["kind"] for e in doc["events"]] == ["signed"]
    assert api.get("/api/v1/contracts/NOPE").status_code == 404


def test_only_coordinators_deliver_or_delay_lots(api: TestClient, callers: Callers) -> None:
    url = "/api/v1/contracts/NSPA-STINGER-2024/lots/L1"
    for who in (callers.public, callers.deu, callers.recipient):
        assert api.post(f"{url}/deliver", json={"on": "2026-07-02"}, headers=who).status_code in (
            401,
            403,
        )
    delayed = api.post(f"{url}/delay", json={"to": "2027-01-31"}, headers=callers.coordinator)
    assert delayed.status_code == 200, delayed.text
    assert [lot["lot"] for lot in delayed.json()["allocation"]["lots"]][:2] == ["L2", "L1"]
    done = api.post(f"{url}/deliver", json={"on": "2027-02-01"}, headers=callers.coordinator)
    assert done.status_code == 200
    first = done.json()["allocation"]["lots"][0]
    assert first["lot"] == "L1" and first["delivered"]
    again = api.post(f"{url}/deliver", json={"on": "2027-02-02"}, headers=callers.coordinator)
    assert again.status_code == 422
    assert error_of(again) == "contracts[NSPA-STINGER-2024].lots[L1]: is already delivered"
    kinds = [e["kind"] for e in api.get("/api/v1/contracts/NSPA-STINGER-2024").json()["events"]]
    assert kinds == ["signed", "lot delayed", "lot delivered"]
