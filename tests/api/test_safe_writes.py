"""Safe writes: ETags, idempotency keys, and an audit chain that detects tampering."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.api.conftest import Callers, error_of
from tests.conftest import Cli
from tests.jobs.processes import running, wait_for, worker

BODY = {
    "id": "K-1",
    "donor": "DEU",
    "amount": 5e8,
    "currency": "EUR",
    "date": "2025-04-01",
    "category": "in_kind",
    "status": "committed",
    "visibility": "public",
}


def test_two_patches_with_the_same_etag_one_wins(api: TestClient, callers: Callers) -> None:
    assert api.post("/api/v1/contributions", json=BODY, headers=callers.deu).status_code == 201
    got = api.get("/api/v1/contributions/K-1", headers=callers.deu)
    etag = got.headers["ETag"]
    first = api.patch(
        "/api/v1/contributions/K-1", json={"amount": 6e8}, headers={**callers.deu, "If-Match": etag}
    )
    second = api.patch(
        "/api/v1/contributions/K-1",
        json={"amount": 7e8},
        headers={**callers.coordinator, "If-Match": etag},
    )
    assert sorted([first.status_code, second.status_code]) == [200, 412]
    assert first.headers["ETag"] != etag
    assert api.get("/api/v1/contributions/K-1").json()["amount"] == 6e8


def test_a_retried_post_creates_one_row(api: TestClient, callers: Callers) -> None:
    headers = {**callers.deu, "Idempotency-Key": "abc-123"}
    first = api.post("/api/v1/contributions", json=BODY, headers=headers)
    again = api.post("/api/v1/contributions", json=BODY, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    page = api.get("/api/v1/contributions", params={"donor": "DEU", "limit": 500}).json()
    assert [c["id"] for c in page["items"]].count("K-1") == 1
    other = api.post("/api/v1/contributions", json={**BODY, "id": "K-2"}, headers=headers)
    assert other.status_code == 422
    assert error_of(other) == "Idempotency-Key: already used for a different request"


def test_bad_input_is_422_naming_the_field(api: TestClient, callers: Callers) -> None:
    unknown = api.post(
        "/api/v1/contributions", json={**BODY, "donor": "XYZ"}, headers=callers.coordinator
    )
    assert unknown.status_code == 422
    assert error_of(unknown) == "contributions[K-1].donor: unknown nation 'XYZ'"
    negative = api.post(
        "/api/v1/contributions", json={**BODY, "amount": -1}, headers=callers.coordinator
    )
    assert negative.status_code == 422
    backwards = api.post("/api/v1/contributions", json=BODY, headers=callers.coordinator)
    assert backwards.status_code == 201
    moved = api.post(
        "/api/v1/contributions/K-1/status",
        json={"status": "announced"},
        headers=callers.coordinator,
    )
    assert moved.status_code == 422
    assert "cannot move from committed back to announced" in error_of(moved)


def test_planner_jobs_run_and_report(api: TestClient, callers: Callers, loaded: Cli) -> None:
    # SQLite: the server runs its jobs; PostgreSQL: a worker process does.
    runner = worker(loaded.url) if loaded.url.startswith("postgresql") else None
    with running(*([runner] if runner else [])):
        job = api.post("/api/v1/plans/match", headers=callers.coordinator).json()

        def ended() -> bool:
            got = api.get(f"/api/v1/plans/jobs/{job['id']}", headers=callers.coordinator)
            return bool(got.json()["status"] in ("done", "failed"))

        wait_for(ended, timeout=180, what="the match job")
    status = api.get(f"/api/v1/plans/jobs/{job['id']}", headers=callers.coordinator).json()
    assert status["status"] == "done", status
    plan = api.get(f"/api/v1/plans/match/{status['plan_version']}", headers=callers.coordinator)
    assert plan.status_code == 200 and plan.json()["format"] == "ramstein.match-plan/1"


def test_tampering_with_the_audit_chain_is_detected(
    api: TestClient, callers: Callers, loaded: Cli
) -> None:
    assert api.post("/api/v1/contributions", json=BODY, headers=callers.deu).status_code == 201
    holds = loaded("audit", "verify")
    assert holds.exit_code == 0 and "Audit chain holds" in holds.stdout
    verdict = api.get("/api/v1/audit/verify", headers=callers.coordinator).json()
    assert verdict["ok"] and verdict["records"] > 0
    entries = api.get("/api/v1/audit", params={"limit": 1000}, headers=callers.coordinator)
    mine = [e for e in entries.json() if e["actor"] == "deu-mod"]
    assert mine and mine[0]["entity"] == "contributions"
    victim = mine[0]["id"]
    engine = create_engine(loaded.url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_records SET actor = 'someone' WHERE id = :i"), {"i": victim}
        )
    engine.dispose()
    broken = loaded("audit", "verify")
    assert broken.exit_code == 1
    assert broken.stderr.startswith(f"error: audit record {victim} ")


def test_shares_see_an_api_write_at_once(api: TestClient, callers: Callers) -> None:
    def germany() -> float:
        doc = api.get("/api/v1/shares", headers=callers.coordinator).json()
        return float(next(n for n in doc["nations"] if n["iso3"] == "DEU")["counted_eur"])

    before = germany()
    body = {**BODY, "id": "K-9", "status": "delivered", "date": "2025-06-01"}
    assert api.post("/api/v1/contributions", json=body, headers=callers.deu).status_code == 201
    assert germany() == before + 5e8


def test_concurrent_patches_with_the_same_etag_one_wins(api: TestClient, callers: Callers) -> None:
    from concurrent.futures import ThreadPoolExecutor

    assert api.post("/api/v1/contributions", json=BODY, headers=callers.deu).status_code == 201
    etag = api.get("/api/v1/contributions/K-1", headers=callers.deu).headers["ETag"]

    def patch(amount: float) -> int:
        response = api.patch(
            "/api/v1/contributions/K-1",
            json={"amount": amount},
            headers={**callers.deu, "If-Match": etag},
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = sorted(pool.map(patch, [6e8, 7e8]))
    assert codes == [200, 412]
