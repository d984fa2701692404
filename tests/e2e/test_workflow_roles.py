"""Each role's day in Debian's Chromium, at 1280 and at 390 px: the liaison adds a requirement,
Germany sees it and the ask put to it and offers, the coordinator plans (progress shown),
compares with the previous plan and accepts, the consignment is routed, and the liaison
confirms its receipt with one damaged pallet, which the discrepancy and readiness show.

The four tests run in order on one store per width; no page scrolls sideways.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import Washington
from tests.e2e.harness import chromium, live_server, prepare_store
from tests.e2e.harness import sign_in as sign_in_form

WIDTHS = (1280, 390)
NEED = "UKR-SLM-LAUNCHERS"  # launchers alone: only the new offer can meet it
OFFER = "DEU-SLM-LAUNCHERS"
ITEM = "IRIST_SLM_LAUNCHER"


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def stage(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    washington: Washington,
) -> Iterator[tuple[str, int]]:
    """A live dashboard over Washington 2024 with plans and accounts, and the width."""
    url = f"sqlite:///{tmp_path_factory.mktemp('roles') / 'roles.db'}"
    prepare_store(url, kiel=False, washington=washington)
    with live_server(url) as address:
        yield address, request.param


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser, stage: tuple[str, int]) -> Iterator[Page]:
    _, width = stage
    context = browser.new_context(viewport={"width": width, "height": 800})
    yield context.new_page()
    context.close()


def sign_in(page: Page, base: str, name: str) -> None:
    """Sign in through the form. The sign-in's redirect can reach the server before its
    transaction commits (main's /signin, see the report); the page is then read again."""
    sign_in_form(page, base, name)
    if "Signed in as" not in page.locator("header .who").inner_text():
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator("header .who")).to_contain_text(f"Signed in as {name}")


