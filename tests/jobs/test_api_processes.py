"""Two API processes on one database: a write through one is read through the other."""

from __future__ import annotations

import pytest

from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.jobs.conftest import Loaded
from tests.jobs.processes import Server, running, wait_for

BODY = {
    "id": "DEU-K-PROC",
    "donor": "DEU",
    "amount": 7e8,
    "currency": "EUR",
    "date": "2025-04-01",
    "category": "in_kind",
    "status": "delivered",
    "visibility": "public",
}


def counted(server: Server, iso3: str) -> float:
    status, doc = server.request("GET", "/api/v1/shares")
    assert status == 200
    return float(next(n["counted_eur"] for n in doc["nations"] if n["iso3"] == iso3))


@pytest.mark.postgres
def test_a_write_through_one_process_is_read_through_the_other(pg_loaded: Loaded) -> None:
    store = Store(pg_loaded.url)
    with store.transaction(actor="test") as session:
        deu = create_account(session, "deu-mod", Role.NATION, nation="DEU")
    store.close()
    writer, reader = Server(pg_loaded.url), Server(pg_loaded.url)
    with running(writer, reader):
        before = counted(reader, "DEU")
        assert counted(reader, "DEU") == before  # now cached in the reader
        status, _ = writer.request("POST", "/api/v1/contributions", deu, BODY)
        assert status == 201
        # The API may answer before its commit lands: wait until the writer reads it back...
        wait_for(
            lambda: counted(writer, "DEU") == pytest.approx(before + 7e8),
            timeout=10,
            what="the write to be committed",
        )
        # ...then the very next read through the other process sees it.
        assert counted(reader, "DEU") == pytest.approx(before + 7e8)


def test_two_server_processes_on_sqlite_run_a_job_once(sqlite_loaded: Loaded) -> None:
    server = Server(sqlite_loaded.url, "--workers", "2")
    with running(server):
        status, job = server.request("POST", "/api/v1/plans/train", sqlite_loaded.token)
        assert status == 202

        def done() -> bool:
            got = server.request("GET", f"/api/v1/plans/jobs/{job['id']}", sqlite_loaded.token)
            return bool(got[1]["status"] == "done")

        wait_for(done, timeout=180, what="the training job")
        final = server.request("GET", f"/api/v1/plans/jobs/{job['id']}", sqlite_loaded.token)[1]
    assert final["attempts"] == 1 and final["plan_version"] == 1
