"""The coalition pages in process: the list, one coalition as its lead, a nation that does not
lead it and the public see it, the JSON twin, and 404 for an unknown one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from ramstein.domain.access import Role
from ramstein.domain.contributions import Visibility
from ramstein.domain.items import Offer
from ramstein.store import catalog
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.conftest import Cli, Washington
from tests.web.forms import post_form

# Sign-in passwords: twelve characters at least, none from the common list.
PASSWORD = {"lva-mod": "Kestrel-41-dune-north", "pol-mod": "Heron-77-wing-east"}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory, washington: Washington) -> str:
    """Washington 2024, a drone offer Germany shared with the drones coalition, and a
    password account for Latvia (the drones lead) and Poland."""
    url = f"sqlite:///{tmp_path_factory.mktemp('coalitions') / 'pages.db'}"
    washington(Cli(url), kiel=False)
    store = Store(url)
    with store.transaction() as session:
        shared = Offer("DEU-DR1", "DEU", "DRONE", 500, None, Visibility.COALITION)
        catalog.upsert_offer(session, Offer(**{**shared.__dict__, "coalition": "drones"}))
        create_account(session, "lva-mod", Role.NATION, nation="LVA", password=PASSWORD["lva-mod"])
        create_account(session, "pol-mod", Role.NATION, nation="POL", password=PASSWORD["pol-mod"])
    store.close()
    return url


def _client(url: str, name: str | None) -> Iterator[TestClient]:
    with TestClient(create_app(url)) as client:
        if name:
            signed = post_form(client, "/signin", {"name": name, "password": PASSWORD[name]})
            assert signed.status_code == 200 and "Signed in as" in signed.text
        yield client


@pytest.fixture
def lva(store_url: str) -> Iterator[TestClient]:
    yield from _client(store_url, "lva-mod")


@pytest.fixture
def pol(store_url: str) -> Iterator[TestClient]:
    yield from _client(store_url, "pol-mod")


@pytest.fixture
def public(store_url: str) -> Iterator[TestClient]:
    yield from _client(store_url, None)


def test_the_list_shows_eight_coalitions_and_which_one_the_nation_leads(lva: TestClient) -> None:
    page = lva.get("/coalitions")
    assert page.status_code == 200
    assert page.text.count('href="/coalitions/') == 8
    assert "Drones</a> (LVA leads)" in page.text
    assert "Armour</a> (LVA leads)" not in page.text
    assert "<td>500 of 1,000,000 DRONE by 2027</td>" in page.text  # the shared offer


def test_the_lead_sees_the_shared_offer_others_do_not(
    lva: TestClient, pol: TestClient, public: TestClient
) -> None:
    mine = lva.get("/coalitions/drones")
    assert mine.status_code == 200
    assert "DEU-DR1" in mine.text and "LVA leads this coalition" in mine.text
    assert 'class="chart"' in mine.text
    theirs = pol.get("/coalitions/drones")
    assert theirs.status_code == 200
    assert "DEU-DR1" not in theirs.text and "leads this coalition" not in theirs.text
    assert "No offers you may see." in theirs.text
    assert "<td>0 of 1,000,000 DRONE by 2027</td>" in pol.get("/coalitions").text
    anonymous = public.get("/coalitions/iamd?format=json")
    assert anonymous.status_code == 200
    doc = anonymous.json()
    assert doc["coverage"] is None and doc["lead"] is False
    assert len(doc["offers"]) == 14  # the summit's air-defence offers are public
    assert "Sign in" in public.get("/coalitions/iamd").text


def test_an_unknown_coalition_is_404(public: TestClient) -> None:
    assert public.get("/coalitions/nope").status_code == 404
    assert public.get("/coalitions/nope?format=json").status_code == 404
