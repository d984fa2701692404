"""Releases on the Washington data: published through the CLI, the API and the dashboard,
audited before release, immutable after it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ramstein.domain.contributions import Category, Channel, Contribution, Status, Visibility
from ramstein.io import washington
from ramstein.store import repositories as repo
from ramstein.store.db import Store
from ramstein.store.models import ReleaseRow
from ramstein.store.releases import ReleaseImmutable
from ramstein.web.auth import COOKIE
from tests.api.conftest import Callers, error_of
from tests.conftest import Cli
from tests.web.forms import post_form

CATEGORIES = [Category.EQUIPMENT, Category.TRAINING, Category.IN_KIND, Category.INDUSTRY]
CHANNELS = [Channel.BILATERAL, Channel.NATO]


def _gdp(iso3: str) -> float:
    nation = next(n for n in washington.nations() if n.iso3 == iso3)
    return nation.indicators["gdp"][2023].amount


def _ledger(cli: Cli) -> None:
    """2025 support by the 32 allies, about 0.25 % of GDP each: a public part and, for most,
    a confidential part spread over categories and channels."""
    pledge, _ = washington.scenario()
    store = Store(cli.url)
    with store.transaction(actor="test") as session:
        for i, nation in enumerate(pledge.nations):
            total = round(_gdp(nation.iso3) * 0.0025 / 1e6) * 1e6
            parts = [(Visibility.PUBLIC, 0.4 * total)]
            if i % 5:  # four nations in five also give confidentially
                parts += [(Visibility.NATION, 0.35 * total), (Visibility.ALLIANCE, 0.25 * total)]
            for k, (visibility, amount) in enumerate(parts):
                repo.upsert_contribution(
                    session,
                    Contribution(
                        id=f"{nation.iso3}-R{k}",
                        donor=nation.iso3,
                        amount=round(amount / 1e6) * 1e6,
                        currency="EUR",
                        date=pledge.period_start.replace(month=1 + (i + k) % 12),
                        category=CATEGORIES[(i + k) % len(CATEGORIES)],
                        status=Status.DELIVERED,
                        visibility=visibility,
                        channel=CHANNELS[(i * 3 + k) % len(CHANNELS)],
                    ),
                    actor="test",
                    reason="test",
                )
    store.close()


def test_a_release_of_the_washington_ledger_is_audited_published_and_immutable(
    loaded: Cli, api: TestClient, callers: Callers
) -> None:
    _ledger(loaded)
    published = loaded("review", "2025", "--publish")
    assert published.exit_code == 0, published.stderr
    assert "rounded to EUR 0.1 bn" in published.stdout
    releases = api.get("/api/v1/releases").json()
    (release,) = releases
    cells = {c["name"]: c["eur"] for c in release["cells"]}
    assert release["label"].startswith("published ") and release["unit_eur"] == 1e8
    # Every cell is a multiple of 0.1 bn; the total holds all rows, confidential ones too.
    assert all(abs(v / 1e8 - round(v / 1e8)) < 1e-9 for v in cells.values()), cells
    everything = api.get("/api/v1/shares", headers=callers.coordinator).json()
    assert cells["total"] == pytest.approx(
        sum(n["counted_eur"] for n in everything["nations"]), abs=0.05e9
    )
    public = api.get("/api/v1/shares").json()
    assert cells["total"] > sum(n["counted_eur"] for n in public["nations"]) + 1e9
    # A nation's own line only where it gave nothing confidential (every fifth nation).
    lines = {name.split(":")[1] for name in cells if name.startswith("nation:")}
    allies = [n.iso3 for n in washington.scenario()[0].nations]
    assert lines == {iso3 for i, iso3 in enumerate(allies) if i % 5 == 0}
    # The dashboard shows it as published and rounded, to everyone.
    assert release["label"] in api.get("/").text

    # Immutable: the mapper refuses any change or deletion.
    store = Store(loaded.url)
    with pytest.raises(ReleaseImmutable), store.transaction() as session:
        row = session.scalars(select(ReleaseRow)).one()
        row.cells = [["total", 1.0]]
    with pytest.raises(ReleaseImmutable), store.transaction() as session:
        session.delete(session.scalars(select(ReleaseRow)).one())
    store.close()

    # Germany adds a confidential 1 bn and nobody else changes: a second release would pin
    # Germany's change by subtraction from the first. It names the cells, and is not made.
    more = {
        "id": "DEU-MORE",
        "donor": "DEU",
        "amount": 1e9,
        "currency": "EUR",
        "date": "2025-10-01",
        "category": "equipment",
        "status": "delivered",
        "visibility": "nation",
    }
    assert api.post("/api/v1/contributions", json=more, headers=callers.deu).status_code == 201
    refused = api.post("/api/v1/releases", json={"year": 2025}, headers=callers.coordinator)
    assert refused.status_code == 422
    message = error_of(refused)
    assert message.startswith("releases[2025]: not published: ")
    # Germany published a line of public rows only in release 1 (it had nothing else):
    # the new cells less the old pin its new confidential total, and the change.
    assert "pin DEU's confidential total to EUR 0.90-1.19 bn" in message
    assert message.endswith("(and 1 more)") and "category:equipment" in message
    assert len(api.get("/api/v1/releases").json()) == 1
    cli_refused = loaded("review", "2025", "--publish")
    assert cli_refused.exit_code == 2
    assert cli_refused.stderr.startswith("error: releases[2025]: not published: ")
    # The dashboard: the public may not publish; a coordinator's refused release names it.
    assert post_form(api, "/releases", {"year": "2025"}).status_code == 403
    api.cookies.set(COOKIE, callers.coordinator["Authorization"].removeprefix("Bearer "))
    page = post_form(api, "/releases", {"year": "2025"})
    api.cookies.clear()
    assert page.status_code == 422 and "pin DEU&#39;s confidential total" in page.text
    assert len(api.get("/api/v1/releases").json()) == 1


def test_a_release_with_too_few_confidential_nations_is_refused(
    loaded: Cli, api: TestClient, callers: Callers
) -> None:
    for donor in ("DEU", "FRA"):
        body = {
            "id": f"{donor}-X",
            "donor": donor,
            "amount": 2e9,
            "currency": "EUR",
            "date": "2025-03-01",
            "category": "equipment",
            "status": "delivered",
            "visibility": "nation",
        }
        assert (
            api.post("/api/v1/contributions", json=body, headers=callers.coordinator).status_code
            == 201
        )
    refused = api.post("/api/v1/releases", json={"year": 2025}, headers=callers.coordinator)
    assert error_of(refused) == (
        "releases[2025]: not published: total: its confidential part comes from 2 nation(s), "
        "fewer than 3 (and 2 more)"
    )
