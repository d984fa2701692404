"""The authorisation matrix: every endpoint x role x own/other nation x visibility."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Callers

ROLES = ("coordinator", "deu", "pol", "recipient", "public")
# A figure only the coordinator and Germany may see; it must never leak to anyone else.
SECRET = 777_777_777.0


def seed(api: TestClient, callers: Callers) -> dict[str, dict[str, Any]]:
    """Contracted 2025 contributions for DEU, POL and FRA in every visibility."""
    rows = {}
    amounts = {"public": 1e9, "alliance": 2e9, "nation": SECRET}
    for donor in ("DEU", "POL", "FRA"):
        for visibility, amount in amounts.items():
            cid = f"T-{donor}-{visibility}"
            body = {
                "id": cid,
                "donor": donor,
                "amount": amount if donor == "DEU" else amount / 7,
                "currency": "EUR",
                "date": "2025-03-01",
                "category": "equipment",
                "status": "contracted",
                "visibility": visibility,
            }
            created = api.post("/api/v1/contributions", json=body, headers=callers.coordinator)
            assert created.status_code == 201, created.text
            rows[cid] = body
    return rows


def sees(role: str, row: dict[str, Any]) -> bool:
    """The visibility rule, restated independently of the code under test."""
    if role == "coordinator" or row["visibility"] == "public":
        return True
    if row["visibility"] == "alliance":
        return role != "public"
    return role.upper() == row["donor"]


def writes(role: str, row: dict[str, Any]) -> bool:
    return role == "coordinator" or role.upper() == row["donor"]


@pytest.fixture
def seeded(api: TestClient, callers: Callers) -> dict[str, dict[str, Any]]:
    return seed(api, callers)


@pytest.mark.parametrize("role", ROLES)
def test_contribution_reads(
    api: TestClient, callers: Callers, seeded: dict[str, dict[str, Any]], role: str
) -> None:
    headers = getattr(callers, role)
    expected = {cid for cid, row in seeded.items() if sees(role, row)}
    listed = api.get("/api/v1/contributions", params={"limit": 500}, headers=headers)
    assert listed.status_code == 200
    page = listed.json()
    ids = {c["id"] for c in page["items"] if c["id"].startswith("T-")}
    assert ids == expected
    assert page["total"] == len(page["items"])  # 6 seed rows + these, all visible counted

    for donor in ("DEU", "POL", "FRA"):
        filtered = api.get(
            "/api/v1/contributions", params={"donor": donor, "limit": 1}, headers=headers
        ).json()
        visible = {cid for cid in expected if seeded[cid]["donor"] == donor}
        seeds = sum(
            1
            for c in api.get(
                "/api/v1/contributions", params={"donor": donor, "limit": 500}, headers=headers
            ).json()["items"]
            if not c["id"].startswith("T-")
        )
        assert filtered["total"] == len(visible) + seeds  # paging counts leak nothing

    for cid, row in seeded.items():
        got = api.get(f"/api/v1/contributions/{cid}", headers=headers)
        assert got.status_code == (200 if sees(role, row) else 404), (cid, got.text)

    if role not in ("coordinator", "deu"):
        for path in (
            "/api/v1/contributions?limit=500",
            "/api/v1/contributions/totals?by=nation",
            "/api/v1/contributions/totals?by=category",
            "/api/v1/contributions/totals?by=month",
            "/api/v1/shares",
        ):
            text = api.get(path, headers=headers).text
            assert "777777777" not in text and "T-DEU-nation" not in text, path


@pytest.mark.parametrize("role", ROLES)
def test_contribution_writes(
    api: TestClient, callers: Callers, seeded: dict[str, dict[str, Any]], role: str
) -> None:
    headers = getattr(callers, role)
    for cid, row in seeded.items():
        patched = api.patch(
            f"/api/v1/contributions/{cid}", json={"description": role}, headers=headers
        )
        expected = 200 if writes(role, row) else (403 if sees(role, row) else 404)
        assert patched.status_code == expected, (cid, patched.text)
        moved = api.post(
            f"/api/v1/contributions/{cid}/status",
            json={"status": "delivered", "reason": "t"},
            headers=headers,
        )
        assert moved.status_code == expected, (cid, moved.text)
    for donor in ("DEU", "POL"):
        body = {
            "id": f"NEW-{role}-{donor}",
            "donor": donor,
            "amount": 5.0,
            "currency": "EUR",
            "date": "2025-05-01",
            "category": "training",
        }
        created = api.post("/api/v1/contributions", json=body, headers=headers)
        allowed = role == "coordinator" or role.upper() == donor
        assert created.status_code == (201 if allowed else 403), created.text


def _totals(api: TestClient, headers: dict[str, str], by: str) -> dict[str, Any]:
    return {
        a["key"]: a
        for a in api.get("/api/v1/contributions/totals", params={"by": by}, headers=headers).json()
    }


def test_aggregates_are_withheld_where_they_would_reveal_a_hidden_row(
    api: TestClient, callers: Callers, seeded: dict[str, dict[str, Any]]
) -> None:
    coordinator = _totals(api, callers.coordinator, "nation")
    assert not any(a["withheld"] for a in coordinator.values())
    assert coordinator["DEU"]["total_eur"] == pytest.approx(1e9 + 2e9 + SECRET)
    public = _totals(api, callers.public, "nation")
    for nation in ("DEU", "POL", "FRA"):
        assert public[nation]["withheld"] and public[nation]["total_eur"] is None
    germany = _totals(api, callers.deu, "nation")
    assert not germany["DEU"]["withheld"]  # Germany sees all its own rows
    assert germany["POL"]["withheld"]  # Poland's nation-only row is hidden from Germany
    # Equipment: three nations, Germany 77.8 % of it: shown, as the rule allows.
    category = _totals(api, callers.public, "category")
    full = _totals(api, callers.coordinator, "category")
    assert not category["equipment"]["withheld"]
    assert category["equipment"]["total_eur"] == pytest.approx(full["equipment"]["total_eur"])
    # One more German secret tips Germany over 80 %: now withheld from the public.
    more = {
        "id": "T-DEU-more",
        "donor": "DEU",
        "amount": SECRET,
        "currency": "EUR",
        "date": "2025-03-02",
        "category": "equipment",
        "status": "contracted",
        "visibility": "nation",
    }
    assert api.post("/api/v1/contributions", json=more, headers=callers.deu).status_code == 201
    category = _totals(api, callers.public, "category")
    assert category["equipment"]["withheld"] and category["equipment"]["total_eur"] is None

    shares = {
        n["iso3"]: n for n in api.get("/api/v1/shares", headers=callers.public).json()["nations"]
    }
    assert shares["DEU"]["withheld"] and shares["DEU"]["counted_eur"] is None
    assert not shares["USA"]["withheld"]
    own = {n["iso3"]: n for n in api.get("/api/v1/shares", headers=callers.deu).json()["nations"]}
    assert own["DEU"]["counted_eur"] == pytest.approx(1e9 + 2e9 + 2 * SECRET)
    assert own["POL"]["withheld"]


@pytest.mark.parametrize("role", ROLES)
def test_catalog_plans_and_audit_by_role(api: TestClient, callers: Callers, role: str) -> None:
    headers = getattr(callers, role)
    # Germany's offers in every visibility, there before the caller looks: each role must
    # see exactly those the visibility rule gives it (each parameter has a fresh store).
    given = {
        f"O-DEU-{visibility}": {
            "id": f"O-DEU-{visibility}",
            "donor": "DEU",
            "item": "GEPARD",
            "quantity": 1,
            "visibility": visibility,
        }
        for visibility in ("public", "alliance", "nation")
    }
    for body in given.values():
        seeded = api.post("/api/v1/offers", json=body, headers=callers.coordinator)
        assert seeded.status_code == 201, seeded.text
    requirement = {"id": f"R-{role}", "item": "GEPARD", "quantity": 2, "priority": 3}
    made = api.post("/api/v1/requirements", json=requirement, headers=headers)
    assert made.status_code == (201 if role in ("coordinator", "recipient") else 403)
    offer = {
        "id": f"O-{role}",
        "donor": "DEU",
        "item": "GEPARD",
        "quantity": 1,
        "visibility": "nation",
    }
    offered = api.post("/api/v1/offers", json=offer, headers=headers)
    assert offered.status_code == (201 if role in ("coordinator", "deu") else 403)
    listed = {o["id"] for o in api.get("/api/v1/offers", headers=headers).json()}
    if offered.status_code == 201:
        assert f"O-{role}" in listed
    assert {o for o in listed if o.startswith("O-DEU-")} == {
        oid for oid, body in given.items() if sees(role, body)
    }

    job = api.post("/api/v1/plans/match", headers=headers)
    assert job.status_code == (202 if role == "coordinator" else 403)
    read = api.get("/api/v1/plans/match", headers=headers)
    assert read.status_code == (200 if role in ("coordinator", "recipient") else 403)
    audit = api.get("/api/v1/audit", headers=headers)
    assert audit.status_code == (200 if role == "coordinator" else 403)
    assert api.get("/api/v1/nations/DEU", headers=headers).status_code == 200


def test_a_bad_token_is_401(api: TestClient) -> None:
    response = api.get("/api/v1/contributions", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert json.loads(response.text)["detail"] == "token: unknown, expired or revoked"
