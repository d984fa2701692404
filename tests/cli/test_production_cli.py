"""`ramstein production ...`: Ukraine's capacity as supply for the match, and its funding."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ramstein.domain.production import Capacity, funding_needs, offers
from tests.conftest import Cli, Washington, assert_bad_input


def _doc(**changes: Any) -> dict[str, Any]:
    capacity: dict[str, Any] = {
        "maker": "UKR-MAKER-1",
        "item": "PATRIOT_INTERCEPTOR",
        "month": "2025-11",
        "units": 40,
        "unit_price": 1e6,
    }
    capacity.update(changes)
    return {"format": "ramstein.production/1", "capacities": [capacity]}


def test_capacity_supplies_the_match_and_prices_its_funding(
    sqlite_cli: Cli,
    write_json: Any,
    washington: Washington,
) -> None:
    cli = sqlite_cli
    washington(cli, kiel=False)
    before = json.loads(cli("match", "--json").stdout)
    lines = {r["id"]: r for r in before["requirements"]}
    short = lines["UKR-PATRIOT-INTERCEPTORS"]
    assert short["delivered"] < 300  # the interceptors requirement is not covered

    added = cli("production", "add", write_json(_doc(), "capacity.json"))
    assert added.exit_code == 0, added.stderr
    offered = cli("match", "offers", "--donor", "UKR").stdout
    assert "UKR-PROD:UKR-MAKER-1:PATRIOT_INTERCEPTOR:2025-11" in offered
    after = json.loads(cli("match", "--json").stdout)
    line = next(r for r in after["requirements"] if r["id"] == "UKR-PATRIOT-INTERCEPTORS")
    drawn = sum(s["quantity"] for s in line["sources"] if s["offer"].startswith("UKR-PROD:"))
    assert drawn == 40 and line["delivered"] == short["delivered"] + 40
    listed = cli("production", "list")
    assert listed.exit_code == 0 and "40,000,000 EUR" in listed.stdout
    again = cli("production", "add", write_json(_doc(), "capacity.json"))
    assert "0 of 1 capacities" in again.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"month": "2025-13"}, "error: capacities[0].month: String should match pattern"),
        ({"units": 0}, "error: capacities[0].units: Input should be greater than or equal to 1"),
        ({"colour": "red"}, "error: capacities[0].colour: unknown key 'colour'"),
    ],
)
def test_bad_capacity_files_exit_2_with_one_line(
    sqlite_cli: Cli, write_json: Any, changes: dict[str, Any], message: str
) -> None:
    assert_bad_input(sqlite_cli("production", "add", write_json(_doc(**changes))), message)


def test_funding_needs_count_only_what_a_plan_draws() -> None:
    from datetime import date

    from ramstein.domain.plans import MatchPlan, RequirementPlan, SolveStats, SolveStatus, Source

    capacity = Capacity("M", "GEPARD", date(2025, 12, 1), 5, 2e6)
    [offer] = offers([capacity])
    assert (offer.donor, offer.quantity, offer.available_from) == ("UKR", 5, date(2025, 12, 1))
    assert funding_needs([capacity], None)[0].amount == 0
    plan = MatchPlan(
        score=1,
        bound=1,
        optimal=True,
        requirements=(
            RequirementPlan("R", 3, 3, (Source(capacity.id, "GEPARD", 3),), ()),
            RequirementPlan("S", 1, 0, (Source("OTHER", "GEPARD", 1),), ()),
        ),
        stats=SolveStats("test", SolveStatus.OPTIMAL, 1, 1, 0.0),
    )
    [need] = funding_needs([capacity], plan)
    assert (need.planned_units, need.amount) == (3, 6e6)
