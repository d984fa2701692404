"""`ramstein route` and `ramstein track`: files, the store, tracking, re-planning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ramstein.io.route_json import parse_logistics
from ramstein.plan.route import solve_route
from ramstein.plan.validate import validate_route
from ramstein.services.routing import remaining_instance
from ramstein.store import logistics
from ramstein.store.db import Store
from ramstein.store.plans import list_plans
from tests.conftest import Cli, Washington, assert_bad_input, set_path

EXAMPLE = Path(__file__).parent.parent / "plan" / "logistics_example.json"


@pytest.fixture
def example() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return doc


def test_route_file_json_prints_the_plan(sqlite_cli: Cli) -> None:
    result = sqlite_cli("route", str(EXAMPLE), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "ramstein.route-plan/1"
    assert (doc["objective"], doc["bound"], doc["optimal"]) == (78.0, 78.0, True)
    assert len(doc["hubs"][0]["load"]) == 30


BAD: list[tuple[str, Any, str]] = [
    ("not JSON", lambda d: "{", "error: (document): not JSON"),
    (
        "unknown node",
        lambda d: set_path(d, ["links", 1, "to"], "UKR_EAST"),
        "error: links[HUB_POL->UKR_EAST].to: unknown node 'UKR_EAST'",
    ),
    (
        "unknown consignment node",
        lambda d: set_path(d, ["consignments", 0, "origin"], "DEPOT_FRA"),
        "error: consignments[K1].origin: unknown node 'DEPOT_FRA'",
    ),
    (
        "duplicate link",
        lambda d: set_path(d, ["links"], [*d["links"], dict(d["links"][0], cost=1.0)]),
        "error: links[DEPOT_DEU->HUB_POL]: duplicate link",
    ),
    (
        "due outside the horizon",
        lambda d: set_path(d, ["consignments", 0, "due"], 30),
        "error: consignments[K1].due: 30 is outside 0..29",
    ),
    (
        "negative pallets",
        lambda d: set_path(d, ["consignments", 0, "pallets"], -3),
        "error: consignments[K1].pallets: Input should be greater than or equal to 0",
    ),
    (
        "unknown key",
        lambda d: set_path(d, ["nodes", 1, "throughtput"], 5),
        "error: nodes[HUB_POL].throughtput: unknown key 'throughtput'",
    ),
    (
        "hub without throughput",
        lambda d: set_path(d, ["nodes", 1], {"id": "HUB_POL", "kind": "hub"}),
        "error: nodes[HUB_POL].throughput: a hub needs a throughput",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_logistics_file_exits_2_with_one_line(
    sqlite_cli: Cli,
    example: dict[str, Any],
    write_json: Any,
    case: str,
    mutate: Any,
    message: str,
) -> None:
    result = sqlite_cli("route", write_json(mutate(example)), "--json")
    assert_bad_input(result, message)


@pytest.mark.parametrize(("case", "mutate", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_logistics_import_leaves_the_store_untouched(
    cli: Cli,
    example: dict[str, Any],
    write_json: Any,
    case: str,
    mutate: Any,
    message: str,
    washington: Washington,
) -> None:
    washington(cli)
    before = cli("route", "hubs").stdout, _consignments(cli)
    result = cli("route", "import", write_json(mutate(example)), "--start", "2025-01-01")
    assert result.exit_code == 2 and result.stderr.startswith(message)
    assert (cli("route", "hubs").stdout, _consignments(cli)) == before


def _consignments(cli: Cli) -> list[str]:
    store = Store(cli.url)
    with store.transaction() as session:
        rows = [f"{r.id}:{r.pallets}:{r.ready}" for r in logistics.consignment_rows(session)]
    store.close()
    return rows


def test_stored_plans_track_and_replan(cli: Cli, washington: Washington) -> None:
    washington(cli)
    first = cli("route", "--time-limit", "60")
    assert first.exit_code == 0, first.stderr
    assert "saved as route plan version 1" in first.stdout
    assert "HUB_POL" in cli("route", "hubs").stdout

    k = "K-WAS24-USA-PATRIOT"
    steps = [
        ("dispatched", "60", "DEPOT_USA", "--to", "HUB_POL", "--at", "2024-09-02T08:00"),
        ("arrived_hub", "58", "HUB_POL", "--at", "2024-09-04T08:00"),
        ("lost", "2", "HUB_POL", "--at", "2024-09-04T09:00"),
    ]
    for step in steps:
        done = cli("route", "event", k, *step)
        assert done.exit_code == 0, done.stderr
    refused = cli("route", "event", k, "received", "70", "UKR_CENTRAL", "--at", "2024-09-05")
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"error: events[{k}].pallets: received 70 pallets at UKR_CENTRAL, but only 0 are "
        "transit UKR_CENTRAL\n"
    )
    late = cli(
        "route",
        "event",
        k,
        "dispatched",
        "1",
        "HUB_POL",
        "--to",
        "UKR_CENTRAL",
        "--at",
        "2024-09-01T00:00",
    )
    assert late.exit_code == 2 and "is before the last event" in late.stderr

    tracked = cli("track", k)
    assert tracked.exit_code == 0
    assert "arrived_hub" in tracked.stdout and "58" in tracked.stdout

    report = cli("route", "discrepancies")
    usa = next(line for line in report.stdout.splitlines() if " USA " in line)
    assert usa.split("│")[3:8] == [
        " 60              ",
        " 0                ",
        " 0       ",
        " 2    ",
        " 58   ",
    ]

    closed = cli("route", "close", "HUB_POL", "--from", "2024-09-05", "--to", "2024-09-12")
    assert closed.exit_code == 0
    again = cli("route", "--replan", "--now", "2024-09-05", "--time-limit", "60")
    assert again.exit_code == 0, again.stderr

    store = Store(cli.url)
    with store.transaction() as session:
        records = list_plans(session, "route")
        remaining = remaining_instance(session, __import__("datetime").date(2024, 9, 5))
    store.close()
    assert [r.version for r in records] == [1, 2]
    assert records[1].document["replanned_at"] == "2024-09-05"
    ids = {c.id: c for c in remaining.consignments}
    assert ids[f"{k}@HUB_POL"].pallets == 56  # 58 arrived, 2 lost there
    assert ids[f"{k}>HUB_POL"].pallets == 2  # still on the road
    assert k not in ids  # nothing left at the depot
    # Re-planned: no pallet arrives at the closed hub while it is closed.
    load = next(h["load"] for h in records[1].document["hubs"] if h["id"] == "HUB_POL")
    assert load[4:12] == [0] * 8
    plan = solve_route(remaining)
    assert validate_route(remaining, plan) == []


def test_washington_logistics_plan_validates() -> None:
    from ramstein.io.washington import logistics as washington_logistics

    instance = washington_logistics()
    plan = solve_route(instance)
    assert validate_route(instance, plan) == []
    assert all(c.undelivered == 0 for c in plan.consignments)
    assert parse_logistics(EXAMPLE.read_text()).horizon == 30
