"""The route benchmark's generator and runner work (at size S); speed is not asserted."""

from __future__ import annotations

from bench.route import SIZES, generate, run


def test_generated_networks_are_sound_and_seeded() -> None:
    first = generate(SIZES["S"], 3)
    first.check()
    assert len(first.consignments) == 50 and first.horizon == 30
    assert generate(SIZES["S"], 3) == first


def test_runner_validates_both_plans_and_beats_the_baseline() -> None:
    row = run(SIZES["S"], 2024, time_limit=60)
    assert row.optimal
    assert row.objective <= row.baseline_objective
