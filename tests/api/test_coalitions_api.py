"""`/api/v1/coalitions`, coalition visibility on offers, and `/api/v1/custody`.

A coalition's lead sees every offer of its coalition it may see, including those their
donors shared with the coalition (`coalition` visibility), and nothing else: not offers
shared with another coalition, not confidential (`nation`) offers; every figure it is shown
is the same with and without the offers hidden from it.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.api.conftest import Callers, error_of
from tests.conftest import Cli


@pytest.fixture
def leads(loaded: Cli, callers: Callers) -> dict[str, dict[str, str]]:
    """Bearer headers of the drones coalition's lead (LVA) and of France (leads IAMD)."""
    store = Store(loaded.url)
    with store.transaction(actor="test") as session:
        lva = create_account(session, "lva-mod", Role.NATION, nation="LVA")
        fra = create_account(session, "fra-mod", Role.NATION, nation="FRA")
    store.close()
    return {"lva": {"Authorization": f"Bearer {lva}"}, "fra": {"Authorization": f"Bearer {fra}"}}


def _offer(oid: str, quantity: int, visibility: str, coalition: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": oid,
        "donor": "DEU",
        "item": "DRONE",
        "quantity": quantity,
        "visibility": visibility,
    }
    if coalition:
        body["coalition"] = coalition
    return body


SHARED = _offer("DEU-DR1", 500, "coalition", "drones")  # shared with the drones coalition
SECRET = _offer("DEU-DR2", 70, "nation", "drones")  # confidential: not shared
ALLIED = _offer("DEU-DR3", 5, "alliance", "drones")
OTHER = _offer("DEU-DR4", 9, "coalition", "iamd")  # shared with another coalition


@pytest.fixture
def drones(api: TestClient, callers: Callers) -> TestClient:
    """DEU's drone offers, and a drones requirement of the recipient."""
    for body in (SHARED, SECRET, ALLIED):
        assert api.post("/api/v1/offers", json=body, headers=callers.deu).status_code == 201
    need = {
        "id": "UKR-DRONES",
        "item": "DRONE",
        "quantity": 1000,
        "priority": 50,
        "coalition": "drones",
    }
    made = api.post("/api/v1/requirements", json=need, headers=callers.recipient)
    assert made.status_code == 201, made.text
    return api


def _ids(api: TestClient, headers: dict[str, str]) -> set[str]:
    response = api.get("/api/v1/offers", headers=headers)
    assert response.status_code == 200
    return {o["id"] for o in response.json() if o["id"].startswith("DEU-DR")}


def _view(api: TestClient, headers: dict[str, str], coalition: str = "drones") -> dict[str, Any]:
    response = api.get(f"/api/v1/coalitions/{coalition}", headers=headers)
    assert response.status_code == 200, response.text
    doc: dict[str, Any] = response.json()
    return doc


def test_a_lead_sees_its_coalitions_shared_offers_and_nothing_else(
    drones: TestClient, callers: Callers, leads: dict[str, dict[str, str]]
) -> None:
    api = drones
    assert api.post("/api/v1/offers", json=OTHER, headers=callers.deu).status_code == 201
    assert _ids(api, leads["lva"]) == {"DEU-DR1", "DEU-DR3"}
    assert _ids(api, leads["fra"]) == {"DEU-DR3", "DEU-DR4"}
    assert _ids(api, callers.pol) == {"DEU-DR3"}
    assert _ids(api, callers.public) == set()
    assert _ids(api, callers.deu) == {"DEU-DR1", "DEU-DR2", "DEU-DR3", "DEU-DR4"}
    assert _ids(api, callers.coordinator) == {"DEU-DR1", "DEU-DR2", "DEU-DR3", "DEU-DR4"}

    lva = _view(api, leads["lva"])
    assert lva["lead"] is True
    assert {o["id"] for o in lva["offers"]} == {"DEU-DR1", "DEU-DR3"}
    assert [(p["item"], p["offered"]) for p in lva["progress"]] == [("DRONE", 505)]
    assert [(c["requirement"], c["offered"], c["covered"]) for c in lva["coverage"]] == [
        ("UKR-DRONES", 505, 505)
    ]
    pol = _view(api, callers.pol)
    assert pol["lead"] is False
    assert [(c["requirement"], c["offered"]) for c in pol["coverage"]] == [("UKR-DRONES", 5)]
    public = _view(api, callers.public)
    assert public["offers"] == [] and public["coverage"] is None
    assert public["progress"][0]["offered"] == 0
    assert _view(api, callers.coordinator)["progress"][0]["offered"] == 575


