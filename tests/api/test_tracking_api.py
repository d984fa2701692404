"""`/api/v1/consignments` and `/api/v1/cohorts`: receipts, tracking events and cohorts."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Callers

CONSIGNMENT = "K-WAS24-DEU-PATRIOT"  # 60 pallets, DEPOT_DEU -> UKR_CENTRAL
RECEIPT = f"/api/v1/consignments/{CONSIGNMENT}/receipt"
EVENTS = f"/api/v1/consignments/{CONSIGNMENT}/events"


def discrepancy(api: TestClient, headers: dict[str, str]) -> dict[str, int]:
    """The consignment's pallets by state, as the API reports them."""
    found = api.get(f"/api/v1/consignments/{CONSIGNMENT}", headers=headers)
    assert found.status_code == 200, found.text
    summary: dict[str, int] = found.json()["summary"]
    return summary


def test_liaison_confirms_a_receipt_with_a_damaged_pallet(
    api: TestClient, callers: Callers
) -> None:
    body = {"received": 57, "damaged": 1, "lost": 0, "note": "one pallet crushed"}
    confirmed = api.post(RECEIPT, json=body, headers=callers.recipient)
    assert confirmed.status_code == 201, confirmed.text
    doc = confirmed.json()
    assert doc["summary"] == {"received": 57, "damaged": 1, "origin": 2}
    kinds = [(e["kind"], e["pallets"], e["place"]) for e in doc["events"]]
    # The untracked journey is implied (dispatched to the destination), then the receipt.
    assert kinds == [
        ("dispatched", 58, "DEPOT_DEU"),
        ("received", 57, "UKR_CENTRAL"),
        ("damaged", 1, "UKR_CENTRAL"),
    ]
    assert doc["events"][-1]["note"] == "one pallet crushed"
    assert {e["actor"] for e in doc["events"]} == {"ukr-liaison"}
    # The remaining two arrive later: the same consignment, a second receipt.
    second = api.post(RECEIPT, json={"received": 2}, headers=callers.coordinator)
    assert second.status_code == 201, second.text
    assert second.json()["summary"] == {"received": 59, "damaged": 1}


def test_a_receipt_for_more_than_is_open_is_refused_whole(
    api: TestClient, callers: Callers
) -> None:
    before = discrepancy(api, callers.coordinator)
    refused = api.post(RECEIPT, json={"received": 60, "lost": 1}, headers=callers.recipient)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == [f"receipts[{CONSIGNMENT}].received"]
    assert "61 pallets confirmed, but only 60" in refused.json()["detail"][0]["msg"]
    assert discrepancy(api, callers.coordinator) == before == {"origin": 60}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/consignments/K-NOPE/receipt", "consignments[K-NOPE]"),
        ("/api/v1/consignments/K-NOPE/events", "consignments[K-NOPE]"),
    ],
)
def test_unknown_consignment_is_one_line(
    api: TestClient, callers: Callers, url: str, field: str
) -> None:
    body = (
        {"received": 1}
        if url.endswith("receipt")
        else {"kind": "dispatched", "pallets": 1, "place": "DEPOT_DEU", "to": "HUB_POL"}
    )
    answer = api.post(url, json=body, headers=callers.coordinator)
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"loc": [field], "msg": "no such consignment", "type": "value_error"}
    ]


def test_tracking_events_move_pallets_and_refuse_impossible_moves(
    api: TestClient, callers: Callers
) -> None:
    sent = {"kind": "dispatched", "pallets": 20, "place": "DEPOT_DEU", "to": "HUB_POL"}
    moved = api.post(EVENTS, json=sent, headers=callers.coordinator)
    assert moved.status_code == 201, moved.text
    assert moved.json()["summary"] == {"origin": 40, "transit": 20}
    arrived = {"kind": "arrived_hub", "pallets": 21, "place": "HUB_POL"}
    refused = api.post(EVENTS, json=arrived, headers=callers.recipient)
    assert refused.status_code == 422
    assert "only 20 are transit HUB_POL" in refused.json()["detail"][0]["msg"]
    unknown = {"kind": "arrived_hub", "pallets": 1, "place": "NOWHERE"}
    answer = api.post(EVENTS, json=unknown, headers=callers.coordinator)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["msg"] == "unknown node 'NOWHERE'"
    assert discrepancy(api, callers.coordinator) == {"origin": 40, "transit": 20}


@pytest.mark.parametrize("role", ["deu", "pol", "public"])
def test_only_the_liaison_and_coordinators_track(
    api: TestClient, callers: Callers, role: str
) -> None:
    headers = getattr(callers, role)
    receipt = api.post(RECEIPT, json={"received": 1}, headers=headers)
    event = api.post(
        EVENTS,
        json={"kind": "dispatched", "pallets": 1, "place": "DEPOT_DEU", "to": "HUB_POL"},
        headers=headers,
    )
    cohort = api.post("/api/v1/cohorts", json=COHORT, headers=headers)
    assert (receipt.status_code, event.status_code, cohort.status_code) == (403, 403, 403)
    assert api.get(f"/api/v1/consignments/{CONSIGNMENT}", headers=headers).status_code == 403
    assert api.get("/api/v1/cohorts", headers=headers).status_code == 403
    assert discrepancy(api, callers.coordinator) == {"origin": 60}


