"""Keys: base periods, capacity to pay, floors and ceilings; the plain key unchanged."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramstein.domain.errors import InputError
from ramstein.domain.money import FxTable
from ramstein.domain.nations import IndicatorValue, Nation
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.io import washington
from ramstein.io.scenario_json import shares_document
from ramstein.shares.fair import compute_shares
from ramstein.shares.keys import capacity_adjusted, clamp_shares, scenario_key
from tests.conftest import Cli, assert_bad_input, set_path
from tests.shares.golden_scenarios import golden_scenarios

GOLDEN = Path(__file__).parent / "golden" / "shares-before-keys.json"
YEARS = (2021, 2022, 2023)


def test_without_optional_fields_results_are_unchanged_to_the_last_digit() -> None:
    # The golden file was written by the code before keys had optional rules.
    golden = json.loads(GOLDEN.read_text())
    for name, scenario in golden_scenarios().items():
        assert json.loads(json.dumps(shares_document(compute_shares(scenario)))) == golden[name]


def _nation(iso3: str, gdp: list[float], gni: list[float], pop: list[float]) -> Nation:
    def series(values: list[float]) -> dict[int, IndicatorValue]:
        return {y: IndicatorValue(v, "EUR") for y, v in zip(YEARS, values, strict=True)}

    return Nation(
        iso3,
        iso3,
        indicators={
            "gdp": series(gdp),
            "gni": series(gni),
            "population": {y: IndicatorValue(p) for y, p in zip(YEARS, pop, strict=True)},
        },
    )


money = st.floats(min_value=1e8, max_value=3e13)
people = st.floats(min_value=3e5, max_value=4e8)
nation_values = st.tuples(
    st.lists(money, min_size=3, max_size=3),
    st.lists(money, min_size=3, max_size=3),
    st.lists(people, min_size=3, max_size=3),
)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Random groups with random key rules (feasible floors, any ceiling, any gradient)."""
    values = draw(st.lists(nation_values, min_size=2, max_size=12))
    nations = tuple(_nation(f"N{i:02d}", *v) for i, v in enumerate(values))
    n_out = draw(st.integers(0, len(nations) - 1))
    opt_out = tuple(n.iso3 for n in nations[:n_out])
    participants = len(nations) - n_out
    floor = draw(st.none() | st.floats(0, 1 / participants))
    ceiling = draw(st.none() | st.floats(max(floor or 0, 1e-3), 1))
    return Scenario(
        name="random",
        baseline_amount=40e9,
        baseline_currency="EUR",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        key_indicator=draw(st.sampled_from(["gdp", "gni"])),
        key_year=2023,
        nations=nations,
        opt_out=opt_out,
        key_years=draw(st.sampled_from([(), (2023,), YEARS, (2021, 2023)])),
        key_floor=floor,
        key_ceiling=ceiling,
        key_gradient=draw(st.none() | st.floats(0, 1)),
    )


