"""Non-interference as a property: for every viewer, every answer on a store is the same,
byte for byte, as on the store without the rows that viewer may not see.

Random ledgers (random donors, statuses, categories, channels, funders, parents and
visibilities) and random offers (tagged with capability coalitions, some shared with one)
are written to the Washington store; for each viewer class (the public, Germany and Poland,
which lead coalitions of the dataset, Latvia, the drones coalition's lead, the recipient)
every API GET endpoint, every dashboard page
(HTML and `?format=json`), the CSV and XLSX downloads and the report edition it may read
are asked on the whole store, then on the store holding only the rows it may see.
Amounts are whole millions of euros, so that sums are exact in any order.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import delete, update

from ramstein.app import create_app
from ramstein.domain.access import ALLIANCE, PUBLIC, Role, Viewer, can_see, visible
from ramstein.domain.contributions import (
    Category,
    Channel,
    Contribution,
    Funder,
    Status,
    Visibility,
)
from ramstein.domain.items import Offer
from ramstein.services import matching
from ramstein.services.plans import plan_and_save
from ramstein.services.report import Edition, build
from ramstein.store import audit, catalog
from ramstein.store import repositories as repo
from ramstein.store.accounts import create_account, viewer_for_token
from ramstein.store.models import (
    ContributionEventRow,
    ContributionRow,
    ContributionSumRow,
    OfferRow,
)
from ramstein.web.auth import COOKIE
from tests.conftest import Cli, Washington
from tests.web.forms import without_token

DONORS = ("DEU", "POL", "FRA", "USA")
# The coalitions each nation leads in the Washington dataset (checked against the store).
VIEWERS = {
    "public": PUBLIC,
    "deu": Viewer(Role.NATION, "DEU", "deu-mod", frozenset({"iamd", "armour"})),
    "pol": Viewer(Role.NATION, "POL", "pol-mod", frozenset({"armour"})),
    "lva": Viewer(Role.NATION, "LVA", "lva-mod", frozenset({"drones"})),
    "recipient": Viewer(Role.RECIPIENT, None, "ukr-liaison"),
}
EDITION = {
    "public": Edition.PUBLIC,
    "deu": None,
    "pol": None,
    "lva": None,
    "recipient": Edition.ALLIANCE,
}
COALITIONS = (None, "drones", "iamd", "armour")


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[list[Contribution], list[Offer]]:
    """A random ledger (parents among earlier euro rows) and random offers."""
    rows: list[Contribution] = []
    for i in range(draw(st.integers(2, 9))):
        status = draw(st.sampled_from(list(Status)))
        day = date(2024, 11, 1) + timedelta(days=draw(st.integers(0, 420)))
        currency = "USD" if day.year == 2024 and draw(st.booleans()) else "EUR"
        kind = draw(st.sampled_from(["plain", "plain", "funded", "child"]))
        parents = [c.id for c in rows if c.currency == "EUR"]
        donor = draw(st.sampled_from(DONORS))
        funders: tuple[Funder, ...] = ()
        if kind == "funded":
            other = draw(st.sampled_from([d for d in DONORS if d != donor]))
            funders = (Funder(donor, 0.5), Funder(other, 0.5))
        rows.append(
            Contribution(
                id=f"{donor}-{i}",
                donor=donor,
                amount=None
                if status is Status.ANNOUNCED
                else float(draw(st.integers(1, 900)) * 1_000_000),
                currency=currency,
                date=day,
                category=draw(st.sampled_from(list(Category))),
                status=status,
                visibility=draw(st.sampled_from(list(Visibility))),
                channel=draw(st.sampled_from(list(Channel))),
                description=f"row {i}",
                funders=funders,
                parent=draw(st.sampled_from(parents)) if kind == "child" and parents else None,
            )
        )
    offers = []
    for i, donor in enumerate(draw(st.lists(st.sampled_from(DONORS), max_size=5))):
        visibility = draw(st.sampled_from(list(Visibility)))
        coalition = draw(st.sampled_from(COALITIONS))
        if visibility is Visibility.COALITION and coalition is None:
            coalition = "drones"
        offers.append(
            Offer(
                f"{donor}-O{i}",
                donor,
                draw(st.sampled_from(["GEPARD", "IRIST_RADAR", "PATRIOT_LAUNCHER", "DRONE"])),
                draw(st.integers(1, 5)),
                None,
                visibility,
                coalition=coalition,
            )
        )
    return rows, offers


@dataclass
class Site:
    """The app over a loaded store, and each viewer's bearer token."""

    client: TestClient
    tokens: dict[str, str]


