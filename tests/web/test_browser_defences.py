"""Browser defences in process: CSRF (origin and token), security headers, local API docs."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.conftest import Cli, Washington
from tests.web.forms import ORIGIN, csrf_token, post_form

PASSWORD = "Heron-77-wing-east"
ROW = {
    "id": "DEU-CSRF-1",
    "amount": "99000000000",
    "currency": "EUR",
    "date": "2025-01-02",
    "category": "in_kind",
    "status": "delivered",
    "visibility": "public",
    "channel": "bilateral",
}


@pytest.fixture
def deu(sqlite_cli: Cli, washington: Washington) -> Iterator[TestClient]:
    """A browser signed in as Germany's ministry."""
    washington(sqlite_cli)
    store = Store(sqlite_cli.url)
    with store.transaction() as session:
        create_account(session, "deu-mod", Role.NATION, nation="DEU", password=PASSWORD)
    store.close()
    with TestClient(create_app(sqlite_cli.url)) as client:
        signed = post_form(client, "/signin", {"name": "deu-mod", "password": PASSWORD})
        assert "Signed in as" in signed.text
        yield client


def _stored(client: TestClient) -> bool:
    return client.get("/ledger/DEU-CSRF-1").status_code == 200


def test_a_post_from_another_origin_is_refused(deu: TestClient) -> None:
    token = csrf_token(deu)
    for headers in (
        {"Origin": "http://testserver:9000"},
        {"Origin": "null"},
        {"Referer": "http://testserver:9000/attack.html"},
        {},
    ):
        refused = deu.post("/ledger/new", data={**ROW, "csrf": token}, headers=headers)
        assert refused.status_code == 403, headers
        assert refused.json()["detail"].startswith("origin: ")
    assert not _stored(deu)


def test_a_post_without_the_forms_token_is_refused(deu: TestClient) -> None:
    for token in ("", "0" * 64):
        refused = deu.post("/ledger/new", data={**ROW, "csrf": token}, headers={"Origin": ORIGIN})
        assert refused.status_code == 403
        assert refused.json()["detail"] == "csrf: the form's token is missing or stale"
    assert not _stored(deu)


def test_the_token_is_bound_to_the_session(deu: TestClient, sqlite_cli: Cli) -> None:
    with TestClient(create_app(sqlite_cli.url)) as stranger:
        theirs = csrf_token(stranger)
    refused = deu.post("/ledger/new", data={**ROW, "csrf": theirs}, headers={"Origin": ORIGIN})
    assert refused.status_code == 403


def test_the_own_origin_with_the_token_writes(deu: TestClient) -> None:
    by_referer = deu.post(
        "/ledger/new",
        data={**ROW, "csrf": csrf_token(deu)},
        headers={"Referer": f"{ORIGIN}/ledger/new"},
        follow_redirects=False,
    )
    assert by_referer.status_code == 303
    assert _stored(deu)


def test_every_post_form_carries_the_token(deu: TestClient) -> None:
    for path in ("/", "/ledger/new", "/signin", "/nations/DEU"):
        html = deu.get(path).text
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
        assert forms, path
        assert all('name="csrf"' in form for form in forms), path


def test_security_headers_on_pages_and_api(deu: TestClient) -> None:
    for path in ("/", "/api/v1/nations", "/api/v1/docs"):
        headers = deu.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp
            and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain http


def test_hsts_over_https(sqlite_cli: Cli) -> None:
    with TestClient(create_app(sqlite_cli.url), base_url="https://testserver") as client:
        hsts = client.get("/").headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=31536000")


def test_api_docs_load_nothing_from_outside(deu: TestClient) -> None:
    page = deu.get("/api/v1/docs")
    assert page.status_code == 200
    links = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert links and all(link.startswith("/api/v1/docs/") for link in links), links
    assert "<script>" not in page.text  # no inline script
    for link in links:
        asset = deu.get(link)
        assert asset.status_code == 200 and len(asset.content) > 100, link
    assert "SwaggerUIBundle" in deu.get("/api/v1/docs/swagger-ui-bundle.js").text
