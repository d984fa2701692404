"""The benchmark's generator and runner work (at size S); speed is not asserted here."""

from __future__ import annotations

from bench.match import SIZES, cells, generate, run


def test_generated_instances_are_sound_and_seeded() -> None:
    first = generate(SIZES["S"], 7)
    first.check()
    assert len(first.requirements) == 200 and len(first.offers) == 500
    assert generate(SIZES["S"], 7) == first
    assert any(item.components for item in first.items)


def test_runner_measures_all_three_on_one_instance() -> None:
    row = run(SIZES["S"], 2024, cbc_time_limit=60, highs_time_limit=60)
    assert row.optimal and row.cbc_optimal
    assert row.cbc_objective == row.score
    assert 0 < row.greedy_score <= row.score
    assert cells(row)[0] == "S" and cells(row)[-1].endswith("x")
