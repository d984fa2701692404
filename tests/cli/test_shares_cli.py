"""`ramstein shares` and `ramstein load`: documents, tables, what-ifs and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ramstein.domain.errors import InputError
from ramstein.store import repositories
from ramstein.store.audit import revision
from ramstein.store.db import Store
from tests.conftest import Cli, Washington, assert_bad_input, set_path


def test_shares_file_json_prints_the_format_field_by_field(
    sqlite_cli: Cli, example_scenario: dict[str, Any], write_json: Any
) -> None:
    result = sqlite_cli("shares", write_json(example_scenario), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"format", "baseline_eur", "uncovered_eur", "nations"}
    assert doc["format"] == "ramstein.shares/1"
    assert doc["baseline_eur"] == 40e9
    assert doc["uncovered_eur"] == 0
    usa, hun = doc["nations"]
    assert set(usa) == {
        "iso3",
        "participating",
        "key_share",
        "fair_share_eur",
        "counted_eur",
        "gap_eur",
        "counted_pct_of_gdp",
    }
    assert usa["iso3"] == "USA" and usa["participating"] is True
    assert usa["key_share"] == 1.0
    assert usa["fair_share_eur"] == 40e9
    assert usa["counted_eur"] == 1.2e9
    assert usa["gap_eur"] == pytest.approx(38.8e9)
    assert usa["counted_pct_of_gdp"] == pytest.approx(100 * 1.2e9 / (27720.7e9 * 0.9248))
    assert hun == {
        "iso3": "HUN",
        "participating": False,
        "key_share": 0.0,
        "fair_share_eur": 0.0,
        "counted_eur": 0.0,
        "gap_eur": 0.0,
        "counted_pct_of_gdp": 0.0,
    }


def test_shares_file_uncovered_mode_reports_the_opt_outs_portion(
    sqlite_cli: Cli, example_scenario: dict[str, Any], write_json: Any
) -> None:
    example_scenario["opt_out_share"] = "uncovered"
    result = sqlite_cli("shares", write_json(example_scenario), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    usa_share = 27720.7 / (27720.7 + 212.4)
    assert doc["nations"][0]["key_share"] == pytest.approx(usa_share)
    assert doc["uncovered_eur"] == pytest.approx(40e9 * (1 - usa_share))


def test_what_if_options_apply_to_a_file(
    sqlite_cli: Cli, example_scenario: dict[str, Any], write_json: Any
) -> None:
    path = write_json(example_scenario)
    result = sqlite_cli("shares", path, "--json", "--baseline", "50e9", "--mode", "uncovered")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["baseline_eur"] == 50e9
    assert doc["uncovered_eur"] > 0


def test_load_washington_then_shares_prints_the_table(cli: Cli) -> None:
    loaded = cli("load", "washington-2024")
    assert loaded.exit_code == 0, loaded.stderr
    assert "37 nations" in loaded.stdout
    table = cli("shares")
    assert table.exit_code == 0, table.stderr
    usa_line = next(line for line in table.stdout.splitlines() if "United States" in line)
    assert "53.09" in usa_line and "21.24" in usa_line
    hun_line = next(line for line in table.stdout.splitlines() if "Hungary" in line)
    assert "(opt-out)" in hun_line and "0.00" in hun_line


def test_loading_twice_changes_nothing(cli: Cli, washington: Washington) -> None:
    washington(cli)
    first = cli("shares", "--json").stdout
    history = cli("contribution", "history", "WAS24-USA-PATRIOT").stdout
    store = Store(cli.url)
    with store.transaction(write=False) as session:
        before = revision(session)
    again = cli("load", "washington-2024")
    assert again.exit_code == 0
    assert "0 of 6 contributions created or changed" in again.stdout
    with store.transaction(write=False) as session:
        assert revision(session) == before  # not one audited write: items, flows, nothing
    store.close()
    assert cli("shares", "--json").stdout == first
    assert cli("contribution", "history", "WAS24-USA-PATRIOT").stdout.count("announced") == (
        history.count("announced")
    )


def test_without_the_united_states_shifts_the_load_to_everyone_else(
    cli: Cli, washington: Washington
) -> None:
    washington(cli)
    base = {n["iso3"]: n for n in json.loads(cli("shares", "--json").stdout)["nations"]}
    what_if = cli("shares", "--json", "--without", "USA")
    assert what_if.exit_code == 0, what_if.stderr
    after = {n["iso3"]: n for n in json.loads(what_if.stdout)["nations"]}
    assert after["USA"]["fair_share_eur"] == 0
    assert after["DEU"]["fair_share_eur"] > base["DEU"]["fair_share_eur"]
    assert sum(n["fair_share_eur"] for n in after.values()) == pytest.approx(40e9)
    table = cli("shares", "--without", "USA")
    assert "Change vs base" in table.stdout
    germany = next(line for line in table.stdout.splitlines() if "Germany" in line)
    assert "+3.92" in germany


def test_shares_on_an_empty_store_says_what_to_do(cli: Cli) -> None:
    result = cli("shares")
    assert result.exit_code == 2
    assert "ramstein load washington-2024" in result.stderr


BAD_INPUT: list[tuple[str, Any, str]] = [
    ("not JSON", lambda d: "{not json", "error: (document): not JSON"),
    (
        "unknown top-level key",
        lambda d: set_path(d, ["baseline_eur"], 1),
        "error: baseline_eur: unknown key 'baseline_eur'",
    ),
    (
        "unknown nested key",
        lambda d: set_path(d, ["contributions", 0, "amout"], 5),
        "error: contributions[c1].amout: unknown key 'amout'",
    ),
    (
        "unknown nation (donor)",
        lambda d: set_path(d, ["contributions", 0, "donor"], "XYZ"),
        "error: contributions[c1].donor: unknown nation 'XYZ'",
    ),
    (
        "unknown nation (opt-out)",
        lambda d: set_path(d, ["opt_out"], ["FRA"]),
        "error: opt_out: unknown nation 'FRA'",
    ),
    (
        "negative amount",
        lambda d: set_path(d, ["contributions", 0, "amount"], -5),
        "error: contributions[c1].amount: Input should be greater than or equal to 0",
    ),
    (
        "bad date",
        lambda d: set_path(d, ["contributions", 0, "date"], "2025-02-30"),
        "error: contributions[c1].date: Input should be a valid date",
    ),
    (
        "missing FX rate",
        lambda d: set_path(d, ["contributions", 0, "currency"], "XTS"),
        "error: contributions[c1].currency: no FX rate XTS->EUR for 2025",
    ),
    (
        "wrong format",
        lambda d: set_path(d, ["format"], "ramstein.match/1"),
        "error: format: Input should be 'ramstein.scenario/1'",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_scenario_file_exits_2_with_one_line(
    sqlite_cli: Cli,
    example_scenario: dict[str, Any],
    write_json: Any,
    case: str,
    mutate: Any,
    message: str,
) -> None:
    result = sqlite_cli("shares", write_json(mutate(example_scenario)), "--json")
    assert_bad_input(result, message)


def _store_state(cli: Cli) -> tuple[str, str]:
    shares = cli("shares", "--json")
    ledger = cli("contribution", "list")
    assert shares.exit_code == 0 and ledger.exit_code == 0
    return shares.stdout, ledger.stdout


@pytest.mark.parametrize(("case", "mutate", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_scenario_file_leaves_the_store_untouched(
    cli: Cli,
    example_scenario: dict[str, Any],
    write_json: Any,
    case: str,
    mutate: Any,
    message: str,
    washington: Washington,
) -> None:
    washington(cli)
    before = _store_state(cli)
    result = cli("load", write_json(mutate(example_scenario)))
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert _store_state(cli) == before


def test_a_load_failing_halfway_writes_nothing(
    cli: Cli,
    example_scenario: dict[str, Any],
    write_json: Any,
    monkeypatch: pytest.MonkeyPatch,
    washington: Washington,
) -> None:
    washington(cli)
    before = _store_state(cli)
    example_scenario["name"] = "Washington pledge 2025"
    example_scenario["baseline"]["amount"] = 1
    original = repositories.upsert_contribution

    def fail_on_c2(session: Any, contribution: Any, **kwargs: Any) -> bool:
        if contribution.id == "c2":
            raise InputError("contributions[c2]", "refused by the test")
        return original(session, contribution, **kwargs)

    monkeypatch.setattr(repositories, "upsert_contribution", fail_on_c2)
    second = dict(example_scenario["contributions"][0], id="c2")
    example_scenario["contributions"].append(second)
    result = cli("load", write_json(example_scenario))
    assert result.exit_code == 2
    assert result.stderr == "error: contributions[c2]: refused by the test\n"
    assert _store_state(cli) == before


def test_a_scenario_file_loads_into_the_store(
    cli: Cli, example_scenario: dict[str, Any], write_json: Any
) -> None:
    result = cli("load", write_json(example_scenario))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(cli("shares", "--json").stdout)
    assert [n["iso3"] for n in doc["nations"]] == ["USA", "HUN"]
    assert doc["nations"][0]["counted_eur"] == 1.2e9
