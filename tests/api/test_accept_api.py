"""Comparing match plans and accepting one: offers used become committed contributions
and consignments to route; the chain offer -> contribution -> consignment is kept."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Callers
from tests.conftest import Cli


def test_compare_then_accept_makes_the_chain(
    loaded: Cli, api: TestClient, callers: Callers
) -> None:
    assert loaded("match").exit_code == 0
    # Germany offers what the IRIS-T SLM requirement misses; the next plan uses it.
    for offer in (
        {"id": "DEU-SLM-LAUNCHERS", "item": "IRIST_SLM_LAUNCHER", "quantity": 3},
        {"id": "DEU-SLM-CP", "item": "IRIST_COMMAND_POST", "quantity": 1},
    ):
        made = api.post(
            "/api/v1/offers",
            json={**offer, "donor": "DEU", "available_from": "2025-02-01"},
            headers=callers.deu,
        )
        assert made.status_code == 201, made.text
    assert loaded("match").exit_code == 0
    compared = api.get("/api/v1/plans/match/compare", headers=callers.recipient)
    assert compared.status_code == 200, compared.text
    doc = compared.json()
    assert (doc["before"], doc["after"]) == (1, 2)
    changed = {r["requirement"]: r for r in doc["requirements"] if r["verdict"] != "unchanged"}
    assert changed, doc
    assert all(r["after"] - r["before"] == r["change"] for r in doc["requirements"])
    assert any(r["change"] > 0 for r in changed.values())

    refused = api.post("/api/v1/plans/match/2/accept", headers=callers.deu)
    assert refused.status_code == 403
    accepted = api.post("/api/v1/plans/match/2/accept", headers=callers.coordinator)
    assert accepted.status_code == 200, accepted.text
    done = accepted.json()
    plan = api.get("/api/v1/plans/match/2", headers=callers.coordinator).json()
    used = {s["offer"] for r in plan["requirements"] for s in r["sources"] if s["quantity"] > 0}
    assert {"DEU-SLM-LAUNCHERS", "DEU-SLM-CP"} <= used
    assert set(done["contributions"]) == {f"{o}:accepted" for o in used}
    for offer in used:
        row = api.get(f"/api/v1/contributions/{offer}:accepted", headers=callers.coordinator)
        assert row.status_code == 200, row.text
        body = row.json()
        assert body["status"] == "committed" and body["amount"] is None
        assert body["source"] == f"offer {offer}"
        assert "value to be confirmed" in body["description"]
    # Offers that had no consignment now have one, fulfilling the offer.
    new = {"K-DEU-SLM-LAUNCHERS", "K-DEU-SLM-CP"}
    assert set(done["consignments"]) == new
    for kid in new:
        where = api.get(f"/api/v1/consignments/{kid}", headers=callers.recipient).json()
        assert where["origin"] == "DEPOT_DEU" and where["summary"] == {"origin": where["pallets"]}
    # Accepting again writes nothing new.
    again = api.post("/api/v1/plans/match/2/accept", headers=callers.coordinator).json()
    assert again["contributions"] == [] and again["consignments"] == []
    assert set(again["kept"]) == set(done["contributions"])


def test_unknown_plan_versions_are_one_line(loaded: Cli, api: TestClient, callers: Callers) -> None:
    none = api.get("/api/v1/plans/match/compare", headers=callers.coordinator)
    assert none.status_code == 422
    assert none.json()["detail"][0]["loc"] == ["plans[match].version"]
    assert loaded("match").exit_code == 0
    missing = api.post("/api/v1/plans/match/9/accept", headers=callers.coordinator)
    assert missing.status_code == 422
    assert missing.json()["detail"][0] == {
        "loc": ["plans[match].version"],
        "msg": "no saved match plan, version 9",
        "type": "value_error",
    }


def test_cli_compare_and_accept(loaded: Cli) -> None:
    assert loaded("match").exit_code == 0
    assert loaded("match").exit_code == 0
    compared = loaded("match", "compare")
    assert compared.exit_code == 0, compared.output
    assert "Match plan 1 against 2" in compared.stdout
    assert "0 requirement(s) gained units, 0 lost units." in compared.stdout
    accepted = loaded("match", "accept", "1")
    assert accepted.exit_code == 0, accepted.output
    assert "committed WAS24-DEU-PATRIOT:accepted" in accepted.stdout
    history = loaded("contribution", "history", "WAS24-DEU-PATRIOT:accepted")
    assert "match plan 1 accepted" in history.stdout
    bad = loaded("match", "accept", "7")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "error: plans[match].version: no saved match plan, version 7"