@pytest.fixture
def site(cli: Cli, washington: Washington) -> Iterator[Site]:
    washington(cli)
    with TestClient(create_app(cli.url)) as client:
        tokens = {}
        with client.app.state.store.transaction(actor="test") as session:  # type: ignore[attr-defined]
            for key, viewer in VIEWERS.items():
                if viewer.signed_in:
                    tokens[key] = create_account(
                        session, viewer.name, viewer.role, nation=viewer.nation
                    )
                    # The store's viewer is the one this test filters the rows for.
                    assert viewer_for_token(session, tokens[key]) == viewer, key
        yield Site(client, tokens)


def _write(site: Site, rows: list[Contribution], offers: list[Offer]) -> None:
    """Replace the ledger and the offers with these, as they would be stored.

    Rows go in as stored rows (not through the API's write checks): the store without a
    viewer's hidden rows may hold a child whose parent is gone, as any viewer's part does.
    """
    store = site.client.app.state.store  # type: ignore[attr-defined]
    with store.transaction(actor="test") as session:
        # Deleted and versioned directly, as a bulk write is (the ORM's flush, which
        # audits the rows added, ends each such permission).
        with audit.bulk_write(session):
            session.execute(delete(ContributionEventRow))
            session.execute(delete(ContributionRow))
            session.execute(delete(ContributionSumRow))
            session.execute(delete(OfferRow))
        for c in rows:
            row = ContributionRow(external_id=c.id, status=c.status.value, **repo.row_values(c))
            session.add(row)
            session.add(
                ContributionEventRow(
                    contribution=row,
                    at=datetime(2025, 1, 1, tzinfo=UTC),
                    actor="deu-mod" if c.donor == "DEU" else "coord",
                    from_status=None,
                    to_status=c.status.value,
                    reason="test",
                )
            )
        for o in offers:
            catalog.upsert_offer(session, o)
        session.flush()
        with session.no_autoflush, audit.bulk_write(session):
            session.execute(
                update(ContributionRow).values(version=1),
                execution_options={"synchronize_session": False},
            )