def fits(page: Page, width: int) -> None:
    """The page does not scroll sideways (wide tables scroll in their own box)."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def go(page: Page, width: int, link: str) -> None:
    """Follow a link of the main navigation; on a narrow screen it is behind Menu."""
    nav = page.get_by_role("navigation", name="Main")
    if width < 700:
        target = nav.get_by_role("link", name=link, exact=True)
        expect(target).to_be_hidden()
        nav.get_by_role("button", name="Menu").click()
    nav.get_by_role("link", name=link, exact=True).click()
    fits(page, width)


def test_liaison_adds_a_requirement(page: Page, stage: tuple[str, int]) -> None:
    base, width = stage
    sign_in(page, base, "ukr-liaison")
    fits(page, width)
    go(page, width, "Requirements desk")
    form = page.locator("#new-requirement")
    form.get_by_label("Id").fill(NEED)
    form.get_by_label("Item").select_option(ITEM)
    form.get_by_label("Quantity").fill("4")
    form.get_by_label("Priority").fill("15")
    form.get_by_label("Needed by").fill("2025-06-30")
    form.get_by_role("button", name="Add requirement").click()
    expect(page.locator("#form-done")).to_have_text(f"Requirement {NEED} saved.")
    row = page.locator(f"#requirements-table tr#req-{NEED}")
    expect(row).to_contain_text(ITEM)
    fits(page, width)
    # A bad quantity is one line, and nothing is saved.
    form = page.locator("#new-requirement")
    form.get_by_label("Id").fill("UKR-BAD")
    form.get_by_label("Quantity").fill("none")
    form.get_by_role("button", name="Add requirement").click()
    expect(page.locator("#form-error")).to_contain_text("requirements[UKR-BAD].quantity")
    expect(page.locator("#requirements-table tr#req-UKR-BAD")).to_have_count(0)


def test_ministry_sees_the_need_and_its_ask_and_offers(page: Page, stage: tuple[str, int]) -> None:
    base, width = stage
    sign_in(page, base, "deu-mod")
    go(page, width, "Offers")
    needs = page.locator("#needs-table")
    expect(needs).to_contain_text(NEED)
    # The latest plan asks Germany for a Gepard: it offered Gepards before.
    asks = page.locator("#asks-table")
    expect(asks.locator("tr", has_text="UKR-GEPARD")).to_contain_text("you offered GEPARD before")
    needs.locator("tr", has_text=NEED).get_by_role("link", name="Offer towards this").click()
    fits(page, width)
    expect(page.get_by_label("Item")).to_have_value(ITEM)
    page.get_by_label("Id").fill(OFFER)
    page.get_by_label("Units").fill("4")
    page.get_by_label("Available from").fill("2025-01-15")
    page.get_by_role("button", name="Save offer").click()
    expect(page.locator("#form-done")).to_have_text(f"Offer {OFFER} saved.")
    expect(page.locator("#offers-table")).to_contain_text(OFFER)
    fits(page, width)


def _run(page: Page, width: int, button: str) -> None:
    """Start a planner from the planning desk and follow its job to the end."""
    page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"/jobs\?started=\d+"))
    fits(page, width)
    started = page.url.rsplit("=", 1)[1]
    row = page.locator("#jobs-table tbody tr", has=page.locator(f"th:text-is('{started}')"))
    expect(row).to_contain_text("done", timeout=60_000)
    # The solver's progress is shown: the best objective found and the proven bound.
    cells = row.locator("td")
    expect(cells.nth(3)).not_to_have_text("-")
    expect(cells.nth(4)).not_to_have_text("-")


def test_coordinator_plans_compares_accepts_and_routes(page: Page, stage: tuple[str, int]) -> None:
    base, width = stage
    sign_in(page, base, "coord")
    go(page, width, "Planning")
    _run(page, width, "Match offers to requirements")
    go(page, width, "Planning")
    changed = page.locator("#comparison-table tr", has_text=NEED)
    expect(changed).to_contain_text("+4 (gained)")
    expect(page.locator("#accept-table")).to_contain_text(OFFER)
    page.get_by_role("button", name=re.compile(r"Accept plan \d+")).click()
    expect(page.locator("#form-done")).to_contain_text("accepted")
    expect(page.locator("#accept-table tr", has_text=OFFER)).to_contain_text(f"{OFFER}:accepted")
    fits(page, width)
    # The offer is now a committed contribution, value to be confirmed.
    page.locator("#accept-table").get_by_role("link", name=f"{OFFER}:accepted").click()
    expect(page.locator("main")).to_contain_text("committed")
    expect(page.locator("main")).to_contain_text("value to be confirmed")
    fits(page, width)
    # Its consignment is routed.
    go(page, width, "Planning")
    _run(page, width, "Route the consignments")


def test_liaison_confirms_a_receipt_with_a_damaged_pallet(
    page: Page, stage: tuple[str, int]
) -> None:
    base, width = stage
    sign_in(page, base, "ukr-liaison")
    go(page, width, "Receipts")
    row = page.locator(f"#consignments-table tr#k-K-{OFFER}")
    pallets = int(row.locator("td").nth(1).inner_text())
    row.get_by_label("Received").fill(str(pallets - 1))
    row.get_by_label("Damaged").fill("1")
    row.get_by_label("Note").fill("one pallet crushed")
    row.get_by_role("button", name="Confirm").click()
    expect(page.locator("#form-done")).to_have_text(f"Receipt of K-{OFFER} recorded.")
    row = page.locator(f"#consignments-table tr#k-K-{OFFER}")
    expect(row.locator("td").nth(5)).to_have_text("1")  # damaged
    expect(row.locator("td").nth(7)).to_have_text("0")  # open
    deu = page.locator("#discrepancies-table tr", has_text="DEU")
    expect(deu.locator("td").nth(3)).to_have_text("1")  # damaged
    fits(page, width)
    # Readiness shows the short consignment: the new launchers have no ready date.
    go(page, width, "Training and readiness")
    readiness = page.locator("#readiness-table tr", has_text=NEED)
    expect(readiness).to_contain_text("not planned (equipment)")
    expect(page.locator("#unassigned-table")).to_contain_text("no seats left")
    fits(page, width)
