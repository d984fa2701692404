"""The route planner: the format's example, and properties on random small networks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramstein.domain.logistics import (
    Consignment,
    Link,
    LogisticsInstance,
    Node,
    NodeKind,
    ThroughputOverride,
)
from ramstein.io.route_json import parse_logistics, plan_document
from ramstein.plan.route import baseline_route, solve_route
from ramstein.plan.validate import validate_route

EXAMPLE = Path(__file__).parent / "logistics_example.json"


def test_the_format_example_costs_78_optimally() -> None:
    instance = parse_logistics(EXAMPLE.read_text())
    plan = solve_route(instance)
    assert validate_route(instance, plan) == []
    doc = plan_document(plan)
    assert (doc["objective"], doc["bound"], doc["optimal"]) == (78.0, 78.0, True)
    assert doc["movements"] == [
        {
            "consignment": "K1",
            "from": "DEPOT_DEU",
            "to": "HUB_POL",
            "depart": 0,
            "arrive": 2,
            "pallets": 12,
        },
        {
            "consignment": "K1",
            "from": "HUB_POL",
            "to": "UKR_WEST",
            "depart": 2,
            "arrive": 3,
            "pallets": 12,
        },
    ]
    assert doc["consignments"] == [
        {"id": "K1", "delivered": 12, "undelivered": 0, "last_arrival": 3, "late_pallet_periods": 0}
    ]
    (hub,) = doc["hubs"]
    assert hub["id"] == "HUB_POL" and len(hub["load"]) == 30 and hub["load"][2] == 12
    assert sum(hub["load"]) == 12


def _line(transit: int = 1, capacity: int = 10, throughput: int = 100) -> LogisticsInstance:
    return LogisticsInstance(
        "day",
        10,
        100.0,
        (
            Node("D", NodeKind.DEPOT),
            Node("H", NodeKind.HUB, throughput),
            Node("X", NodeKind.DESTINATION),
        ),
        (Link("D", "H", transit, capacity, 1.0), Link("H", "X", 1, capacity, 1.0)),
        (Consignment("K", "I", 25, "D", "X", 0, 3, 2.0),),
    )


def test_capacity_spreads_pallets_over_periods_and_lateness_is_charged() -> None:
    instance = _line(capacity=10)
    plan = solve_route(instance)
    assert validate_route(instance, plan) == []
    (k,) = plan.consignments
    assert k.delivered == 25
    # 10 arrive in period 2, 10 in 3, 5 in 4 (one period late).
    assert k.last_arrival == 4 and k.late_pallet_periods == 5
    assert plan.objective == pytest.approx(25 * 2 + 100 * 2 * 5)


def test_a_closed_hub_delays_everything_behind_it() -> None:
    base = _line(capacity=100)
    closed = LogisticsInstance(
        base.period,
        base.horizon,
        base.late_weight,
        base.nodes,
        base.links,
        base.consignments,
        (ThroughputOverride("H", 0, 4, 0),),
    )
    plan = solve_route(closed)
    assert validate_route(closed, plan) == []
    assert plan.hub_loads["H"][:5] == (0, 0, 0, 0, 0)
    assert plan.consignments[0].last_arrival == 6


def test_pallets_that_cannot_arrive_in_the_horizon_stay_put_and_are_charged() -> None:
    instance = _line(transit=9)
    plan = solve_route(instance)
    assert validate_route(instance, plan) == []
    assert plan.movements == ()
    assert plan.consignments[0].undelivered == 25
    assert plan.objective == pytest.approx(100 * 2 * (10 - 3) * 25)


@st.composite
def networks(draw: st.DrawFn) -> LogisticsInstance:
    horizon = draw(st.integers(4, 10))
    depots = [f"D{i}" for i in range(draw(st.integers(1, 3)))]
    hubs = [f"H{i}" for i in range(draw(st.integers(1, 3)))]
    dests = [f"X{i}" for i in range(draw(st.integers(1, 2)))]
    nodes = (
        [Node(d, NodeKind.DEPOT) for d in depots]
        + [Node(h, NodeKind.HUB, draw(st.integers(0, 8))) for h in hubs]
        + [Node(x, NodeKind.DESTINATION) for x in dests]
    )
    pairs = [(d, h) for d in depots for h in hubs] + [(h, x) for h in hubs for x in dests]
    pairs += [(a, b) for a in hubs for b in hubs if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, unique=True))
    links = tuple(
        Link(u, v, draw(st.integers(1, 3)), draw(st.integers(0, 6)), float(draw(st.integers(0, 5))))
        for u, v in chosen
    )
    consignments = tuple(
        Consignment(
            f"K{k}",
            "ITEM",
            draw(st.integers(0, 9)),
            draw(st.sampled_from(depots)),
            draw(st.sampled_from(dests)),
            draw(st.integers(0, horizon - 1)),
            draw(st.integers(0, horizon - 1)),
            float(draw(st.integers(1, 4))),
        )
        for k in range(draw(st.integers(1, 4)))
    )
    overrides = ()
    if draw(st.booleans()):
        start = draw(st.integers(0, horizon - 1))
        overrides = (ThroughputOverride(hubs[0], start, start + 1, draw(st.integers(0, 2))),)
    return LogisticsInstance(
        "day",
        horizon,
        float(draw(st.integers(0, 20))),
        tuple(nodes),
        links,
        consignments,
        overrides,
    )


@settings(max_examples=120, deadline=None)
@given(networks())
def test_plans_are_valid_and_never_worse_than_the_baseline(instance: LogisticsInstance) -> None:
    exact = solve_route(instance)
    baseline = baseline_route(instance)
    assert validate_route(instance, exact) == []
    assert validate_route(instance, baseline) == []
    assert exact.optimal
    assert exact.objective <= baseline.objective + 1e-6


@settings(max_examples=40, deadline=None)
@given(networks())
def test_the_validator_catches_a_doubled_movement(instance: LogisticsInstance) -> None:
    from dataclasses import replace

    plan = solve_route(instance)
    if not plan.movements:
        return
    doubled = replace(plan, movements=(plan.movements[0], *plan.movements))
    assert validate_route(instance, doubled) != []


def test_example_file_parses_as_the_format() -> None:
    assert json.loads(EXAMPLE.read_text())["format"] == "ramstein.logistics/1"