def _xlsx(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _save_match_plan(site: Site) -> int:
    """A match plan solved over every offer (hidden ones too), saved: its version."""
    store = site.client.app.state.store  # type: ignore[attr-defined]
    with store.transaction(actor="test") as session:
        saved = plan_and_save(session, matching.solve, actor="test")
    return saved.record.version


def _answers(site: Site, key: str, ids: list[str], plan: int) -> dict[str, Any]:
    """Everything the viewer can ask, as bytes (or, for XLSX, its cells)."""
    client = site.client
    token = site.tokens.get(key)
    bearer = {"Authorization": f"Bearer {token}"} if token else {}
    client.cookies.clear()
    if token:
        client.cookies.set(COOKIE, token)
    got: dict[str, Any] = {}
    api = [
        "/api/v1/contributions?limit=500",
        "/api/v1/contributions?donor=DEU&status=contracted",
        "/api/v1/contributions/totals?by=nation",
        "/api/v1/contributions/totals?by=category",
        "/api/v1/contributions/totals?by=month",
        "/api/v1/shares",
        "/api/v1/shares?without=USA&mode=uncovered",
        "/api/v1/shares/resilience",
        "/api/v1/nations",
        "/api/v1/requirements",
        "/api/v1/offers",
        "/api/v1/releases",
        "/api/v1/contracts",
        "/api/v1/plans/match",
        f"/api/v1/plans/match/{plan}",
        "/api/v1/coalitions",
        *(f"/api/v1/coalitions/{c}" for c in COALITIONS if c),
        *(f"/api/v1/contributions/{cid}" for cid in ids),
    ]
    for path in api:
        response = client.get(path, headers=bearer)
        got[path] = (response.status_code, response.content)
    pages = ["/", "/ledger", "/requirements", "/nations/DEU", "/nations/POL", "/contracts"]
    pages += ["/coalitions", *(f"/coalitions/{c}" for c in COALITIONS if c)]
    pages += [f"/ledger/{cid}" for cid in ids[:2]]
    for path in pages:
        for fmt in ("html", "json"):
            response = client.get(path, params={"format": fmt})
            got[f"{path}?{fmt}"] = (response.status_code, without_token(response.content))
    got["csv"] = client.get("/ledger.csv").content
    got["xlsx"] = _xlsx(client.get("/ledger.xlsx").content)
    client.cookies.clear()
    edition = EDITION[key]
    if edition is not None:
        store = client.app.state.store  # type: ignore[attr-defined]
        with store.transaction() as session:
            report = build(session, 2025, edition)
        report.pop("generated")
        got["report"] = report
    return got


def _visible_to(viewer: Viewer, rows: list[Contribution]) -> list[Contribution]:
    return [c for c in rows if can_see(viewer, c)]


def _contribution(cid: str, donor: str, visibility: Visibility) -> Contribution:
    return Contribution(
        cid,
        donor,
        5_000_000.0,
        "EUR",
        date(2025, 3, 1),
        Category.EQUIPMENT,
        Status.SHIPPED,
        visibility,
    )


# Offers hidden from some viewers in every way a coalition may hide them: shared with the
# drones coalition (LVA sees it), with IAMD (DEU sees it), confidential, and among the
# coalitions' requirement items (GEPARD is the IAMD coalition's) and roadmap items (DRONE).
COALITION_EXAMPLE = (
    [
        _contribution("DEU-C1", "DEU", Visibility.ALLIANCE),
        _contribution("POL-C2", "POL", Visibility.COALITION),
    ],
    [
        Offer("DEU-G1", "DEU", "GEPARD", 3, None, Visibility.COALITION, coalition="drones"),
        Offer("POL-G2", "POL", "GEPARD", 4, None, Visibility.NATION, coalition="iamd"),
        Offer("FRA-D1", "FRA", "DRONE", 5, None, Visibility.COALITION, coalition="iamd"),
        Offer("USA-D2", "USA", "DRONE", 2, None, Visibility.ALLIANCE, coalition="drones"),
        Offer("FRA-D3", "FRA", "DRONE", 1, None, Visibility.COALITION, coalition="drones"),
        Offer("POL-G3", "POL", "GEPARD", 1, None, Visibility.COALITION, coalition="armour"),
    ],
)


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ledger=ledgers())
@example(ledger=COALITION_EXAMPLE)
def test_every_answer_is_computed_from_the_rows_the_viewer_may_see(
    site: Site, ledger: tuple[list[Contribution], list[Offer]]
) -> None:
    rows, offers = ledger
    ids = [c.id for c in rows]
    _write(site, rows, offers)
    # The plan is made over every offer; each viewer reads it without the ones it may not see.
    plan = _save_match_plan(site)
    whole = {key: _answers(site, key, ids, plan) for key in VIEWERS}
    for key, viewer in VIEWERS.items():
        mine = _visible_to(viewer, rows)
        seen_offers = [o for o in offers if visible(viewer, o.visibility, o.donor, o.coalition)]
        _write(site, mine, seen_offers)
        alone = _answers(site, key, ids, plan)
        for what, answer in whole[key].items():
            assert answer == alone[what], (key, what)
    assert ALLIANCE.signed_in  # the recipient reads the alliance edition
