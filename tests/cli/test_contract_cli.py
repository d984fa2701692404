"""`ramstein contract ...`: the Stinger data, donated lots as offers and then as contributions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Cli, Washington, assert_bad_input


def _contract(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "ramstein.contract/1",
        "id": "NSPA-IRIST-2025",
        "agency": "NSPA",
        "supplier": "Diehl",
        "item": "IRIST_SLM_MISSILE",
        "currency": "EUR",
        "total_value": 120e6,
        "signed": "2025-01-15",
        "tiers": [
            {"min_quantity": 1, "unit_price": 450000},
            {"min_quantity": 200, "unit_price": 400000},
        ],
        "buyers": [
            {"iso3": "DEU", "ordered": 150, "funding_share": 0.5},
            {"iso3": "NLD", "ordered": 90, "funding_share": 0.3, "donate": 30},
            {"iso3": "NOR", "ordered": 60, "funding_share": 0.2},
        ],
        "lots": [
            {"id": "L1", "quantity": 100, "expected": "2025-04-30"},
            {"id": "L2", "quantity": 100, "expected": "2025-08-31"},
            {"id": "L3", "quantity": 100, "expected": "2025-12-31"},
        ],
    }
    doc.update(changes)
    return doc


def _counted(cli: Cli, iso3: str) -> float:
    doc = json.loads(cli("shares", "--json").stdout)
    return float(next(n["counted_eur"] for n in doc["nations"] if n["iso3"] == iso3))


def test_washington_shows_the_stinger_contract_with_its_three_buyers(
    cli: Cli, washington: Washington
) -> None:
    washington(cli)
    listed = cli("contract", "list")
    assert "NSPA-STINGER-2024" in listed.stdout and "DEU, ITA, NLD" in listed.stdout
    doc = json.loads(cli("contract", "show", "NSPA-STINGER-2024", "--json").stdout)
    assert [b["iso3"] for b in doc["buyers"]] == ["DEU", "ITA", "NLD"]
    assert sum(b["ordered"] for b in doc["buyers"]) == 940
    assert doc["unit_price"] * 940 == pytest.approx(700e6, rel=1e-6)
    lots = doc["allocation"]["lots"]
    assert sum(sum(s["kept"] + s["donated"] for s in lot["shares"]) for lot in lots) == 940
    assert all(s["donated"] == 0 for lot in lots for s in lot["shares"])  # procurement only
    assert cli("load", "washington-2024").exit_code == 0  # twice: unchanged


def test_donated_units_become_offers_then_counted_contributions(
    cli: Cli, write_json: Any, washington: Washington
) -> None:
    washington(cli)
    assert cli("contract", "add", write_json(_contract(), "c.json")).exit_code == 0
    offers = cli("match", "offers", "--donor", "NLD").stdout
    assert "NSPA-IRIST-2025:L1:NLD" in offers
    before = _counted(cli, "NLD")

    delivered = cli("contract", "deliver-lot", "NSPA-IRIST-2025", "L1", "--on", "2025-05-02")
    assert delivered.exit_code == 0, delivered.stderr
    doc = json.loads(cli("contract", "show", "NSPA-IRIST-2025", "--json").stdout)
    first = doc["allocation"]["lots"][0]
    assert first["delivered"] and first["on"] == "2025-05-02"
    nld = next(s for s in first["shares"] if s["iso3"] == "NLD")
    assert nld["donated"] == min(30, nld["kept"] + nld["donated"]) > 0
    # Counted in the Netherlands' ledger at the unit price paid (300 units: the 200+ tier).
    assert _counted(cli, "NLD") - before == pytest.approx(nld["donated"] * 400000)
    history = cli("contribution", "history", "NSPA-IRIST-2025:L1:NLD")
    assert "delivered" in history.stdout
    assert_bad_input(
        cli("contract", "deliver-lot", "NSPA-IRIST-2025", "L1", "--on", "2025-05-03"),
        "error: contracts[NSPA-IRIST-2025].lots[L1]: is already delivered",
    )


def test_a_delay_re_plans_and_is_recorded(
    cli: Cli, write_json: Any, washington: Washington
) -> None:
    washington(cli)
    assert cli("contract", "add", write_json(_contract(), "c.json")).exit_code == 0
    moved = cli("contract", "delay-lot", "NSPA-IRIST-2025", "L1", "--to", "2026-03-31")
    assert moved.exit_code == 0, moved.stderr
    doc = json.loads(cli("contract", "show", "NSPA-IRIST-2025", "--json").stdout)
    assert [lot["lot"] for lot in doc["allocation"]["lots"]] == ["L2", "L3", "L1"]
    assert "lot delayed" in cli("contract", "show", "NSPA-IRIST-2025").stdout
    # The donated units now come from L2 first: the offers follow.
    assert "NSPA-IRIST-2025:L2:NLD" in cli("match", "offers", "--donor", "NLD").stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"buyers": [{"iso3": "DEU", "ordered": 300, "funding_share": 0.9}]},
            "error: contracts[NSPA-IRIST-2025].buyers: funding shares add up to 0.9, not 1",
        ),
        (
            {"lots": [{"id": "L1", "quantity": 10, "expected": "2025-04-30"}]},
            "error: contracts[NSPA-IRIST-2025].lots: lots add up to 10 units, the buyers "
            "ordered 300",
        ),
        (
            {"buyers": [{"iso3": "XXX", "ordered": 300, "funding_share": 1}]},
            "error: contracts[NSPA-IRIST-2025].buyers[XXX]: unknown nation",
        ),
        (
            {"buyers": [{"iso3": "DEU", "ordered": 300, "funding_share": 1, "donate": 400}]},
            "error: contracts[NSPA-IRIST-2025].buyers[DEU].donate: must lie in 0..300",
        ),
        ({"signed": "yesterday"}, "error: signed:"),
    ],
)
def test_bad_contracts_are_one_line_errors_and_nothing_is_stored(
    cli: Cli,
    write_json: Any,
    changes: dict[str, Any],
    message: str,
    washington: Washington,
) -> None:
    washington(cli)
    assert_bad_input(cli("contract", "add", write_json(_contract(**changes), "c.json")), message)
    assert "NSPA-IRIST-2025" not in cli("contract", "list").stdout


def test_bad_lot_commands_are_one_line_errors(
    cli: Cli, write_json: Any, washington: Washington
) -> None:
    washington(cli)
    assert cli("contract", "add", write_json(_contract(), "c.json")).exit_code == 0
    assert_bad_input(
        cli("contract", "deliver-lot", "NOPE", "L1", "--on", "2025-05-02"),
        "error: contracts[NOPE]: no such contract",
    )
    assert_bad_input(
        cli("contract", "deliver-lot", "NSPA-IRIST-2025", "L9", "--on", "2025-05-02"),
        "error: contracts[NSPA-IRIST-2025].lots: no lot 'L9'",
    )
    assert_bad_input(
        cli("contract", "delay-lot", "NSPA-IRIST-2025", "L2", "--to", "2025-01-01"),
        "error: to: a delay moves the lot later than 2025-08-31",
    )
    assert_bad_input(
        cli("contract", "deliver-lot", "NSPA-IRIST-2025", "L2", "--on", "2025-13-01"),
        "error: on:",
    )
