"""Commit, then answer; races answer 409/412 or replay, never 500 (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from tests.api.conftest import Callers, error_of

BODY = {
    "id": "DEU-R-1",
    "donor": "DEU",
    "amount": 5e8,
    "currency": "EUR",
    "date": "2025-04-01",
    "category": "in_kind",
    "status": "delivered",
    "visibility": "public",
}
THREADS = 8


def test_each_post_is_read_back_by_the_next_get(api: TestClient, callers: Callers) -> None:
    def pair(k: int) -> tuple[int, int]:
        body = {**BODY, "id": f"DEU-PG-{k}"}
        made = api.post("/api/v1/contributions", json=body, headers=callers.deu)
        read = api.get(f"/api/v1/contributions/DEU-PG-{k}", headers=callers.deu)
        return made.status_code, read.status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(pair, range(40)))
    assert answers == [(201, 200)] * 40


def test_concurrent_patches_without_if_match_never_answer_500(
    api: TestClient, callers: Callers
) -> None:
    assert api.post("/api/v1/contributions", json=BODY, headers=callers.deu).status_code == 201

    def patch(k: int) -> int:
        response = api.patch(
            "/api/v1/contributions/DEU-R-1", json={"amount": 1e8 + k}, headers=callers.deu
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        codes = Counter(pool.map(patch, range(THREADS * 3)))
    assert set(codes) <= {200, 409}, codes
    assert codes[200] >= 1
    final = api.get("/api/v1/contributions/DEU-R-1", headers=callers.deu).json()
    # Every successful patch moved the version by one, and nothing else did.
    assert final["version"] == 1 + codes[200]


def test_concurrent_uses_of_one_idempotency_key_execute_once(
    api: TestClient, callers: Callers
) -> None:
    headers = {**callers.deu, "Idempotency-Key": "race-key-1"}

    def post(_: int) -> tuple[int, str]:
        response = api.post("/api/v1/contributions", json=BODY, headers=headers)
        return response.status_code, response.text

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(post, range(THREADS * 2)))
    assert {code for code, _ in answers} == {201}, answers
    assert len({text for _, text in answers}) == 1
    page = api.get("/api/v1/contributions", params={"donor": "DEU", "limit": 500}).json()
    assert [c["id"] for c in page["items"]].count("DEU-R-1") == 1
    history = api.get("/api/v1/audit", params={"limit": 1000}, headers=callers.coordinator)
    created = [
        e for e in history.json() if e["entity"] == "contributions" and e["action"] == "create"
    ]
    assert len([e for e in created if e["actor"] == "deu-mod"]) == 1


def test_concurrent_creates_of_one_id_give_one_201_and_409s(
    api: TestClient, callers: Callers
) -> None:
    def post(_: int) -> int:
        return api.post("/api/v1/contributions", json=BODY, headers=callers.deu).status_code

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        codes = Counter(pool.map(post, range(THREADS * 2)))
    assert codes[201] == 1 and set(codes) == {201, 409}, codes


def test_explicit_null_for_a_required_field_is_422(api: TestClient, callers: Callers) -> None:
    assert api.post("/api/v1/contributions", json=BODY, headers=callers.deu).status_code == 201
    for field in ("category", "currency", "date", "description"):
        response = api.patch(
            "/api/v1/contributions/DEU-R-1", json={field: None}, headers=callers.deu
        )
        assert response.status_code == 422, (field, response.text)
        assert (
            error_of(response)
            == f"{field}: Value error, may not be null (leave the field out to keep it)"
        )
    unchanged = api.get("/api/v1/contributions/DEU-R-1", headers=callers.deu).json()
    assert unchanged["version"] == 1 and unchanged["category"] == "in_kind"


def test_shares_after_each_committed_write_reflect_it(api: TestClient, callers: Callers) -> None:
    def germany() -> float:
        doc = api.get("/api/v1/shares", headers=callers.coordinator).json()
        return float(next(n for n in doc["nations"] if n["iso3"] == "DEU")["counted_eur"])

    start = germany()
    for k in range(25):
        body = {**BODY, "id": f"DEU-S-{k}", "amount": 1e6}
        assert api.post("/api/v1/contributions", json=body, headers=callers.deu).status_code == 201
        assert germany() == start + (k + 1) * 1e6
