"""`ramstein purl ...`: the dataset's four packages, a package from approval to delivery
counted once for its payers and never for the US, domestic production, and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ramstein.io.route_json import parse_logistics
from ramstein.store.db import Store
from ramstein.store.fx import table
from tests.conftest import EXAMPLE_SCENARIO, Cli, Washington, assert_bad_input

EXAMPLE_LOGISTICS = Path(__file__).parent.parent / "plan" / "logistics_example.json"


def _package(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "PURL-T",
        "title": "Interceptors for the winter",
        "value_usd": 400e6,
        "proposed_on": "2025-09-01",
        "requirements": ["UKR-PATRIOT-INTERCEPTORS"],
        "items": [{"item": "PATRIOT_INTERCEPTOR", "quantity": 50}],
        "payers": [
            {"iso3": "DEU", "share": 0.75},
            {"iso3": "POL", "amount_usd": 100e6},
        ],
    }
    doc.update(changes)
    return {"format": "ramstein.purl/1", "packages": [doc]}


def _counted(cli: Cli) -> dict[str, float]:
    doc = json.loads(cli("shares", "--json").stdout)
    return {n["iso3"]: float(n["counted_eur"]) for n in doc["nations"]}


def _eur(cli: Cli, usd: float, day: str) -> float:
    from datetime import date

    store = Store(cli.url)
    try:
        with store.transaction() as session:
            return table(session).convert_on(usd, "USD", "EUR", date.fromisoformat(day), field="t")
    finally:
        store.close()


def test_washington_shows_the_four_purl_packages(cli: Cli, washington: Washington) -> None:
    washington(cli)
    listed = cli("purl", "list")
    assert listed.exit_code == 0, listed.stderr
    for pid in ("PURL-1", "PURL-2", "PURL-3", "PURL-4"):
        assert pid in listed.stdout
    status = json.loads(cli("purl", "status", "--json").stdout)
    assert status["packages"] == 4
    assert status["value_usd"] == 578e6 + 495e6 + 500e6 + 500e6
    two = json.loads(cli("purl", "show", "PURL-2", "--json").stdout)
    assert [p["iso3"] for p in two["payers"]] == ["DNK", "NOR", "SWE"]
    assert two["illustrative"] and "sourced" in two["source"] and "illustrative" in two["source"]
    # Kiel's monthly allocations include PURL: the dataset writes no payment of its own.
    assert "Kiel" in two["counted_by"]
    assert cli("contribution", "history", "PURL-1:NLD").exit_code == 2
    before = _counted(cli)
    assert cli("load", "washington-2024").exit_code == 0  # twice: unchanged
    assert _counted(cli) == before
    assert json.loads(cli("purl", "status", "--json").stdout) == status
    # A package moved on since keeps its stage when the dataset is loaded again.
    assert cli("purl", "start-delivery", "PURL-3", "--on", "2025-09-20").exit_code == 0
    assert cli("load", "washington-2024").exit_code == 0
    three = json.loads(cli("purl", "show", "PURL-3", "--json").stdout)
    assert three["status"] == "delivering" and three["delivering_from"] == "2025-09-20"


def test_a_package_from_approval_to_delivery_is_counted_once_for_its_payers(
    cli: Cli,
    write_json: Any,
    washington: Washington,
) -> None:
    washington(cli, kiel=False)
    added = cli("purl", "add", write_json(_package(), "p.json"))
    assert added.exit_code == 0, added.stderr
    start = _counted(cli)

    assert cli("purl", "approve", "PURL-T", "--on", "2025-09-02").exit_code == 0
    assert "PURL-T:PATRIOT_INTERCEPTOR" in cli("match", "offers", "--donor", "USA").stdout
    assert _counted(cli) == start  # committed: not yet counted

    assert cli("purl", "pay", "PURL-T", "DEU", "--on", "2025-09-03").exit_code == 0
    after_deu = _counted(cli)
    assert after_deu["DEU"] - start["DEU"] == pytest.approx(_eur(cli, 300e6, "2025-09-03"))
    assert after_deu["POL"] == start["POL"]
    assert cli("purl", "pay", "PURL-T", "POL", "--on", "2025-09-04").exit_code == 0
    paid = _counted(cli)
    doc = json.loads(cli("purl", "show", "PURL-T", "--json").stdout)
    assert doc["status"] == "funded" and doc["funded_on"] == "2025-09-04"

    assert cli("purl", "start-delivery", "PURL-T", "--on", "2025-09-10").exit_code == 0
    delivered = cli("purl", "deliver", "PURL-T", "--on", "2025-10-01")
    assert delivered.exit_code == 0, delivered.stderr
    end = _counted(cli)
    assert end == paid  # delivery adds nothing: each dollar counted once, when paid
    assert end["USA"] == start["USA"]  # never for the US, which delivers
    gained = {k: end[k] - start[k] for k in start if end[k] != start[k]}
    assert set(gained) == {"DEU", "POL"}
    assert sum(gained.values()) == pytest.approx(
        _eur(cli, 300e6, "2025-09-03") + _eur(cli, 100e6, "2025-09-04")
    )
    history = cli("contribution", "history", "PURL-T:DEU:USA")
    assert history.exit_code == 0 and "delivered" in history.stdout
    events = [
        e["kind"] for e in json.loads(cli("purl", "show", "PURL-T", "--json").stdout)["events"]
    ]
    assert events == ["proposed", "approved", "paid", "paid", "delivering", "delivered"]
    credit = cli("credit")
    assert credit.exit_code == 0 and "PURL-T:DEU:USA" in credit.stdout


BAD_FILES: list[tuple[str, dict[str, Any], str]] = [
    (
        "payers short",
        _package(payers=[{"iso3": "DEU", "amount_usd": 1e6}]),
        "error: packages[PURL-T].payers: amounts add up to USD 1,000,000",
    ),
    (
        "amount and share",
        _package(payers=[{"iso3": "DEU", "amount_usd": 4e8, "share": 1.0}]),
        "error: packages[PURL-T].payers[DEU]: give amount_usd or share",
    ),
    (
        "the US pays",
        _package(payers=[{"iso3": "USA", "share": 1.0}]),
        "error: packages[PURL-T].payers[USA]: the US delivers PURL packages",
    ),
    (
        "unknown key",
        _package(cost=1),
        "error: packages[PURL-T].cost: unknown key 'cost'",
    ),
    (
        "unknown requirement",
        _package(requirements=["UKR-NOTHING"]),
        "error: packages[PURL-T].requirements: unknown requirement 'UKR-NOTHING'",
    ),
    (
        "unknown payer",
        _package(payers=[{"iso3": "XYZ", "share": 1.0}]),
        "error: packages[PURL-T].payers[XYZ]: unknown nation",
    ),
]


@pytest.mark.parametrize(("case", "doc", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_package_files_exit_2_with_one_line_and_write_nothing(
    sqlite_cli: Cli,
    write_json: Any,
    case: str,
    doc: dict[str, Any],
    message: str,
    washington: Washington,
) -> None:
    washington(sqlite_cli, kiel=False)
    before = sqlite_cli("purl", "list").stdout
    assert_bad_input(sqlite_cli("purl", "add", write_json(doc, "bad.json")), message)
    assert sqlite_cli("purl", "list").stdout == before


def test_bad_lifecycle_steps_exit_2_with_one_line(
    sqlite_cli: Cli, write_json: Any, washington: Washington
) -> None:
    cli = sqlite_cli
    washington(cli, kiel=False)
    assert cli("purl", "add", write_json(_package(), "p.json")).exit_code == 0
    assert_bad_input(
        cli("purl", "pay", "PURL-T", "DEU", "--on", "2025-09-03"),
        "error: packages[PURL-T].payers[DEU]: the package is proposed",
    )
    assert_bad_input(
        cli("purl", "approve", "PURL-T", "--on", "2025-09-02", "--by", "DSCA"),
        "error: packages[PURL-T].approved_by: must be SACEUR",
    )
    assert_bad_input(
        cli("purl", "approve", "PURL-T", "--on", "soon"),
        "error: on: 'soon' is not a date",
    )
    assert_bad_input(
        cli("purl", "deliver", "PURL-T", "--on", "2025-09-02"),
        "error: packages[PURL-T].status: is proposed; the next stage is approved",
    )
    assert_bad_input(
        cli("purl", "show", "PURL-NONE"), "error: packages[PURL-NONE]: no such package"
    )
    assert cli("purl", "approve", "PURL-T", "--on", "2025-09-02").exit_code == 0
    assert_bad_input(
        cli("purl", "pay", "PURL-T", "FRA", "--on", "2025-09-03"),
        "error: packages[PURL-T].payers: FRA is not a payer",
    )
    doc = json.loads(cli("purl", "show", "PURL-T", "--json").stdout)
    assert doc["status"] == "approved" and doc["paid_usd"] == 0  # nothing half-written


def test_domestic_production_is_counted_for_its_payer(sqlite_cli: Cli, write_json: Any) -> None:
    scenario = json.loads(json.dumps(EXAMPLE_SCENARIO))
    scenario["contributions"].append(
        {
            "id": "c-bohdana",
            "donor": "USA",
            "amount": 0.3e9,
            "currency": "EUR",
            "date": "2025-04-10",
            "category": "equipment",
            "channel": "domestic_production",
            "status": "contracted",
            "visibility": "public",
            "description": "Howitzers from a Ukrainian manufacturer, paid directly",
        }
    )
    assert sqlite_cli("load", write_json(scenario)).exit_code == 0
    assert _counted(sqlite_cli)["USA"] == pytest.approx(1.2e9 + 0.3e9)


def test_route_refuses_domestic_production_consignments(sqlite_cli: Cli, write_json: Any) -> None:
    doc = json.loads(EXAMPLE_LOGISTICS.read_text())
    first = doc["consignments"][0]
    parse_logistics(json.dumps(doc)).check()  # routable as it is
    first["channel"] = "domestic_production"
    assert_bad_input(
        sqlite_cli("route", write_json(doc, "logistics.json")),
        f"error: consignments[{first['id']}].channel: domestic production is delivered in "
        "Ukraine, never routed through a hub",
    )
    assert_bad_input(
        sqlite_cli("route", "import", write_json(doc, "logistics.json"), "--start", "2025-01-01"),
        f"error: consignments[{first['id']}].channel",
    )


def test_an_approved_package_moves_from_the_us_depot_through_the_hubs(
    sqlite_cli: Cli,
    write_json: Any,
    washington: Washington,
) -> None:
    cli = sqlite_cli
    washington(cli, kiel=False)
    pallets = [{"item": "PATRIOT_INTERCEPTOR", "quantity": 20, "pallets": 10}]
    undirected = _package(id="PURL-U", proposed_on="2025-05-01", items=pallets)
    assert cli("purl", "add", write_json(undirected, "u.json")).exit_code == 0
    assert_bad_input(
        cli("purl", "approve", "PURL-U", "--on", "2025-05-02"),
        "error: packages[PURL-U].destination: name one of the destinations: UKR_CENTRAL, UKR_WEST",
    )
    routed = _package(proposed_on="2025-05-01", items=pallets, destination="UKR_CENTRAL")
    assert cli("purl", "add", write_json(routed, "r.json")).exit_code == 0
    assert cli("purl", "approve", "PURL-T", "--on", "2025-05-02").exit_code == 0
    plan = json.loads(cli("route", "--json").stdout)
    [line] = [c for c in plan["consignments"] if c["id"] == "K:PURL-T:PATRIOT_INTERCEPTOR"]
    assert line["delivered"] == 10 and line["undelivered"] == 0
    legs = [m for m in plan["movements"] if m["consignment"] == line["id"]]
    assert legs[0]["from"] == "DEPOT_USA" and legs[-1]["to"] == "UKR_CENTRAL"
    assert {m["to"] for m in legs} & {"HUB_POL", "HUB_SVK", "HUB_ROU"}
    assert min(m["depart"] for m in legs) >= 243  # not before approval (2025-05-02: day 243)
