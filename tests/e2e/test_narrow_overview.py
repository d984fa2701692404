"""The overview with Kiel's monthly allocations loaded (its supply table then has Kiel's
column) fits a 390 px screen in Debian's Chromium: wide tables scroll in their own box."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.conftest import Washington
from tests.e2e.harness import chromium, live_server, prepare_store, sign_in


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, washington: Washington) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-narrow') / 'dashboard.db'}"
    prepare_store(url, plans=False, washington=washington)
    with live_server(url) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.mark.parametrize("who", [None, "coord"])
@pytest.mark.parametrize("path", ["/", "/?year=2024&gdp=kiel"])
def test_the_overview_never_scrolls_sideways_at_390(
    served: str, browser: Browser, who: str | None, path: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    if who is not None:
        sign_in(page, served, who)
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("#supply-table th", has_text="Kiel, all donors").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
