"""The attacks of issue 16, each recovering nothing.

A store holds Germany's nation-only EUR 777,000,000 beside public rows; France (a nation
account), the recipient and the public try to learn it by subtraction, by probing links,
ids and funders, by a binary search on error codes, and by poisoning a shared figure.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from ramstein.web.auth import COOKIE
from tests.api.conftest import Callers, error_of
from tests.conftest import Cli
from tests.web.forms import without_token

SECRET = 777_000_000.0


def _row(cid: str, donor: str, amount: float | None, **extra: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "donor": donor,
        "amount": amount,
        "currency": "EUR",
        "date": "2025-05-10",
        "category": "equipment",
        "status": "contracted",
        "visibility": "public",
        **extra,
    }


@pytest.fixture
def fra(loaded: Cli) -> dict[str, str]:
    store = Store(loaded.url)
    with store.transaction(actor="test") as session:
        token = create_account(session, "fra-mod", Role.NATION, nation="FRA")
    store.close()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def ledger(api: TestClient, callers: Callers) -> None:
    """Public POL 800 m and FRA 500 m in May 2025; Germany's secret beside them."""
    for body, headers in (
        (_row("POL-1", "POL", 800e6), callers.coordinator),
        (_row("FRA-1", "FRA", 500e6), callers.coordinator),
    ):
        assert api.post("/api/v1/contributions", json=body, headers=headers).status_code == 201


def _secret(api: TestClient, callers: Callers) -> None:
    body = _row("DEU-SECRET", "DEU", SECRET, visibility="nation")
    assert api.post("/api/v1/contributions", json=body, headers=callers.deu).status_code == 201


def _reads(api: TestClient, headers: dict[str, str]) -> dict[str, bytes]:
    """Every figure a subtraction could use, as the caller reads it."""
    paths = [
        "/api/v1/contributions?limit=500",
        "/api/v1/contributions/totals?by=month",
        "/api/v1/contributions/totals?by=category",
        "/api/v1/contributions/totals?by=nation",
        "/api/v1/shares",
        "/api/v1/shares?without=USA",
        "/api/v1/shares/resilience",
    ]
    found = {p: api.get(p, headers=headers).content for p in paths}
    token = headers.get("Authorization", "").removeprefix("Bearer ")
    api.cookies.clear()
    if token:
        api.cookies.set(COOKIE, token)
    for page in ("/?format=json", "/nations/DEU?format=json", "/nations/FRA?format=json", "/"):
        found[page] = without_token(api.get(page).content)
    api.cookies.clear()
    return found


def test_subtraction_across_months_categories_donors_and_time_recovers_nothing(
    api: TestClient, callers: Callers, fra: dict[str, str], ledger: None
) -> None:
    others = {"public": callers.public, "recipient": callers.recipient, "fra": fra}
    before = {k: _reads(api, h) for k, h in others.items()}
    _secret(api, callers)
    for key, headers in others.items():
        after = _reads(api, headers)
        for path, body in after.items():
            # Over time: the same answer before and after Germany saved its row.
            assert body == before[key][path], (key, path)
            assert b"777000000" not in body and b"DEU-SECRET" not in body, (key, path)
    month = {
        a["key"]: a for a in api.get("/api/v1/contributions/totals?by=month", headers=fra).json()
    }
    # Months: 800 m + 500 m from the 2 rows France may see, nothing of the third.
    assert month["2025-05"] == {"key": "2025-05", "total_eur": 1.3e9, "contributions": 2}
    # Donors: the overview total is the sum of the lines the reader sees.
    overview = api.get("/?format=json", headers=fra).json()
    assert overview["counted_eur"] == pytest.approx(
        sum(n["counted_eur"] for n in overview["nations"])
    )
    # Germany and the coordinators see it.
    own = {
        a["key"]: a
        for a in api.get("/api/v1/contributions/totals?by=month", headers=callers.deu).json()
    }
    assert own["2025-05"]["total_eur"] == 1.3e9 + SECRET


def test_parent_id_and_funder_probing_recover_nothing(
    api: TestClient, callers: Callers, fra: dict[str, str], ledger: None
) -> None:
    def probe(**extra: Any) -> tuple[int, str]:
        body = _row("FRA-probe", "FRA", 1e6, **extra)
        response = api.post("/api/v1/contributions", json=body, headers=fra)
        return response.status_code, response.text

    before = [probe(parent="DEU-SECRET"), probe(id="DEU-SECRET"), probe(id="DEU-NOPE")]
    _secret(api, callers)
    # A hidden parent answers as an unknown one; another's id answers as a free one.
    assert probe(parent="DEU-SECRET") == before[0]
    assert before[0][0] == 422 and "unknown contribution 'DEU-SECRET'" in before[0][1]
    assert probe(id="DEU-SECRET") == before[1]
    assert probe(id="DEU-NOPE")[1] == before[2][1]
    assert before[1][0] == 422 and "must begin with FRA-" in before[1][1]
    hidden = api.get("/api/v1/contributions/DEU-SECRET", headers=fra)
    missing = api.get("/api/v1/contributions/DEU-NOPE", headers=fra)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace("SECRET", "NOPE") == missing.text
    # Funders: France may not write into Germany's standing.
    deu_before = api.get("/api/v1/shares", headers=callers.deu).content
    status, text = probe(funders=[{"iso3": "DEU", "share": 1}])
    assert status == 422 and "only coordinators may name other nations" in text
    assert api.get("/api/v1/shares", headers=callers.deu).content == deu_before
    # A server-assigned id sits under the writer's own prefix.
    made = api.post(
        "/api/v1/contributions", json={**_row("x", "FRA", 1e6), "id": None}, headers=fra
    )
    assert made.status_code == 201 and made.json()["id"].startswith("FRA-")


