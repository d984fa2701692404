"""The route benchmark's generator and runner work (at size S); speed is not asserted."""

from __future__ import annotations

from bench.route import SIZES, generate, run, run_apart

from ramstein.domain.logistics import NodeKind


def test_generated_networks_are_sound_and_seeded() -> None:
    first = generate(SIZES["S"], 3)
    first.check()
    assert len(first.consignments) == 50 and first.horizon == 30
    assert generate(SIZES["S"], 3) == first


def test_runner_validates_both_plans_and_beats_the_baseline() -> None:
    row = run(SIZES["S"], 2024, time_limit=60)
    assert row.optimal
    assert row.objective <= row.baseline_objective


def test_the_xl_shapes_carry_nsatus_monthly_volume() -> None:
    xl = generate(SIZES["XL"], 2024)
    xxl = generate(SIZES["XXL"], 2024)
    assert (len(xl.consignments), xl.horizon) == (2_000, 60)
    assert 24_000 <= sum(c.pallets for c in xl.consignments) <= 28_000
    assert 57_000 <= sum(c.pallets for c in xxl.consignments) <= 63_000
    assert sum(n.kind is NodeKind.HUB for n in xl.nodes) == 48


def test_each_size_runs_in_a_process_of_its_own_with_its_peak_memory() -> None:
    row = run_apart("S", 2024)
    assert row.optimal and row.peak_mb > 0
    assert row.objective <= row.baseline_objective
