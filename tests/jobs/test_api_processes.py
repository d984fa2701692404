"""Two API processes on one database: a write through one is read through the other."""

from __future__ import annotations

import pytest

from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.jobs.conftest import Loaded
from tests.jobs.processes import Server, running, wait_for

pytestmark = pytest.mark.postgres

BODY = {
    "id": "K-PROC",
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
