"""The API and the dashboard form refuse a row whose currency and date have no rate."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ramstein.app import create_app
from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.api.conftest import Callers, error_of
from tests.conftest import Cli
from tests.web.forms import post_form

PASSWORD = "Plover-fx-rate-2025"


def _body(cid: str, currency: str, day: str) -> dict[str, object]:
    return {"id": cid, "donor": "DEU", "amount": 5e8, "currency": currency, "date": day,
            "category": "equipment", "status": "contracted"}  # fmt: skip


def test_the_api_counts_gbp_and_refuses_an_unknown_currency(
    api: TestClient, callers: Callers
) -> None:
    ok = api.post("/api/v1/contributions", json=_body("FX-GBP", "GBP", "2026-01-15"),
                  headers=callers.coordinator)  # fmt: skip
    assert ok.status_code == 201, ok.text
    bad = api.post("/api/v1/contributions", json=_body("FX-XTS", "XTS", "2025-01-15"),
                   headers=callers.coordinator)  # fmt: skip
    assert bad.status_code == 422
    assert error_of(bad) == "contributions[FX-XTS].currency: 'XTS' has no exchange rates " \
        "(see `ramstein fx list`)"  # fmt: skip
    late = api.post("/api/v1/contributions", json=_body("FX-LATE", "USD", "2030-01-15"),
                    headers=callers.coordinator)  # fmt: skip
    assert late.status_code == 422 and "no FX rate USD->EUR" in error_of(late)
    assert api.get("/api/v1/contributions/FX-XTS", headers=callers.coordinator).status_code == 404
    # Shares still answer for everyone.
    assert api.get("/api/v1/shares").status_code == 200


def test_the_dashboard_form_refuses_an_unknown_currency_on_its_field(loaded: Cli) -> None:
    store = Store(loaded.url)
    with store.transaction() as session:
        create_account(session, "fx-coord", Role.COORDINATOR, password=PASSWORD)
    store.close()
    form = {"id": "FX-FORM", "donor": "DEU", "amount": "1000000", "currency": "XTS",
            "date": "2025-02-03", "category": "equipment", "status": "delivered",
            "visibility": "public", "channel": "bilateral"}  # fmt: skip
    with TestClient(create_app(loaded.url)) as client:
        signed = post_form(client, "/signin", {"name": "fx-coord", "password": PASSWORD})
        assert signed.is_success
        page = post_form(client, "/ledger/new", form)
        assert page.status_code == 422
        assert "XTS&#39; has no exchange rates" in page.text
        assert client.get("/ledger/FX-FORM").status_code == 404
        form |= {"currency": "GBP"}
        assert post_form(client, "/ledger/new", form, follow_redirects=False).status_code == 303