def test_hidden_offers_change_no_answer_a_lead_gets(
    drones: TestClient, callers: Callers, leads: dict[str, dict[str, str]]
) -> None:
    api = drones
    paths = [
        "/api/v1/offers",
        "/api/v1/coalitions",
        "/api/v1/coalitions/drones",
        "/api/v1/coalitions/iamd",
        "/coalitions",
        "/coalitions/drones",
        "/coalitions/drones?format=json",
    ]

    def answers() -> dict[str, bytes]:
        return {p: api.get(p, headers=leads["lva"]).content for p in paths}

    before = answers()
    # Offers hidden from LVA: confidential, shared with another coalition, confidential again.
    for body in (OTHER, _offer("DEU-DR5", 40, "nation", None), {**SECRET, "quantity": 99}):
        assert api.post("/api/v1/offers", json=body, headers=callers.deu).status_code == 201
    assert answers() == before
    # A change to an offer LVA sees does change them (the comparison can fail).
    assert (
        api.post(
            "/api/v1/offers", json={**SHARED, "quantity": 501}, headers=callers.deu
        ).status_code
        == 201
    )
    assert answers()["/api/v1/coalitions/drones"] != before["/api/v1/coalitions/drones"]


def test_coordinators_name_leads_and_the_new_lead_sees_the_shared_offers(
    drones: TestClient, callers: Callers
) -> None:
    api = drones
    url = "/api/v1/coalitions/drones/leads"
    assert api.post(url, json={"nation": "POL"}, headers=callers.deu).status_code == 403
    assert _ids(api, callers.pol) == {"DEU-DR3"}
    made = api.post(url, json={"nation": "POL"}, headers=callers.coordinator)
    assert made.status_code == 201, made.text
    assert made.json()["leads"] == ["LVA", "GBR", "POL"]
    assert _ids(api, callers.pol) == {"DEU-DR1", "DEU-DR3"}
    assert _view(api, callers.pol)["lead"] is True
    gone = api.delete(f"{url}/POL", headers=callers.coordinator)
    assert gone.status_code == 200
    assert _ids(api, callers.pol) == {"DEU-DR3"}


