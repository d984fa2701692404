"""The training benchmark's generator and runner work (at size S); speed is not asserted."""

from __future__ import annotations

from bench.train import SIZES, generate, run


def test_generated_instances_are_sound_and_seeded() -> None:
    first = generate(SIZES["S"], 5)
    first.check()
    assert len(first.sessions) == 50 and len(first.cohorts) == 200
    assert generate(SIZES["S"], 5) == first


def test_runner_validates_every_plan() -> None:
    row = run(SIZES["S"], 2024, time_limit=30)
    assert row.cpsat_optimal
    assert row.cpsat_score == row.highs_score >= row.greedy_score