def test_a_binary_search_on_error_codes_recovers_nothing(
    api: TestClient, callers: Callers, fra: dict[str, str], ledger: None
) -> None:
    """France's flows out of its own row are checked against what France sees; Germany's
    hidden flow out of the same row changes no answer France can get."""
    parent = _row("FRA-FUND", "FRA", 1e9, category="trust_fund")
    assert api.post("/api/v1/contributions", json=parent, headers=fra).status_code == 201

    def child(cid: str, amount: float) -> int:
        body = _row(cid, "FRA", amount, parent="FRA-FUND")
        return api.post("/api/v1/contributions", json=body, headers=fra).status_code

    # Germany channels 600 m of France's fund, nation-only.
    hidden = _row("DEU-CHILD", "DEU", 600e6, parent="FRA-FUND", visibility="nation")
    assert api.post("/api/v1/contributions", json=hidden, headers=callers.deu).status_code == 201
    assert child("FRA-C1", 700e6) == 201  # 700 m of 1 bn, as France sees it
    assert child("FRA-C2", 400e6) == 422  # 1.1 bn: refused on France's rows alone
    assert child("FRA-C3", 300e6) == 201
    for headers in (callers.public, fra, callers.deu, callers.coordinator, callers.recipient):
        for path in ("/api/v1/shares", "/api/v1/shares/resilience", "/", "/nations/FRA"):
            assert api.get(path, headers=headers).status_code == 200, path


def test_currency_poisoning_cannot_take_shared_figures_down(
    api: TestClient, callers: Callers, ledger: None
) -> None:
    _secret(api, callers)
    # The one write-time rate check (store/fx.py) refuses a currency without rates.
    patched = api.patch(
        "/api/v1/contributions/DEU-SECRET", json={"currency": "ZZZ"}, headers=callers.deu
    )
    assert patched.status_code == 422
    assert error_of(patched) == (
        "contributions[DEU-SECRET].currency: 'ZZZ' has no exchange rates (see `ramstein fx list`)"
    )
    bad = _row("DEU-BAD", "DEU", 1e6, currency="ZZZ")
    assert error_of(api.post("/api/v1/contributions", json=bad, headers=callers.deu)) == (
        "contributions[DEU-BAD].currency: 'ZZZ' has no exchange rates (see `ramstein fx list`)"
    )
    infinite = api.post(
        "/api/v1/contributions",
        content=b'{"id": "DEU-INF", "donor": "DEU", "amount": 1e999, "date": "2025-01-01",'
        b' "category": "equipment"}',
        headers={**callers.deu, "Content-Type": "application/json"},
    )
    assert infinite.status_code == 422
    for headers in (callers.public, callers.deu, callers.coordinator):
        for path in (
            "/api/v1/shares",
            "/api/v1/contributions/totals",
            "/api/v1/shares/resilience",
            "/",
            "/nations/DEU",
        ):
            assert api.get(path, headers=headers).status_code == 200, path


def test_existence_leaves_no_trace_and_anonymous_readers_see_offices(
    api: TestClient, callers: Callers, ledger: None
) -> None:
    _secret(api, callers)
    for path in ("/api/v1/shares", "/api/v1/contributions/totals", "/?format=json"):
        assert b"withheld" not in api.get(path).content
    page = api.get("/api/v1/contributions?limit=500").json()
    assert page["total"] == len(page["items"])
    assert "DEU-SECRET" not in {c["id"] for c in page["items"]}
    made = _row("DEU-OPEN", "DEU", 1e6)
    assert api.post("/api/v1/contributions", json=made, headers=callers.deu).status_code == 201
    history = api.get("/ledger/DEU-OPEN?format=json").json()["history"]
    assert [e["actor"] for e in history] == ["DEU ministry"]
    assert b"deu-mod" not in api.get("/ledger/DEU-OPEN").content
    api.cookies.set(COOKIE, callers.deu["Authorization"].removeprefix("Bearer "))
    assert api.get("/ledger/DEU-OPEN?format=json").json()["history"][0]["actor"] == "deu-mod"
    api.cookies.clear()


def test_requirements_are_not_public(api: TestClient, callers: Callers) -> None:
    assert api.get("/api/v1/requirements").status_code == 403
    assert "UKR-PATRIOT" not in api.get("/requirements").text
    assert api.get("/api/v1/requirements", headers=callers.pol).status_code == 200


def test_text_utf8_cannot_hold_is_a_422_naming_the_field(api: TestClient, callers: Callers) -> None:
    # JSON may escape a lone surrogate, which no UTF-8 text (and no database) holds: the
    # field is refused, and the refusal echoes the input escaped, never a 500.
    body = (
        b'{"id": "DEU-SUR", "donor": "DEU", "amount": 1e6, "date": "2025-01-01",'
        b' "category": "equipment", "source": "a\\ud800b"}'
    )
    refused = api.post(
        "/api/v1/contributions",
        content=body,
        headers={**callers.deu, "Content-Type": "application/json"},
    )
    assert refused.status_code == 422
    first = refused.json()["detail"][0]
    assert first["loc"] == ["body", "source"] and first["input"] == "a\ud800b"
    assert api.get("/api/v1/contributions/DEU-SUR", headers=callers.deu).status_code == 404
