"""The jobs benchmark queues, runs and measures (one job per row, short windows here)."""

from __future__ import annotations

import pytest
from bench.jobs import run

pytestmark = pytest.mark.postgres


def test_jobs_benchmark_measures_workers_and_the_api(postgres_url: str) -> None:
    throughput, latency, load = run(postgres_url, 1, 0.5)
    assert [t.label.split(",")[0] for t in throughput] == [
        "in one process",
        "1 worker",
        "2 workers",
    ]
    assert all(t.jobs == 1 and t.failed == 0 and t.per_minute > 0 for t in throughput)
    assert latency[0].label == "no planner running (baseline)"
    assert latency[1].label.startswith("a worker solving a route plan")
    assert all(x.requests > 0 and x.errors == 0 and x.p99_ms >= x.p50_ms > 0 for x in latency)
    assert load.startswith("load average before")
