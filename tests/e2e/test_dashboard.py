"""The dashboard in Debian's Chromium: what-ifs, a ministry's confidential entry, downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import Washington
from tests.e2e.harness import chromium, live_server, prepare_store, sign_in


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, washington: Washington) -> Iterator[str]:
    """A live dashboard over Washington 2024 with plans and accounts (SQLite)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'dashboard.db'}"
    # The tests' figures are those of the summit's own rows: no Kiel allocations.
    prepare_store(url, kiel=False, washington=washington)
    with live_server(url) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    # Any request to another host would be a page reaching outside the machine.
    outside: list[str] = []
    context.on(
        "request",
        lambda r: None if r.url.startswith("http://127.0.0.1") else outside.append(r.url),
    )
    yield context.new_page()
    context.close()
    assert outside == []


def _cell(page: Page, iso3: str, column: str) -> str:
    return page.locator(f'#shares-table tr[data-iso3="{iso3}"] td.{column}').inner_text()


def _chart_y(page: Page, trace: int) -> list[float]:
    page.wait_for_selector(".chart[data-drawn]")
    values: list[float] = page.evaluate(
        f"document.querySelector('.chart').data[{trace}].y.map(Number)"
    )
    return values


def test_public_what_if_without_the_united_states_redraws_chart_and_table(
    page: Page, base: str
) -> None:
    page.goto(base)
    expect(page.get_by_role("heading", name="Washington pledge 2025")).to_be_visible()
    assert _cell(page, "USA", "fair") == "21.24"
    before = _chart_y(page, 0)
    assert before[0] == pytest.approx(21.24, abs=0.01)

    page.get_by_role("checkbox", name="United States").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/?without=USA**")

    assert _cell(page, "USA", "fair") == "0.00"
    assert _cell(page, "DEU", "fair") == "7.37"  # 3.46 + 3.92, unrounded
    after = _chart_y(page, 0)
    assert "USA" not in page.evaluate("document.querySelector('.chart').data[0].x")
    assert max(after) == pytest.approx(7.37, abs=0.01)
    carriers = page.locator("#carriers")
    expect(carriers).to_contain_text("Germany (DEU): +EUR 3.92 bn")
    expect(page.get_by_role("checkbox", name="United States")).to_be_checked()
    expect(carriers).to_contain_text("when United States withdraws")
    expect(page.locator("tr[data-iso3='USA'] th")).to_contain_text("(withdrawn in this what-if)")


def test_a_failed_what_if_keeps_what_was_typed_and_says_why_by_the_field(
    page: Page, base: str
) -> None:
    page.goto(base)
    page.get_by_label("Baseline (EUR bn)").fill("fifty")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_label("Baseline (EUR bn)")).to_have_value("fifty")
    expect(page.locator("#baseline-error")).to_have_text("is a number of EUR bn, not 'fifty'")


def test_a_ministry_adds_a_confidential_contribution_that_the_public_never_sees(
    page: Page, base: str
) -> None:
    page.goto(base)
    public_gap = _cell(page, "DEU", "gap")
    sign_in(page, base, "deu-mod")
    page.goto(f"{base}/nations/DEU")
    expect(page.locator("#nation-gap")).to_have_text("EUR 3.46 bn")

    page.goto(f"{base}/ledger/new")
    page.get_by_label("Id").fill("DEU-SECRET-IRIS")
    page.get_by_label("Amount").fill("")
    page.get_by_label("Date").fill("2025-03-01")
    page.get_by_role("button", name="Save").click()
    # A delivered contribution needs an amount: the form comes back with what was typed.
    expect(page.locator("#c-amount-error")).to_have_text("required when status is delivered")
    expect(page.get_by_label("Id")).to_have_value("DEU-SECRET-IRIS")

    page.get_by_label("Amount").fill("500000000")
    page.get_by_label("Category").select_option("equipment")
    page.get_by_label("Status").select_option("delivered")
    page.get_by_label("Visibility").select_option("nation")
    page.get_by_label("Description").fill("IRIS-T SLM fire unit, confidential")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/nations/DEU?added=DEU-SECRET-IRIS")
    expect(page.locator("#nation-gap")).to_have_text("EUR 2.96 bn")  # the gap shrank
    page.goto(base)
    assert _cell(page, "DEU", "gap") == "2.96"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_text("Public view")).to_be_visible()
    for path in ("/", "/nations/DEU", "/ledger", "/ledger?donor=DEU"):
        page.goto(f"{base}{path}")
        html = page.content()
        for trace in ("DEU-SECRET-IRIS", "IRIS-T SLM fire unit", "500,000,000", ">2.96<"):
            assert trace not in html, (path, trace)
    page.goto(base)
    # The public sees Germany's gap as on a store without the row: neither shrunk nor marked.
    assert _cell(page, "DEU", "gap") == public_gap != "2.96"
    assert "withheld" not in page.content()
    assert page.goto(f"{base}/ledger/DEU-SECRET-IRIS").status == 404


def test_the_downloaded_csv_is_the_filtered_table(page: Page, base: str, tmp_path: Path) -> None:
    page.goto(f"{base}/ledger")
    page.get_by_label("Donor").select_option("USA")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/ledger?donor=USA**")
    table = [
        [cell.inner_text() for cell in row.locator("td").all()]
        for row in page.locator("#ledger-table tbody tr").all()
    ]
    assert table and all(row[1] == "USA" for row in table)
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    target = tmp_path / "ledger.csv"
    info.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == len(table)
    for shown, row in zip(table, rows, strict=True):
        amount = "" if not row["amount"] else f"{float(row['amount']):,.0f}"
        assert shown == [
            row["id"],
            row["donor"],
            row["date"],
            row["category"],
            row["channel"],
            row["status"],
            amount,
            row["currency"],
            row["visibility"],
        ]
