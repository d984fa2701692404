"""The planner jobs page in Debian's Chromium: a job's progress shows live until it is done."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from ramstein.domain.plans import PlanKind
from ramstein.services import jobs
from ramstein.store.db import Store
from tests.conftest import Washington
from tests.e2e.harness import chromium, live_server, prepare_store, sign_in


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, washington: Washington
) -> Iterator[tuple[str, str]]:
    """A live dashboard over Washington 2024 without plans (SQLite): (base URL, store URL)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-jobs') / 'dashboard.db'}"
    prepare_store(url, plans=False, washington=washington)
    with live_server(url) as address:
        yield address, url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_watches_a_job_finish(
    served: tuple[str, str], browser: Browser, width: int
) -> None:
    base, url = served
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, base, "coord")
    page.goto(f"{base}/jobs")
    # (At 390 px the link is folded behind the Menu button: found by its address.)
    expect(page.locator("header nav a[href='/jobs']")).to_have_attribute("aria-current", "page")
    # Started after the page loaded: it must appear, run and finish without a reload.
    store = Store(url)
    with store.transaction(actor="coord") as session:
        # One training job per width: once the first is done, the same submission is new.
        job, new = jobs.submit(session, PlanKind.TRAIN, actor="coord", time_limit=60)
    store.close()
    assert new
    row = page.locator("#jobs-table tbody tr", has=page.locator(f"th:text-is('{job.id}')"))
    expect(row).to_have_count(1, timeout=60_000)
    expect(row.locator("td").nth(1)).to_have_text("done", timeout=180_000)
    expect(row.locator("td").nth(7)).to_have_text(re.compile(r"^\d+$"))
    expect(row.get_by_role("button", name=f"Cancel job {job.id}")).to_have_count(0)
    # The table scrolls inside its own box: the page itself stays within the screen.
    right = page.evaluate("document.querySelector('.scroll').getBoundingClientRect().right")
    assert right <= width
    context.close()


def test_the_public_does_not_see_planner_jobs(served: tuple[str, str], browser: Browser) -> None:
    base, _ = served
    page = browser.new_page()
    page.goto(f"{base}/jobs")
    expect(page.locator("main")).to_contain_text("shown to the coordination staff")
    expect(page.get_by_role("link", name="Planner jobs")).to_have_count(0)
    page.close()
