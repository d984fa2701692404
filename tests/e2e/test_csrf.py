"""CSRF in Chromium: a page on another port of the same host cannot write in DEU's name."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import Washington
from tests.e2e.harness import chromium, live_server, prepare_store, sign_in

ATTACK = """<!doctype html><html><body>
<form id="f" method="post" action="{base}/ledger/new">
  <input name="id" value="CSRF-EVIL"><input name="donor" value="DEU">
  <input name="amount" value="99000000000"><input name="currency" value="EUR">
  <input name="date" value="2025-01-02"><input name="category" value="in_kind">
  <input name="status" value="delivered"><input name="visibility" value="public">
  <input name="channel" value="bilateral">
</form>
<script>document.getElementById("f").submit();</script>
</body></html>"""


class _Attacker(BaseHTTPRequestHandler):
    def __init__(self, html: str, *args: object, **kwargs: object) -> None:
        self.html = html
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        body = self.html.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, washington: Washington) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('csrf') / 'dashboard.db'}"
    prepare_store(url, plans=False, washington=washington)
    with live_server(url) as address:
        yield address


@pytest.fixture
def attacker(base: str) -> Iterator[str]:
    """Another origin on the same host: 127.0.0.1 on another port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Attacker, ATTACK.format(base=base)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/attack.html"
    finally:
        server.shutdown()


@pytest.fixture
def page(browser_: Browser) -> Iterator[Page]:
    context = browser_.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def browser_() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def test_a_page_on_another_port_cannot_post_in_the_ministrys_name(
    page: Page, base: str, attacker: str, tmp_path: Path
) -> None:
    sign_in(page, base, "deu-mod")
    answers: list[int] = []
    page.on(
        "response",
        lambda r: answers.append(r.status) if r.url == f"{base}/ledger/new" else None,
    )
    page.goto(attacker)
    page.wait_for_url(f"{base}/ledger/new")
    page.wait_for_load_state()
    assert answers == [403]
    assert "origin: " in page.content()
    # Still signed in, and the row does not exist.
    assert page.goto(f"{base}/ledger/CSRF-EVIL").status == 404
    assert "Signed in as" in page.content()
