"""`ramstein match`: files, the store, versioned plans and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ramstein.io.match_json import parse_match
from ramstein.plan.validate import validate_match
from ramstein.store.db import Store
from ramstein.store.plans import list_plans
from tests.conftest import Cli, Washington, assert_bad_input, set_path

EXAMPLE = Path(__file__).parent.parent / "plan" / "match_example.json"


@pytest.fixture
def example() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return doc


def test_match_file_json_prints_the_plan(sqlite_cli: Cli) -> None:
    result = sqlite_cli("match", str(EXAMPLE), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "ramstein.match-plan/1"
    assert (doc["score"], doc["bound"], doc["optimal"]) == (210, 210, True)
    assert [r["id"] for r in doc["requirements"]] == ["R1", "R2"]


def test_match_file_with_a_time_limit(sqlite_cli: Cli) -> None:
    result = sqlite_cli("match", str(EXAMPLE), "--json", "--time-limit", "5")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["score"] == 210


BAD: list[tuple[str, Any, str]] = [
    ("not JSON", lambda d: "[", "error: (document): not JSON"),
    (
        "unknown item",
        lambda d: set_path(d, ["requirements", 0, "item"], "PATRIOT_BATERY"),
        "error: requirements[R1].item: unknown item 'PATRIOT_BATERY'",
    ),
    (
        "unknown component item",
        lambda d: set_path(d, ["items", 0, "components", 0, "item"], "RADAR"),
        "error: items[PATRIOT_BATTERY].components.item: unknown item 'RADAR'",
    ),
    (
        "cycle",
        lambda d: set_path(
            d,
            ["items", 1],
            {"id": "PATRIOT_RADAR", "components": [{"item": "PATRIOT_BATTERY", "quantity": 1}]},
        ),
        "error: items[",
    ),
    (
        "zero quantity",
        lambda d: set_path(d, ["offers", 1, "quantity"], 0),
        "error: offers[O2].quantity: Input should be greater than 0",
    ),
    (
        "fractional quantity",
        lambda d: set_path(d, ["requirements", 1, "quantity"], 2.5),
        "error: requirements[R2].quantity: Input should be a valid integer",
    ),
    (
        "duplicate id",
        lambda d: set_path(d, ["offers", 1, "id"], "O1"),
        "error: offers[O1].id: duplicate id",
    ),
    (
        "unknown key",
        lambda d: set_path(d, ["offers", 0, "qty"], 1),
        "error: offers[O1].qty: unknown key 'qty'",
    ),
    (
        "negative priority",
        lambda d: set_path(d, ["requirements", 0, "priority"], -1),
        "error: requirements[R1].priority: Input should be greater than 0",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_match_file_exits_2_with_one_line(
    sqlite_cli: Cli,
    example: dict[str, Any],
    write_json: Any,
    case: str,
    mutate: Any,
    message: str,
) -> None:
    result = sqlite_cli("match", write_json(mutate(example)), "--json")
    assert_bad_input(result, message)
    if case == "cycle":
        assert "cycle" in result.stderr


def _catalog_state(cli: Cli) -> tuple[str, str, str]:
    return tuple(  # type: ignore[return-value]
        cli("match", what).stdout for what in ("items", "requirements", "offers")
    )


@pytest.mark.parametrize(("case", "mutate", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_match_import_leaves_the_store_untouched(
    cli: Cli,
    example: dict[str, Any],
    write_json: Any,
    case: str,
    mutate: Any,
    message: str,
    washington: Washington,
) -> None:
    washington(cli)
    before = _catalog_state(cli)
    result = cli("match", "import", write_json(mutate(example)))
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert _catalog_state(cli) == before


def test_import_refuses_an_unknown_donor_and_writes_nothing(
    cli: Cli,
    example: dict[str, Any],
    write_json: Any,
    washington: Washington,
) -> None:
    washington(cli)
    before = _catalog_state(cli)
    example["offers"][3]["donor"] = "XYZ"
    result = cli("match", "import", write_json(example))
    assert result.exit_code == 2
    assert result.stderr == "error: offers[O4].donor: unknown nation 'XYZ'\n"
    assert _catalog_state(cli) == before


def test_planning_the_store_saves_versions_that_validate(cli: Cli, washington: Washington) -> None:
    washington(cli)
    first = cli("match")
    assert first.exit_code == 0, first.stderr
    assert "Coverage by priority" in first.stdout
    assert "PATRIOT_ECS" in first.stdout  # the ask for the fourth Patriot battery
    assert "saved as match plan version 1" in first.stdout
    assert cli("match", "--json").exit_code == 0
    store = Store(cli.url)
    with store.transaction() as session:
        records = list_plans(session, "match")
    store.close()
    assert [r.version for r in records] == [1, 2]
    assert records[0].inputs_digest == records[1].inputs_digest
    assert records[0].document == records[1].document
    listing = cli("match", "plans")
    assert listing.exit_code == 0 and records[0].inputs_digest[:12] in listing.stdout


def test_imported_file_plans_like_the_file(
    cli: Cli,
    example: dict[str, Any],
    write_json: Any,
    washington: Washington,
) -> None:
    washington(cli)
    example["requirements"][0]["id"] = "EX-R1"
    example["requirements"][1]["id"] = "EX-R2"
    for offer in example["offers"]:
        offer["id"] = f"EX-{offer['id']}"
    path = write_json(example)
    assert cli("match", "import", path).exit_code == 0
    doc = json.loads(cli("match", "--json").stdout)
    assert doc["optimal"] is True
    ids = {r["id"] for r in doc["requirements"]}
    assert {"EX-R1", "EX-R2", "UKR-PATRIOT"} <= ids


def test_add_commands_write_and_check_the_catalog(cli: Cli, washington: Washington) -> None:
    washington(cli)
    assert cli("match", "add-item", "CRAM", "--component", "GEPARD:2").exit_code == 0
    assert cli("match", "add-requirement", "R-CRAM", "CRAM", "1", "--priority", "90").exit_code == 0
    added = cli(
        "match", "add-offer", "O-CRAM", "POL", "GEPARD", "2", "--available-from", "2025-01-01"
    )
    assert added.exit_code == 0, added.stderr
    cycle = cli("match", "add-item", "GEPARD", "--component", "CRAM:1")
    assert cycle.exit_code == 2 and "cycle" in cycle.stderr
    bad_date = cli("match", "add-offer", "O-X", "POL", "GEPARD", "1", "--available-from", "soon")
    assert bad_date.exit_code == 2
    assert (
        bad_date.stderr == "error: offers[O-X].available_from: 'soon' is not a date (YYYY-MM-DD)\n"
    )
    doc = json.loads(cli("match", "--json").stdout)
    assert next(r for r in doc["requirements"] if r["id"] == "R-CRAM")["delivered"] == 1


def test_washington_plan_validates(cli: Cli, washington: Washington) -> None:
    washington(cli)
    from ramstein.io.washington import air_defence
    from ramstein.plan.match import solve_match

    instance = air_defence()
    plan = solve_match(instance)
    assert validate_match(instance, plan) == []
    assert parse_match(json.dumps(json.loads(EXAMPLE.read_text())))
