"""Credit: who paid gets it, once, for each pattern of funding and delivery."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from ramstein.io.scenario_json import parse_scenario
from ramstein.shares.fair import compute_shares
from tests.conftest import Cli, assert_bad_input

NATIONS = ["CZE", "DNK", "NLD", "DEU", "POL"]


def _scenario(contributions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "ramstein.scenario/1",
        "baseline": {"amount": 10e9, "currency": "EUR"},
        "period": {"start": "2025-01-01", "end": "2025-12-31"},
        "key": {"indicator": "gdp", "year": 2023},
        "nations": [
            {"iso3": n, "gdp": {"2023": {"amount": 100 + i, "currency": "EUR", "unit": "bn"}}}
            for i, n in enumerate(NATIONS)
        ],
        "contributions": contributions,
    }


def _flow(cid: str, donor: str, amount: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "donor": donor,
        "amount": amount,
        "currency": "EUR",
        "date": "2025-03-01",
        "category": "equipment",
        "status": "delivered",
        **extra,
    }


def _counted(contributions: list[dict[str, Any]]) -> dict[str, float]:
    result = compute_shares(parse_scenario(json.dumps(_scenario(contributions))))
    return {n.iso3: n.counted_eur for n in result.nations}


def _paid_once(counted: dict[str, float], paid: float) -> None:
    assert math.fsum(counted.values()) == pytest.approx(paid)


def test_single_donor_is_credited_with_what_it_gave() -> None:
    counted = _counted([_flow("a", "DEU", 300e6)])
    assert counted["DEU"] == 300e6
    _paid_once(counted, 300e6)


def test_co_funded_flow_is_split_by_the_funders_shares() -> None:
    funders = [{"iso3": "DNK", "share": 0.6}, {"iso3": "NLD", "share": 0.4}]
    counted = _counted([_flow("f16", "DNK", 500e6, funders=funders)])
    assert counted["DNK"] == pytest.approx(300e6)
    assert counted["NLD"] == pytest.approx(200e6)
    _paid_once(counted, 500e6)


def test_trust_fund_money_is_credited_at_the_payment_not_again_at_the_purchase() -> None:
    counted = _counted(
        [
            _flow("fund", "DEU", 100e6, category="trust_fund", channel="nato"),
            _flow("fuel", "POL", 60e6, parent="fund"),
            _flow("radios", "POL", 40e6, parent="fund"),
        ]
    )
    assert counted["DEU"] == 100e6
    assert counted["POL"] == 0
    _paid_once(counted, 100e6)


def test_funded_by_one_delivered_by_another_credits_the_payer() -> None:
    # The Czech ammunition initiative: the Czech Republic procures and delivers, others pay.
    funders = [{"iso3": "DNK", "share": 0.5}, {"iso3": "NLD", "share": 0.5}]
    counted = _counted([_flow("shells", "CZE", 800e6, funders=funders), _flow("own", "CZE", 50e6)])
    assert counted["CZE"] == 50e6
    assert counted["DNK"] == counted["NLD"] == pytest.approx(400e6)
    _paid_once(counted, 850e6)


def test_credit_report_lists_split_and_channelled_flows_with_their_rule(
    sqlite_cli: Cli, write_json: Any
) -> None:
    doc = _scenario(
        [
            _flow("plain", "DEU", 10e6),
            _flow("shells", "CZE", 800e6, funders=[{"iso3": "DNK", "share": 1}]),
            _flow("fund", "NLD", 100e6, category="trust_fund"),
            _flow("fuel", "POL", 60e6, parent="fund"),
        ]
    )
    result = sqlite_cli("credit", write_json(doc), "--json")
    assert result.exit_code == 0, result.stderr
    flows = {f["id"]: f for f in json.loads(result.stdout)["flows"]}
    assert set(flows) == {"shells", "fuel"}
    assert flows["shells"]["rule"] == "funders"
    assert flows["shells"]["credits"] == [{"iso3": "DNK", "eur": 800e6}]
    assert flows["fuel"] == {
        "id": "fuel",
        "donor": "POL",
        "eur": 60e6,
        "rule": "channelled",
        "root": "fund",
        "credits": [],
    }
    table = sqlite_cli("credit", write_json(doc))
    assert "nobody: credited at fund" in table.stdout


@pytest.mark.parametrize(
    ("contributions", "message"),
    [
        (
            [_flow("a", "CZE", 1e6, funders=[{"iso3": "DNK", "share": 0.5}])],
            "error: contributions[a].funders: shares add up to 0.5, not 1",
        ),
        (
            [_flow("a", "CZE", 1e6, funders=[{"iso3": "SWE", "share": 1}])],
            "error: contributions[a].funders: unknown nation 'SWE'",
        ),
        (
            [_flow("a", "CZE", 1e6, parent="zzz")],
            "error: contributions[a].parent: unknown contribution 'zzz'",
        ),
        (
            [_flow("a", "CZE", 1e6, parent="b"), _flow("b", "CZE", 1e6, parent="a")],
            "error: contributions[b].parent: makes a cycle",
        ),
        (
            [_flow("a", "DEU", 1e6), _flow("b", "POL", 2e6, parent="a")],
            "error: contributions[a].amount: its channelled flows add up to more than it",
        ),
        (
            [
                _flow("a", "DEU", 1e6),
                _flow("b", "POL", 1e6, parent="a", funders=[{"iso3": "POL", "share": 1}]),
            ],
            "error: contributions[b].funders: a channelled flow takes its credit from its parent",
        ),
    ],
)
def test_inconsistent_flows_are_one_line_errors_and_nothing_is_loaded(
    cli: Cli, write_json: Any, contributions: list[dict[str, Any]], message: str
) -> None:
    path = write_json(_scenario(contributions))
    assert_bad_input(cli("shares", path), message)
    assert_bad_input(cli("load", path), message)
    assert "Contributions" in cli("contribution", "list").stdout
    assert cli("contribution", "list").stdout.count("CZE") == 0


def test_funders_and_parents_survive_the_store(cli: Cli, write_json: Any) -> None:
    funders = [{"iso3": "DNK", "share": 0.25}, {"iso3": "NLD", "share": 0.75}]
    doc = _scenario(
        [
            # The child comes first in the file: the load orders parents first.
            _flow("fuel", "POL", 60e6, parent="fund"),
            _flow("fund", "DEU", 100e6, category="trust_fund"),
            _flow("shells", "CZE", 800e6, funders=funders),
        ]
    )
    path = write_json(doc)
    assert cli("load", path).exit_code == 0
    from_file = json.loads(cli("shares", path, "--json").stdout)
    from_store = json.loads(cli("shares", "--json").stdout)
    assert from_store == from_file
    counted = {n["iso3"]: n["counted_eur"] for n in from_store["nations"]}
    assert counted == pytest.approx({"CZE": 0, "DNK": 200e6, "NLD": 600e6, "DEU": 100e6, "POL": 0})
    again = cli("load", path)
    assert "0 of 3 contributions created or changed" in again.stdout