def _participants(s: Scenario) -> list[str]:
    return [n.iso3 for n in s.nations if n.iso3 not in s.opt_out]


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_every_key_sums_to_one_over_participants_with_what_is_uncovered(s: Scenario) -> None:
    result = compute_shares(s)
    shares = {n.iso3: n.key_share for n in result.nations}
    total = math.fsum(shares[i] for i in _participants(s))
    assert total + result.uncovered_eur / s.baseline_amount == pytest.approx(1, abs=1e-9)
    if s.key_ceiling is None or s.key_ceiling * len(_participants(s)) >= 1:
        assert total == pytest.approx(1, abs=1e-9)
        assert result.uncovered_eur == pytest.approx(0, abs=1e-3)


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_floors_and_ceilings_hold_and_order_does_not_matter(s: Scenario, rnd: Any) -> None:
    result = {n.iso3: n.key_share for n in compute_shares(s).nations}
    for iso3 in _participants(s):
        if s.key_floor is not None:
            assert result[iso3] >= s.key_floor * (1 - 1e-12)
        if s.key_ceiling is not None:
            assert result[iso3] <= s.key_ceiling * (1 + 1e-12)
    shuffled = list(s.nations)
    rnd.shuffle(shuffled)
    again = compute_shares(replace(s, nations=tuple(shuffled), opt_out=tuple(reversed(s.opt_out))))
    shuffled_result = {n.iso3: n.key_share for n in again.nations}
    ruled = len(s.base_years) > 1 or s.key_gradient is not None
    if ruled or s.key_floor is not None or s.key_ceiling is not None:
        assert shuffled_result == result
    else:
        # The plain key keeps its historical running sum (bit-identical old results).
        assert shuffled_result == pytest.approx(result, rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_capacity_never_raises_a_below_average_participants_share(s: Scenario) -> None:
    plain = replace(s, key_gradient=None, key_floor=None, key_ceiling=None)
    adjusted = replace(plain, key_gradient=s.key_gradient or 0.8)
    fx = FxTable(())
    before, after = scenario_key(plain, fx).shares, scenario_key(adjusted, fx).shares
    people = s.base_years
    income = {n.iso3: sum(n.indicators[s.key_indicator][y].ones for y in people) for n in s.nations}
    heads = {n.iso3: sum(n.indicators["population"][y].ones for y in people) for n in s.nations}
    group = _participants(s)
    average = sum(income[i] for i in group) / sum(heads[i] for i in group)
    for iso3 in group:
        if income[iso3] / heads[iso3] < average:
            assert after[iso3] <= before[iso3] * (1 + 1e-12)


def test_base_period_key_is_the_mean_of_each_years_euro_value() -> None:
    a = _nation("AAA", [100, 200, 300], [1, 1, 1], [1, 1, 1])
    b = _nation("BBB", [100, 100, 100], [1, 1, 1], [1, 1, 1])
    s = replace(golden_scenarios()["example"], nations=(a, b), opt_out=(), key_years=YEARS)
    shares = scenario_key(s, FxTable(())).shares
    assert shares == pytest.approx({"AAA": 200 / 300, "BBB": 100 / 300})


def test_clamping_spreads_the_excess_pro_rata_until_stable() -> None:
    # 0.7 is cut to 0.4; its 0.3 goes 2:1 to the others, which pushes B past 0.4 in turn.
    held = clamp_shares({"A": 0.7, "B": 0.2, "C": 0.1}, None, 0.4)
    assert held.shares == pytest.approx({"A": 0.4, "B": 0.4, "C": 0.2})
    assert held.uncovered == 0
    floored = clamp_shares({"A": 0.9, "B": 0.09, "C": 0.01}, 0.05, None)
    assert floored.shares["C"] == 0.05
    assert floored.shares["A"] / floored.shares["B"] == pytest.approx(10)
    assert sum(floored.shares.values()) == pytest.approx(1)


def test_a_ceiling_nobody_can_meet_leaves_the_rest_uncovered() -> None:
    held = clamp_shares({"A": 0.5, "B": 0.3, "C": 0.2}, None, 0.25)
    assert held.shares == {"A": 0.25, "B": 0.25, "C": 0.25}
    assert held.uncovered == pytest.approx(0.25)


def test_floors_adding_up_to_more_than_the_whole_are_an_error() -> None:
    with pytest.raises(InputError) as err:
        clamp_shares({"A": 0.5, "B": 0.3, "C": 0.2}, 0.4, None)
    assert err.value.field == "key.floor"


def test_capacity_moves_relief_from_poorer_to_richer_and_keeps_the_total() -> None:
    income = {"RICH": 900.0, "POOR": 100.0}
    heads = {"RICH": 10.0, "POOR": 10.0}  # 90 and 10 a head; the average is 50
    adjusted = capacity_adjusted(income, heads, ["RICH", "POOR"], 0.8)
    relief = 100 * 0.8 * (1 - 10 / 50)
    assert adjusted["POOR"] == pytest.approx(100 - relief)
    assert adjusted["RICH"] == pytest.approx(900 + relief)


def test_washington_with_un_style_rules() -> None:
    pledge, _ = washington.scenario()
    ruled = replace(
        pledge,
        key_indicator="gni",
        key_years=YEARS,
        key_floor=0.00001,
        key_ceiling=0.22,
        key_gradient=0.8,
    )
    result = compute_shares(ruled).by_iso3()
    assert result["USA"].key_share == pytest.approx(0.22)
    assert result["HUN"].key_share == 0
    participants = [n for n in result.values() if n.participating]
    assert math.fsum(n.key_share for n in participants) == pytest.approx(1)
    assert all(n.key_share >= 0.00001 for n in participants)


def test_scenario_file_with_key_rules(
    sqlite_cli: Cli, example_scenario: dict[str, Any], write_json: Any
) -> None:
    doc = example_scenario
    doc["opt_out"] = []
    for n in doc["nations"]:
        n["population"] = {"2023": {"amount": 100e6 if n["iso3"] == "USA" else 9.6e6}}
    doc["key"] = {"indicator": "gdp", "years": [2023], "ceiling": 0.9, "capacity": {}}
    result = sqlite_cli("shares", write_json(doc), "--json")
    assert result.exit_code == 0, result.stderr
    usa, hun = json.loads(result.stdout)["nations"]
    assert usa["key_share"] == pytest.approx(0.9)
    assert hun["key_share"] == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["key", "year"], None, "error: key.year: give the key's year or its base period"),
        (["key", "years"], [2022, 2023], "error: nations[USA].gdp: no value for key year 2022"),
        (
            ["key", "floor"],
            0.9,
            "error: key.floor: 2 participants x floor 0.9 exceed the whole key",
        ),
        (["key", "capacity"], {"gradient": 1.5}, "error: key.capacity.gradient"),
        (["key", "capacity"], {}, "error: nations[USA].population: no value for key year 2023"),
    ],
)
def test_bad_key_rules_are_one_line_errors(
    sqlite_cli: Cli,
    example_scenario: dict[str, Any],
    write_json: Any,
    path: list[str | int],
    value: Any,
    message: str,
) -> None:
    doc = example_scenario
    doc["opt_out"] = []
    if value is None:
        del doc["key"]["year"]
    else:
        set_path(doc, path, value)
    assert_bad_input(sqlite_cli("shares", write_json(doc)), message)


def test_opt_out_mode_uncovered_keeps_opted_out_portions_with_a_ceiling() -> None:
    s = replace(golden_scenarios()["washington_uncovered"], key_ceiling=0.3)
    result = compute_shares(s)
    assert result.by_iso3()["USA"].key_share == pytest.approx(0.3)
    hun = [n for n in washington.scenario()[0].nations if n.iso3 == "HUN"]
    assert hun and result.uncovered_eur > 0
    assert s.opt_out_share is OptOutShare.UNCOVERED
