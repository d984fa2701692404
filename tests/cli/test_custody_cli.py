"""`ramstein custody` and serials on `ramstein route event`: a sensitive item's serials are
checked at dispatch, at the hub and at receipt; a serial missing at a checkpoint is flagged;
every consignment's status (ready, shipped, delivered with day and place)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Cli, Washington, assert_bad_input

K = "K-WAS24-USA-INTERCEPTORS"  # 100 pallets of Patriot interceptors (sensitive), US depot


@pytest.fixture
def loaded(cli: Cli, washington: Washington) -> Cli:
    """The Washington dataset on SQLite and PostgreSQL."""
    washington(cli, kiel=False)
    return cli


def _event(cli: Cli, *args: str) -> None:
    result = cli("route", "event", *args)
    assert result.exit_code == 0, result.stderr


def _report(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("custody", "report", "--json", *args)
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _deliveries(cli: Cli) -> dict[str, dict[str, Any]]:
    result = cli("custody", "deliveries", "--json")
    assert result.exit_code == 0, result.stderr
    return {c["id"]: c for c in json.loads(result.stdout)["consignments"]}


def test_a_serial_missing_at_the_hub_is_flagged_with_its_last_known_place(loaded: Cli) -> None:
    assert _report(loaded)["sensitive_items"] == ["PATRIOT_INTERCEPTOR"]
    assert_bad_input(
        loaded("route", "event", K, "dispatched", "100", "DEPOT_USA", "--to", "HUB_POL"),
        f"error: events[{K}].serials: PATRIOT_INTERCEPTOR is sensitive",
    )
    assert _deliveries(loaded)[K]["status"] == "ready"
    _event(
        loaded,
        K,
        "dispatched",
        "100",
        "DEPOT_USA",
        "--to",
        "HUB_POL",
        "--serial",
        "P1,P2,P3",
        "--serial",
        "P4",
        "--at",
        "2025-02-01T08:00",
    )
    assert _deliveries(loaded)[K]["status"] == "shipped"
    in_transit = _report(loaded)
    assert {s["serial"]: s["state"] for s in in_transit["serials"]} == dict.fromkeys(
        ("P1", "P2", "P3", "P4"), "in_transit"
    )
    assert in_transit["discrepancies"] == []  # all on their way: none missing yet
    _event(
        loaded,
        K,
        "arrived_hub",
        "100",
        "HUB_POL",
        "--serial",
        "P1,P2,P4",
        "--at",
        "2025-02-03T08:00",
    )
    after_hub = _report(loaded, "--consignment", K)
    assert after_hub["discrepancies"] == [
        {
            "serial": "P3",
            "item": "PATRIOT_INTERCEPTOR",
            "consignment": K,
            "kind": "missing",
            "checkpoint": "HUB_POL",
            "last_place": "DEPOT_USA",
        }
    ]
    p3 = next(s for s in after_hub["serials"] if s["serial"] == "P3")
    assert (p3["state"], p3["place"], p3["to"], p3["missing"]) == (
        "in_transit",
        "DEPOT_USA",
        "HUB_POL",
        True,
    )
    _event(
        loaded,
        K,
        "dispatched",
        "100",
        "HUB_POL",
        "--to",
        "UKR_CENTRAL",
        "--serial",
        "P1,P2,P4",
        "--at",
        "2025-02-04T08:00",
    )
    _event(
        loaded,
        K,
        "received",
        "100",
        "UKR_CENTRAL",
        "--serial",
        "P1,P2,P4",
        "--at",
        "2025-02-06T10:00",
    )
    final = _report(loaded)
    assert {s["serial"]: (s["state"], s["place"]) for s in final["serials"]} == {
        "P1": ("received", "UKR_CENTRAL"),
        "P2": ("received", "UKR_CENTRAL"),
        "P3": ("in_transit", "DEPOT_USA"),
        "P4": ("received", "UKR_CENTRAL"),
    }
    assert [(d["serial"], d["kind"]) for d in final["discrepancies"]] == [("P3", "missing")]
    delivered = _deliveries(loaded)[K]
    assert (delivered["status"], delivered["delivered_on"], delivered["place"]) == (
        "delivered",
        "2025-02-06",
        "UKR_CENTRAL",
    )
    table = loaded("custody", "report")
    assert table.exit_code == 0
    assert "MISSING" in table.stdout and "Discrepancies: 1" in table.stdout


def test_items_not_sensitive_carry_no_serials_until_marked(loaded: Cli) -> None:
    gepard = "K-ILL-DEU-GEPARD"
    assert_bad_input(
        loaded(
            "route",
            "event",
            gepard,
            "dispatched",
            "1",
            "DEPOT_DEU",
            "--to",
            "HUB_POL",
            "--serial",
            "G1",
        ),
        f"error: events[{gepard}].serials: GEPARD is not marked sensitive",
    )
    assert loaded("custody", "sensitive", "GEPARD").exit_code == 0
    assert_bad_input(
        loaded("route", "event", gepard, "dispatched", "1", "DEPOT_DEU", "--to", "HUB_POL"),
        f"error: events[{gepard}].serials: GEPARD is sensitive",
    )
    _event(loaded, gepard, "dispatched", "1", "DEPOT_DEU", "--to", "HUB_POL", "--serial", "G1")
    assert "GEPARD" in _report(loaded)["sensitive_items"]


def test_a_unit_leaves_its_depot_once(loaded: Cli) -> None:
    _event(loaded, K, "dispatched", "10", "DEPOT_USA", "--to", "HUB_POL", "--serial", "P1")
    assert_bad_input(
        loaded(
            "route",
            "event",
            K,
            "dispatched",
            "10",
            "DEPOT_USA",
            "--to",
            "HUB_POL",
            "--serial",
            "P1",
        ),
        f"error: events[{K}].serials: 'P1' of PATRIOT_INTERCEPTOR was dispatched before",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("custody", "report", "--consignment", "NOPE"), "error: consignments[NOPE]:"),
        (("custody", "sensitive", "NOPE"), "error: items[NOPE]: no such item"),
        (
            ("route", "event", K, "arrived_hub", "1", "HUB_POL", "--serial", "P1 P2"),
            f"error: events[{K}].pallets:",  # nothing has left the depot yet
        ),
        (
            (
                "route",
                "event",
                K,
                "dispatched",
                "1",
                "DEPOT_USA",
                "--to",
                "HUB_POL",
                "--serial",
                "P1",
                "--serial",
                "P1",
            ),
            f"error: events[{K}].serials: a serial is listed twice",
        ),
        (
            (
                "route",
                "event",
                K,
                "dispatched",
                "1",
                "DEPOT_USA",
                "--to",
                "HUB_POL",
                "--serial",
                "bad/serial",
            ),
            f"error: events[{K}].serials:",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(loaded: Cli, args: tuple[str, ...], message: str) -> None:
    assert_bad_input(loaded(*args), message)
    assert _report(loaded)["serials"] == []  # nothing half-written