@pytest.mark.parametrize(
    ("method", "path", "body", "error"),
    [
        (
            "post",
            "/api/v1/offers",
            _offer("DEU-X", 1, "coalition", None),
            "offers[DEU-X].coalition: required when visibility is coalition",
        ),
        (
            "post",
            "/api/v1/offers",
            _offer("DEU-X", 1, "public", "nope"),
            "offers[DEU-X].coalition: unknown coalition 'nope'",
        ),
        (
            "post",
            "/api/v1/coalitions/drones/leads",
            {"nation": "XXX"},
            "coalitions[drones].leads: unknown nation 'XXX'",
        ),
        ("post", "/api/v1/coalitions/drones/leads", {"nation": "lva"}, "nation: "),
        (
            "put",
            "/api/v1/coalitions/drones/targets",
            {"item": "DRONE", "year": 2099, "quantity": 5},
            "coalitions[drones].targets[DRONE:2099].year: 2099 is outside 2024-2035",
        ),
        (
            "put",
            "/api/v1/coalitions/drones/targets",
            {"item": "NOPE", "year": 2026, "quantity": 5},
            "coalitions[drones].targets[NOPE:2026].item: unknown item 'NOPE'",
        ),
    ],
)
def test_bad_input_is_one_422_naming_the_field(
    drones: TestClient,
    callers: Callers,
    method: str,
    path: str,
    body: dict[str, Any],
    error: str,
) -> None:
    headers = callers.coordinator
    response = getattr(drones, method)(path, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert error_of(response).startswith(error), response.text


def test_unknown_coalitions_are_404(api: TestClient, callers: Callers) -> None:
    assert api.get("/api/v1/coalitions/nope").status_code == 404
    put = api.put(
        "/api/v1/coalitions/nope/targets",
        json={"item": "DRONE", "year": 2026, "quantity": 5},
        headers=callers.coordinator,
    )
    assert put.status_code == 404


def test_the_dataset_serves_eight_coalitions(api: TestClient) -> None:
    response = api.get("/api/v1/coalitions")
    assert response.status_code == 200
    assert len(response.json()) == 8
    assert set(api.get("/api/v1/openapi.json").json()["paths"]) >= {
        "/api/v1/coalitions",
        "/api/v1/coalitions/{coalition_id}",
        "/api/v1/coalitions/{coalition_id}/leads",
        "/api/v1/custody",
        "/api/v1/custody/deliveries",
    }


def test_custody_is_for_coordinators_and_the_recipient(api: TestClient, callers: Callers) -> None:
    for who, status in (("public", 403), ("deu", 403), ("recipient", 200), ("coordinator", 200)):
        response = api.get("/api/v1/custody", headers=getattr(callers, who))
        assert response.status_code == status, who
    doc = api.get("/api/v1/custody", headers=callers.coordinator).json()
    assert doc["sensitive_items"] == ["PATRIOT_INTERCEPTOR"] and doc["discrepancies"] == []
    deliveries = api.get("/api/v1/custody/deliveries", headers=callers.recipient).json()
    assert {c["status"] for c in deliveries["consignments"]} == {"ready"}


def test_a_move_to_delivered_names_the_place_title_passed(
    api: TestClient, callers: Callers
) -> None:
    body = {
        "id": "DEU-T1",
        "donor": "DEU",
        "amount": 5e6,
        "currency": "EUR",
        "date": "2025-02-03",
        "category": "equipment",
        "status": "contracted",
    }
    assert api.post("/api/v1/contributions", json=body, headers=callers.deu).status_code == 201
    url = "/api/v1/contributions/DEU-T1/status"
    missing = api.post(url, json={"status": "delivered"}, headers=callers.deu)
    assert missing.status_code == 422
    assert error_of(missing) == "contributions[DEU-T1].place: required when status is delivered"
    shipped = api.post(url, json={"status": "shipped"}, headers=callers.deu)
    assert shipped.status_code == 200 and shipped.json()["status"] == "shipped"
    done = api.post(
        url,
        json={"status": "delivered", "place": "Rzeszow", "on": "2025-03-01"},
        headers=callers.deu,
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "delivered"


def test_a_contribution_is_never_shared_with_a_coalition(api: TestClient, callers: Callers) -> None:
    body = {
        "id": "DEU-T2",
        "donor": "DEU",
        "amount": 5e6,
        "currency": "EUR",
        "date": "2025-02-03",
        "category": "equipment",
        "visibility": "coalition",
    }
    refused = api.post("/api/v1/contributions", json=body, headers=callers.deu)
    assert refused.status_code == 422
    assert error_of(refused) == (
        "contributions[DEU-T2].visibility: coalition is for offers, which name one"
    )
    assert api.get("/api/v1/contributions/DEU-T2", headers=callers.deu).status_code == 404


def test_the_contribution_page_shows_where_title_passed(api: TestClient, callers: Callers) -> None:
    body = {
        "id": "DEU-T3",
        "donor": "DEU",
        "amount": 5e6,
        "currency": "EUR",
        "date": "2025-02-03",
        "category": "equipment",
        "status": "shipped",
    }
    assert api.post("/api/v1/contributions", json=body, headers=callers.deu).status_code == 201
    assert api.get("/ledger/DEU-T3?format=json").json()["title"] is None
    moved = api.post(
        "/api/v1/contributions/DEU-T3/status",
        headers=callers.deu,
        json={"status": "delivered", "place": "Lviv", "on": "2025-04-02"},
    )
    assert moved.status_code == 200, moved.text
    assert api.get("/ledger/DEU-T3?format=json").json()["title"] == {
        "on": "2025-04-02",
        "place": "Lviv",
    }
    assert "title passed to the recipient on 2025-04-02 at Lviv" in api.get("/ledger/DEU-T3").text