COHORT = {
    "id": "UKR-PATRIOT-CREW-X",
    "course": "PATRIOT_CREW",
    "size": 60,
    "available_from": "2025-01-06",
    "needed_by": "2025-09-30",
    "priority": 100,
    "requirement": "UKR-PATRIOT",
}


def test_liaison_adds_and_edits_a_cohort(api: TestClient, callers: Callers) -> None:
    added = api.post("/api/v1/cohorts", json=COHORT, headers=callers.recipient)
    assert added.status_code == 201, added.text
    edited = api.post("/api/v1/cohorts", json={**COHORT, "size": 45}, headers=callers.recipient)
    assert edited.status_code == 201, edited.text
    listed = api.get("/api/v1/cohorts", headers=callers.coordinator).json()
    mine = [c for c in listed if c["id"] == COHORT["id"]]
    assert mine == [{**COHORT, "size": 45}]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"course": "NO_COURSE"}, "cohorts[UKR-PATRIOT-CREW-X].course", "unknown course"),
        (
            {"requirement": "UKR-NOPE"},
            "cohorts[UKR-PATRIOT-CREW-X].requirement",
            "unknown requirement 'UKR-NOPE'",
        ),
        (
            {"needed_by": "2024-01-01"},
            "cohorts[UKR-PATRIOT-CREW-X].needed_by",
            "is before available_from",
        ),
    ],
)
def test_bad_cohorts_are_refused(
    api: TestClient, callers: Callers, change: dict[str, str], field: str, message: str
) -> None:
    before = api.get("/api/v1/cohorts", headers=callers.coordinator).json()
    answer = api.post("/api/v1/cohorts", json={**COHORT, **change}, headers=callers.recipient)
    assert answer.status_code == 422
    error = answer.json()["detail"][0]
    assert error["loc"] == [field] and message in error["msg"]
    assert api.get("/api/v1/cohorts", headers=callers.coordinator).json() == before


def test_unknown_items_in_offers_and_requirements_are_422_not_500(
    api: TestClient, callers: Callers
) -> None:
    offer = {"id": "DEU-X1", "donor": "DEU", "item": "NO_SUCH_ITEM", "quantity": 2}
    answer = api.post("/api/v1/offers", json=offer, headers=callers.deu)
    assert answer.status_code == 422
    assert answer.json()["detail"][0] == {
        "loc": ["offers[DEU-X1].item"],
        "msg": "unknown item 'NO_SUCH_ITEM'",
        "type": "value_error",
    }
    need = {"id": "UKR-X", "item": "GEPARD", "quantity": 2, "priority": 5, "substitutes": ["NOPE"]}
    answer = api.post("/api/v1/requirements", json=need, headers=callers.recipient)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["requirements[UKR-X].substitutes"]


def test_openapi_documents_the_new_endpoints(api: TestClient) -> None:
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/consignments/{consignment}/receipt"]["post"]["responses"]) >= {
        "201",
        "403",
        "422",
    }
    assert "post" in paths["/api/v1/consignments/{consignment}/events"]
    assert {"get", "post"} <= set(paths["/api/v1/cohorts"])
    schemas = api.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(schemas["ReceiptCreate"]["properties"]) == {"received", "damaged", "lost", "note"}


def test_requirements_close_and_offers_withdraw(api: TestClient, callers: Callers) -> None:
    need = {"id": "UKR-X", "item": "GEPARD", "quantity": 2, "priority": 5}
    assert api.post("/api/v1/requirements", json=need, headers=callers.recipient).status_code == 201
    assert api.delete("/api/v1/requirements/UKR-X", headers=callers.deu).status_code == 403
    closed = api.delete("/api/v1/requirements/UKR-X", headers=callers.recipient)
    assert closed.status_code == 200 and closed.json()["id"] == "UKR-X"
    listed = api.get("/api/v1/requirements", headers=callers.coordinator).json()
    assert "UKR-X" not in {r["id"] for r in listed}
    again = api.delete("/api/v1/requirements/UKR-X", headers=callers.recipient)
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["requirements[UKR-X]"]

    offer = {
        "id": "DEU-X1",
        "donor": "DEU",
        "item": "GEPARD",
        "quantity": 2,
        "visibility": "nation",
    }
    assert api.post("/api/v1/offers", json=offer, headers=callers.deu).status_code == 201
    # Poland gets the same answer as for an offer that does not exist.
    hidden = api.delete("/api/v1/offers/DEU-X1", headers=callers.pol)
    missing = api.delete("/api/v1/offers/NOPE-1", headers=callers.pol)
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["detail"][0]["msg"] == missing.json()["detail"][0]["msg"]
    assert hidden.json()["detail"][0]["msg"] == "no such offer of yours"
    gone = api.delete("/api/v1/offers/DEU-X1", headers=callers.deu)
    assert gone.status_code == 200 and gone.json()["id"] == "DEU-X1"
    assert "DEU-X1" not in {o["id"] for o in api.get("/api/v1/offers", headers=callers.deu).json()}
