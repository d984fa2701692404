"""The training benchmark: generators and runner work (sizes S and FS); speed is not asserted."""

from __future__ import annotations

import pytest
from bench.train import SIZES, cells, generate, run


def test_generated_instances_are_sound_and_seeded() -> None:
    first = generate(SIZES["S"], 5)
    first.check()
    assert len(first.sessions) == 50 and len(first.cohorts) == 200
    assert generate(SIZES["S"], 5) == first


def test_few_courses_shape_is_as_the_issue_describes() -> None:
    instance = generate(SIZES["F10"], 5)
    instance.check()
    assert len({s.course for s in instance.sessions}) == 8
    assert len(instance.sessions) == 1_000 and len(instance.cohorts) == 10_000
    assert all(24 <= s.capacity <= 120 for s in instance.sessions)
    assert all(6 <= c.size <= 70 and 1 <= c.priority <= 8 for c in instance.cohorts)
    weeks = {(c.needed_by - c.available_from).days // 7 for c in instance.cohorts}
    assert min(weeks) == 6 and max(weeks) == 30
    first, last = min(s.start for s in instance.sessions), max(s.end for s in instance.sessions)
    assert (last - first).days <= 40 * 7


@pytest.mark.parametrize(("size", "limit"), [("S", 20.0), ("FS", 4.0)])
def test_runner_validates_every_plan_and_measures_every_way(size: str, limit: float) -> None:
    row = run(SIZES[size], 2024, time_limit=limit)  # every plan is validated in `run`
    if size == "S":
        assert row.highs.optimal and row.highs.gap == 0
        assert row.highs.score == row.cpsat.score >= row.cbc.score
    assert row.highs.bound >= row.highs.score >= row.greedy.score > 0
    assert all(w.peak_mb > 0 for w in (row.highs, row.cpsat, row.cbc, row.greedy))
    assert len(cells(row)) == 16
