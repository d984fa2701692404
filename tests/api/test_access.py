"""The authorisation matrix: every endpoint x role x own/other nation x visibility."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ramstein.web.auth import COOKIE
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
            json={"status": "delivered", "reason": "t", "place": "Kyiv"},
            headers=headers,
        )
        assert moved.status_code == expected, (cid, moved.text)
    for donor in ("DEU", "POL"):
        body = {
            "id": f"{donor}-NEW-{role}",
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


def test_aggregates_count_only_the_rows_the_caller_may_see(
    api: TestClient, callers: Callers, seeded: dict[str, dict[str, Any]]
) -> None:
    """Every total is over the caller's rows alone: no `withheld` markers, no hidden counts."""
    for role in ROLES:
        headers = getattr(callers, role)
        for by in ("nation", "category", "month"):
            got = _totals(api, headers, by)
            for a in got.values():
                assert set(a) == {"key", "total_eur", "contributions"}
        mine = _totals(api, headers, "nation")
        for donor in ("DEU", "POL", "FRA"):
            rows = [r for r in seeded.values() if r["donor"] == donor and sees(role, r)]
            assert mine[donor]["total_eur"] == pytest.approx(sum(r["amount"] for r in rows))
            assert mine[donor]["contributions"] == len(rows)
    public = api.get("/api/v1/shares", headers=callers.public).content
    before = {r: api.get("/api/v1/shares", headers=getattr(callers, r)).content for r in ROLES}
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
    assert (
        api.post("/api/v1/contributions", json=more, headers=callers.coordinator).status_code == 201
    )
    for role in ROLES:
        after = api.get("/api/v1/shares", headers=getattr(callers, role)).content
        # A nation-only row of Germany's changes what Germany and coordinators see, only.
        assert (after == before[role]) is (role not in ("coordinator", "deu")), role
    assert api.get("/api/v1/shares", headers=callers.public).content == public
    own = {n["iso3"]: n for n in api.get("/api/v1/shares", headers=callers.deu).json()["nations"]}
    assert own["DEU"]["counted_eur"] == pytest.approx(1e9 + 2e9 + 2 * SECRET)
    assert "withheld" not in own["DEU"]


@pytest.mark.parametrize("role", ROLES)
def test_catalog_plans_releases_and_audit_by_role(
    api: TestClient, callers: Callers, role: str
) -> None:
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
    # Requirements: coordinators, the recipient and nations; never the public.
    listed_reqs = api.get("/api/v1/requirements", headers=headers)
    assert listed_reqs.status_code == (403 if role == "public" else 200)
    if role != "public":
        assert "UKR-PATRIOT" in {r["id"] for r in listed_reqs.json()}
    else:
        assert "UKR-PATRIOT" not in listed_reqs.text
    offer = {
        "id": f"DEU-O-{role}",
        "donor": "DEU",
        "item": "GEPARD",
        "quantity": 1,
        "visibility": "nation",
    }
    offered = api.post("/api/v1/offers", json=offer, headers=headers)
    assert offered.status_code == (201 if role in ("coordinator", "deu") else 403)
    listed = {o["id"] for o in api.get("/api/v1/offers", headers=headers).json()}
    if offered.status_code == 201:
        assert f"DEU-O-{role}" in listed
    # Offers carry visibility like contributions: exactly those the rule gives each role.
    assert {o for o in listed if o.startswith("O-DEU-")} == {
        oid for oid, body in given.items() if sees(role, body)
    }
    for other in ("coordinator", "deu"):
        if f"DEU-O-{other}" in listed:
            assert role in ("coordinator", "deu")
    # A nation's offer ids are its own: no id tells it of another's offers.
    if role == "pol":
        foreign = {**offer, "donor": "POL", "id": "DEU-O-x"}
        refused = api.post("/api/v1/offers", json=foreign, headers=headers)
        assert refused.status_code == 422

    job = api.post("/api/v1/plans/match", headers=headers)
    assert job.status_code == (202 if role == "coordinator" else 403)
    read = api.get("/api/v1/plans/match", headers=headers)
    assert read.status_code == (200 if role in ("coordinator", "recipient") else 403)
    audit = api.get("/api/v1/audit", headers=headers)
    assert audit.status_code == (200 if role == "coordinator" else 403)
    assert api.get("/api/v1/nations/DEU", headers=headers).status_code == 200
    # Releases: everyone reads them; only coordinators publish.
    assert api.get("/api/v1/releases", headers=headers).status_code == 200
    published = api.post("/api/v1/releases", json={"year": 2025}, headers=headers)
    assert published.status_code == (201 if role == "coordinator" else 403), published.text
    # Asks: the requirements page shows nations what is needed and the plan's asks.
    token = headers.get("Authorization", "").removeprefix("Bearer ")
    api.cookies.clear()
    if token:
        api.cookies.set(COOKIE, token)
    page = api.get("/requirements?format=json").json()
    api.cookies.clear()
    assert page["allowed"] is (role != "public")
    if role in ("deu", "pol"):
        assert "needs" in page and "coverage" not in page


def test_a_bad_token_is_401(api: TestClient) -> None:
    response = api.get("/api/v1/contributions", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert json.loads(response.text)["detail"] == "token: unknown, expired or revoked"
