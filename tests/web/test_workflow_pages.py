"""The workflow pages in process: each role's forms write through the library, refuse bad
input with one line and write nothing, and every figure shown comes from the store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from ramstein.web.auth import COOKIE
from tests.conftest import Cli, Washington
from tests.web.forms import post_form


@dataclass(frozen=True)
class Desk:
    """The app over a planned Washington store, and a signed-in client per role."""

    cli: Cli
    tokens: dict[str, str]
    client: TestClient

    def as_(self, role: str) -> TestClient:
        self.client.cookies.clear()
        if role != "public":
            self.client.cookies.set(COOKIE, self.tokens[role])
        return self.client


@pytest.fixture
def desk(sqlite_cli: Cli, washington: Washington) -> Iterator[Desk]:
    washington(sqlite_cli, kiel=False, planners=("match",))
    store = Store(sqlite_cli.url)
    with store.transaction() as session:
        tokens = {
            "coordinator": create_account(session, "coord", Role.COORDINATOR),
            "liaison": create_account(session, "ukr-liaison", Role.RECIPIENT),
            "deu": create_account(session, "deu-mod", Role.NATION, nation="DEU"),
            "pol": create_account(session, "pol-mod", Role.NATION, nation="POL"),
        }
    store.close()
    with TestClient(create_app(sqlite_cli.url)) as client:
        yield Desk(sqlite_cli, tokens, client)


NEW = {"id": "UKR-GEPARD-2", "item": "GEPARD", "quantity": "6", "priority": "25"}


def test_liaison_adds_reprioritises_and_closes_a_requirement(desk: Desk) -> None:
    client = desk.as_("liaison")
    page = client.get("/requirements/desk")
    assert page.status_code == 200 and 'name="csrf"' in page.text
    added = post_form(client, "/requirements/desk", {**NEW, "substitutes": ["HAWK_FIRE_UNIT"]})
    assert added.status_code == 200, added.text
    assert "Requirement UKR-GEPARD-2 saved." in added.text
    listed = client.get("/requirements/desk?format=json").json()["requirements"]
    mine = next(r for r in listed if r["id"] == "UKR-GEPARD-2")
    assert (mine["quantity"], mine["priority"], mine["substitutes"]) == (
        6,
        25.0,
        ["HAWK_FIRE_UNIT"],
    )
    raised = post_form(client, "/requirements/desk", {**NEW, "priority": "90"})
    assert raised.status_code == 200
    listed = client.get("/requirements/desk?format=json").json()["requirements"]
    assert listed[1]["id"] == "UKR-GEPARD-2"  # highest priority first: 100, then 90
    closed = post_form(client, "/requirements/desk/UKR-GEPARD-2/close", {})
    assert closed.status_code == 200 and "Requirement UKR-GEPARD-2 closed." in closed.text
    listed = client.get("/requirements/desk?format=json").json()["requirements"]
    assert "UKR-GEPARD-2" not in {r["id"] for r in listed}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"item": "NO_SUCH_ITEM"},
            "requirements[UKR-GEPARD-2].item: unknown item &#39;NO_SUCH_ITEM&#39;",
        ),
        (
            {"quantity": "0"},
            "requirements[UKR-GEPARD-2].quantity: must be a whole number of at least 1",
        ),
        (
            {"priority": "high"},
            "requirements[UKR-GEPARD-2].priority: &#39;high&#39; is not a number",
        ),
        (
            {"needed_by": "soon"},
            "requirements[UKR-GEPARD-2].needed_by: &#39;soon&#39; is not a date",
        ),
    ],
)
def test_a_bad_requirement_is_one_line_and_nothing(
    desk: Desk, change: dict[str, str], message: str
) -> None:
    client = desk.as_("liaison")
    before = client.get("/requirements/desk?format=json").json()
    refused = post_form(client, "/requirements/desk", {**NEW, **change})
    assert refused.status_code == 422
    assert message in refused.text and "Traceback" not in refused.text
    assert client.get("/requirements/desk?format=json").json() == before


@pytest.mark.parametrize("role", ["public", "deu"])
def test_only_the_liaison_and_coordinators_write_requirements(desk: Desk, role: str) -> None:
    client = desk.as_(role)
    assert client.get("/requirements/desk?format=json").json() == {"allowed": False}
    assert post_form(client, "/requirements/desk", NEW).status_code == 403


def test_a_ministry_sees_needs_and_asks_and_makes_edits_and_withdraws_an_offer(
    desk: Desk,
) -> None:
    client = desk.as_("deu")
    page = client.get("/offers?format=json").json()
    assert page["donor"] == "DEU"
    needs = {r["id"]: r for r in page["requirements"]}
    assert needs["UKR-PATRIOT"]["planned"] == 3 and needs["UKR-PATRIOT"]["quantity"] == 7
    # Every ask put to Germany is for an item Germany offered, or one nobody offered.
    offered = {o["item"] for o in page["offers"]}
    assert page["asks"] and all(
        a["why"] == "open to every donor" or a["item"] in offered for a in page["asks"]
    )
    assert {o["donor"] for o in page["offers"]} == {"DEU"}
    assert any(o["used"] for o in page["offers"])
    towards = client.get("/offers?towards=UKR-GEPARD")
    assert "<option selected>GEPARD</option>" in towards.text
    made = post_form(
        client,
        "/offers",
        {"id": "DEU-GEPARD-2", "item": "GEPARD", "quantity": "4", "visibility": "alliance"},
    )
    assert made.status_code == 200 and "Offer DEU-GEPARD-2 saved." in made.text
    edited = post_form(
        client,
        "/offers",
        {"id": "DEU-GEPARD-2", "item": "GEPARD", "quantity": "5", "visibility": "alliance"},
    )
    assert edited.status_code == 200
    offers = {o["id"]: o for o in client.get("/offers?format=json").json()["offers"]}
    assert offers["DEU-GEPARD-2"]["quantity"] == 5
    # Poland neither sees nor withdraws Germany's alliance offer as its own.
    pol = desk.as_("pol")
    assert "DEU-GEPARD-2" not in {o["id"] for o in pol.get("/offers?format=json").json()["offers"]}
    assert post_form(pol, "/offers/DEU-GEPARD-2/withdraw", {}).status_code == 422
    client = desk.as_("deu")
    gone = post_form(client, "/offers/DEU-GEPARD-2/withdraw", {})
    assert gone.status_code == 200 and "Offer DEU-GEPARD-2 withdrawn." in gone.text
    assert "DEU-GEPARD-2" not in {
        o["id"] for o in client.get("/offers?format=json").json()["offers"]
    }


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"id": "DEU-X", "item": "NO_SUCH_ITEM", "quantity": "1"},
            "offers[DEU-X].item: unknown item",
        ),
        (
            {"id": "POL-X", "item": "GEPARD", "quantity": "1"},
            "offers[POL-X].id: must begin with DEU-",
        ),
        ({"id": "DEU-X", "item": "GEPARD", "quantity": "lots"}, "offers[DEU-X].quantity: must be"),
    ],
)
def test_a_bad_offer_is_one_line_and_nothing(
    desk: Desk, form: dict[str, str], message: str
) -> None:
    client = desk.as_("deu")
    before = client.get("/offers?format=json").json()
    refused = post_form(client, "/offers", form)
    assert refused.status_code == 422 and message in refused.text
    assert client.get("/offers?format=json").json() == before


def test_coordinator_compares_and_accepts_a_plan(desk: Desk) -> None:
    client = desk.as_("deu")
    post_form(client, "/offers", {"id": "DEU-SLM-L", "item": "IRIST_SLM_LAUNCHER", "quantity": "3"})
    post_form(
        client, "/offers", {"id": "DEU-SLM-CP", "item": "IRIST_COMMAND_POST", "quantity": "1"}
    )
    assert desk.cli("match").exit_code == 0
    client = desk.as_("coordinator")
    page = client.get("/planning?format=json").json()
    compared = page["comparison"]
    assert (compared["before"], compared["after"]) == (1, 2)
    assert any(r["change"] > 0 for r in compared["requirements"])
    assert page["latest_match"] == 2 and not any(o["accepted"] for o in page["offers_used"])
    accepted = post_form(client, "/planning/accept/2", {})
    assert accepted.status_code == 200 and "Match plan 2 accepted" in accepted.text
    page = client.get("/planning?format=json").json()
    assert all(o["accepted"] for o in page["offers_used"])
    row = client.get("/ledger/DEU-SLM-L:accepted?format=json").json()
    assert row["contribution"]["status"] == "committed"
    receipts = client.get("/receipts?format=json").json()["consignments"]
    assert "K-DEU-SLM-L" in {c["id"] for c in receipts}
    # The chain offer -> contribution -> consignment -> receipt, on the contribution's page.
    post_form(desk.as_("liaison"), "/receipts/K-DEU-SLM-L", {"received": "2", "lost": "1"})
    chain = desk.as_("deu").get("/ledger/DEU-SLM-L:accepted?format=json").json()["chain"]
    assert chain["offer"] == "DEU-SLM-L" and chain["offer_units"] == 3
    assert chain["consignments"] == [
        {"id": "K-DEU-SLM-L", "pallets": 3, "received": 2, "damaged": 0, "lost": 1}
    ]
    # Poland sees the alliance contribution and its offer, not Germany's consignments.
    seen = desk.as_("pol").get("/ledger/DEU-SLM-L:accepted?format=json").json()["chain"]
    assert seen["offer"] == "DEU-SLM-L" and seen["consignments"] == []
    client = desk.as_("coordinator")
    assert post_form(desk.as_("deu"), "/planning/accept/2", {}).status_code == 403


def test_coordinator_runs_a_planner_as_a_job(desk: Desk) -> None:
    client = desk.as_("coordinator")
    started = post_form(client, "/planning/run/match", {}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs?started=")
    jobs = client.get("/jobs?format=json").json()["jobs"]
    assert jobs and jobs[0]["kind"] == "match"
    assert post_form(client, "/planning/run/nothing", {}).status_code == 404
    assert post_form(desk.as_("liaison"), "/planning/run/match", {}).status_code == 403


def test_liaison_confirms_a_receipt_and_the_discrepancy_shows_it(desk: Desk) -> None:
    assert desk.cli("route").exit_code == 0 and desk.cli("train").exit_code == 0
    client = desk.as_("liaison")

    def patriot_runs() -> list[str]:
        caps = client.get("/training?format=json").json()["capabilities"]
        runs: list[str] = next(c for c in caps if c["requirement"] == "UKR-PATRIOT")["runs"]
        return runs

    assert not any("not planned" in run for run in patriot_runs())
    confirmed = post_form(
        client,
        "/receipts/K-WAS24-DEU-PATRIOT",
        {"received": "59", "damaged": "1", "lost": "0", "note": "one pallet crushed"},
    )
    assert confirmed.status_code == 200, confirmed.text
    assert "Receipt of K-WAS24-DEU-PATRIOT recorded." in confirmed.text
    page = client.get("/receipts?format=json").json()
    row = next(c for c in page["consignments"] if c["id"] == "K-WAS24-DEU-PATRIOT")
    assert (row["received"], row["damaged"], row["lost"], row["open"]) == (59, 1, 0, 0)
    deu = next(d for d in page["discrepancies"] if d["scope"] == "donor" and d["name"] == "DEU")
    assert (deu["received"], deu["damaged"]) == (59, 1)
    # Germany's battery is a pallet short: its unit is no longer ready on a date.
    assert patriot_runs()[-1].endswith("not planned (equipment)")
    refused = post_form(client, "/receipts/K-WAS24-DEU-PATRIOT", {"received": "1"})
    assert refused.status_code == 422 and "only 0 of 60 are not yet received" in refused.text
    assert (
        post_form(desk.as_("deu"), "/receipts/K-WAS24-DEU-PATRIOT", {"received": "1"}).status_code
        == 403
    )


def test_contribution_edit_moves_it_along_its_lifecycle(desk: Desk) -> None:
    client = desk.as_("deu")
    form = client.get("/ledger/WAS24-DEU-PATRIOT/edit")
    assert form.status_code == 200 and 'name="csrf"' in form.text
    stuck = post_form(
        client, "/ledger/WAS24-DEU-PATRIOT/edit", {"status": "contracted", "currency": "EUR"}
    )
    assert stuck.status_code == 422
    assert (
        "contributions[WAS24-DEU-PATRIOT].amount: required when status is contracted" in stuck.text
    )
    done = post_form(
        client,
        "/ledger/WAS24-DEU-PATRIOT/edit",
        {"amount": "1200000000", "currency": "EUR", "status": "contracted", "why": "signed"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    row = client.get("/ledger/WAS24-DEU-PATRIOT?format=json").json()
    assert row["contribution"]["status"] == "contracted"
    assert row["contribution"]["amount"] == 1.2e9
    assert row["history"][-1]["reason"] == "signed"
    refused = post_form(desk.as_("pol"), "/ledger/WAS24-DEU-PATRIOT/edit", {"status": "cancelled"})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "path",
    ["/requirements/desk", "/offers", "/receipts/K-WAS24-DEU-PATRIOT", "/planning/accept/1"],
)
def test_every_workflow_form_needs_its_token(desk: Desk, path: str) -> None:
    client = desk.as_("coordinator")
    before = client.get("/receipts?format=json").json(), client.get("/offers?format=json").json()
    data = {**NEW, "received": "1", "donor": "DEU", "id": "DEU-X"}
    forged = client.post(path, data=data, headers={"Origin": "http://testserver"})
    assert forged.status_code == 403 and "csrf" in forged.text
    elsewhere = client.post(path, data=data, headers={"Origin": "http://evil.example"})
    assert elsewhere.status_code == 403
    assert (
        client.get("/receipts?format=json").json(),
        client.get("/offers?format=json").json(),
    ) == before


def test_a_requirement_may_name_a_capability_coalition(desk: Desk) -> None:
    client = desk.as_("liaison")
    coalitions = client.get("/requirements/desk?format=json").json()["coalitions"]
    assert coalitions, "the Washington dataset names capability coalitions"
    first = coalitions[0]["id"]
    added = post_form(client, "/requirements/desk", {**NEW, "coalition": first})
    assert added.status_code == 200, added.text
    listed = client.get("/requirements/desk?format=json").json()["requirements"]
    assert next(r for r in listed if r["id"] == NEW["id"])["coalition"] == first
    refused = post_form(client, "/requirements/desk", {**NEW, "coalition": "NO-SUCH"})
    assert refused.status_code == 422
    assert (
        "requirements[UKR-GEPARD-2].coalition: unknown coalition &#39;NO-SUCH&#39;" in refused.text
    )
