"""Every dashboard page in process: status, key figures, JSON twin, and nothing external."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ramstein.app import create_app
from ramstein.domain.access import Role
from ramstein.domain.contribution_schema import FIELDS
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.conftest import Cli, Washington
from tests.web.forms import post_form

LINKS = re.compile(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory, washington: Washington) -> str:
    """A SQLite store with Washington 2024, its plans and a coordinator with a password."""
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'pages.db'}"
    washington(Cli(url), kiel=False, planners=("match", "route", "train"))
    store = Store(url)
    with store.transaction() as session:
        create_account(session, "coord", Role.COORDINATOR, password="Kestrel-ledger-9041")
        create_account(session, "pol-mod", Role.NATION, nation="POL", password="Heron-77-wing-east")
    store.close()
    return url


@pytest.fixture
def public(planned: str) -> Iterator[TestClient]:
    with TestClient(create_app(planned)) as client:
        yield client


@pytest.fixture
def coordinator(planned: str) -> Iterator[TestClient]:
    with TestClient(create_app(planned)) as client:
        signed = post_form(client, "/signin", {"name": "coord", "password": "Kestrel-ledger-9041"})
        assert signed.status_code == 200 and "Signed in as" in signed.text
        yield client


def _local_only(html: str) -> None:
    for link in LINKS.findall(html):
        assert not re.match(r"^(https?:)?//", link), link


PAGES = {
    "/": [
        "Washington pledge 2025",
        "EUR 40.00 bn",
        "53.09",
        "21.24",
        "Hungary",
        "(opt-out)",
        "Withdrawal resilience",
        "World Bank WDI",
    ],
    "/?without=USA&baseline=50": ["EUR 50.00 bn", "Who carries the difference", "Germany (DEU)"],
    "/ledger": ["Ledger", "WAS24", "Download exactly these", "Page 1 of"],
    "/requirements": ["Coverage by priority", "UKR-PATRIOT", "PATRIOT_BATTERY", "Components from"],
    "/logistics": ["Hub load against throughput", "HUB_POL", "Pallets by status"],
    "/training": ["Sessions by host nation", "PAT-DEU-1", "Readiness by capability", "training"],
    "/nations/DEU": ["Germany (DEU)", "EUR 3.46 bn", "History over periods", "2025"],
    "/contracts": [
        "NSPA-STINGER-2024",
        "940 \u00d7 STINGER_FIM92K",
        "DEU (ordered 500)",
        "ITA (ordered 240)",
        "NLD (ordered 200)",
        "illustrative",
    ],
    "/signin": ["Sign in", "Password"],
    "/ledger/new": ["Add a contribution", "Visibility"],
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_renders_its_figures_with_local_links_only(
    coordinator: TestClient, path: str
) -> None:
    response = coordinator.get(path)
    assert response.status_code == 200, response.text[:300]
    for figure in PAGES[path]:
        assert figure in response.text, figure
    _local_only(response.text)
    assert "/static/plotly.min.js" in response.text


@pytest.mark.parametrize(
    "path",
    ["/", "/ledger", "/requirements", "/logistics", "/training", "/nations/DEU", "/contracts"],
)
def test_each_page_serves_what_it_shows_as_json(coordinator: TestClient, path: str) -> None:
    response = coordinator.get(path, params={"format": "json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()


def test_plotly_comes_from_the_installed_package(public: TestClient) -> None:
    js = public.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert b"plotly.js" in js.content[:500]
    assert public.get("/static/../pages.py").status_code == 404


def test_plan_pages_follow_the_apis_readers(public: TestClient) -> None:
    for path in ("/requirements", "/logistics", "/training"):
        page = public.get(path)
        assert page.status_code == 200
        assert "shown to the coordination staff" in page.text
        assert "UKR-PATRIOT" not in page.text and "HUB_POL" not in page.text
        assert public.get(path, params={"format": "json"}).json() == {"allowed": False}


def test_failed_forms_keep_input_and_name_the_field(coordinator: TestClient) -> None:
    page = post_form(
        coordinator,
        "/ledger/new",
        {
            "id": "X-1",
            "donor": "ZZZ",
            "amount": "12",
            "currency": "EUR",
            "date": "2025-01-02",
            "category": "in_kind",
            "status": "delivered",
            "visibility": "public",
            "channel": "bilateral",
        },
    )
    assert page.status_code == 422
    assert 'value="X-1"' in page.text and 'value="ZZZ"' in page.text
    assert re.search(r'id="c-donor-error"[^>]*>[^<]*unknown nation', page.text)
    bad_ledger = coordinator.get("/ledger", params={"period": "last year"})
    assert 'value="last year"' in bad_ledger.text and "is a year" in bad_ledger.text
    wrong = post_form(coordinator, "/signin", {"name": "coord", "password": "nope"})
    assert wrong.status_code == 401 and 'value="coord"' in wrong.text
    assert "do not match an enabled account" in wrong.text


def test_a_nation_cannot_write_for_another(planned: str) -> None:
    with TestClient(create_app(planned)) as client:
        post_form(client, "/signin", {"name": "pol-mod", "password": "Heron-77-wing-east"})
        page = post_form(
            client,
            "/ledger/new",
            {
                "id": "POL-1",
                "donor": "DEU",
                "amount": "1",
                "currency": "EUR",
                "date": "2025-01-02",
                "category": "in_kind",
                "status": "delivered",
                "visibility": "public",
                "channel": "bilateral",
            },
        )
        # A nation's form always writes for its own nation, whatever was posted, under
        # its own prefix (an id under another's is refused; an empty one is assigned).
        assert page.status_code == 200 and page.url.path == "/nations/POL"
        assert client.get("/nations/POL").status_code == 200
        posted = {
            "donor": "POL",
            "amount": "1",
            "currency": "EUR",
            "date": "2025-01-02",
            "category": "in_kind",
            "status": "delivered",
            "visibility": "nation",
            "channel": "bilateral",
        }
        refused = post_form(client, "/ledger/new", {**posted, "id": "DEU-1"})
        assert refused.status_code == 422 and "must begin with POL-" in refused.text
        assigned = post_form(client, "/ledger/new", {**posted, "id": ""})
        assert assigned.status_code == 200 and "added=POL-" in str(assigned.url)
        assert (
            client.get("/ledger/POL-1", params={"format": "json"}).json()["contribution"]["donor"]
            == "POL"
        )


def test_downloads_hold_exactly_the_filtered_rows(coordinator: TestClient) -> None:
    shown = coordinator.get("/ledger", params={"donor": "USA", "format": "json"}).json()
    ids = [r["id"] for r in shown["rows"]]
    assert ids and shown["total"] == len(ids)
    text = coordinator.get("/ledger.csv", params={"donor": "USA"}).text.splitlines()
    assert [line.split(",")[0] for line in text[1:]] == ids
    book = load_workbook(
        io.BytesIO(coordinator.get("/ledger.xlsx", params={"donor": "USA"}).content)
    )
    sheet = book["Contributions"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ids


def test_the_csv_download_is_the_export_s_row_shape(
    coordinator: TestClient, planned: str, tmp_path: Path
) -> None:
    """The dashboard's CSV and `ramstein export` write the same columns, row for row."""
    out = tmp_path / "ledger.csv"
    assert Cli(planned)("export", str(out)).exit_code == 0
    downloaded = coordinator.get("/ledger.csv").content.decode("utf-8")
    assert downloaded.splitlines()[0] == ",".join(FIELDS)
    assert downloaded == out.read_bytes().decode("utf-8")
    book = load_workbook(io.BytesIO(coordinator.get("/ledger.xlsx").content))
    rows = list(book["Contributions"].iter_rows(values_only=True))
    assert rows[0] == FIELDS
    assert [r[0] for r in rows[1:]] == [line.split(",")[0] for line in downloaded.splitlines()[1:]]


def test_readiness_is_reused_until_the_store_changes(
    planned: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recipient's readiness takes a match solved over the offers it may see: solved
    once per store revision, not on every request, and solved again after any write."""
    from ramstein.services import readiness

    solves: list[int] = []
    real = readiness.solve_match

    def counted(*args: object, **kwargs: object) -> object:
        solves.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(readiness, "solve_match", counted)
    store = Store(planned)
    with store.transaction() as session:
        create_account(session, "liaison-r", Role.RECIPIENT, password="Plover-shore-5512")
    with TestClient(create_app(planned)) as client:
        form = {"name": "liaison-r", "password": "Plover-shore-5512"}
        signed = post_form(client, "/signin", form)
        assert signed.status_code == 200
        first = client.get("/training", params={"format": "json"}).json()
        assert first["capabilities"] and len(solves) == 1
        again = client.get("/training", params={"format": "json"}).json()
        assert again["capabilities"] == first["capabilities"] and len(solves) == 1
        with store.transaction() as session:  # any write is a new revision
            create_account(session, "liaison-s", Role.RECIPIENT, password="Plover-shore-5513")
        client.get("/training", params={"format": "json"})
        assert len(solves) == 2
    store.close()
