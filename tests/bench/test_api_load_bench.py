"""The API load benchmark seeds, serves and measures (tiny and short here)."""

from __future__ import annotations

from pathlib import Path

from bench.api_load import measure, seed


def test_load_benchmark_measures_both_endpoints(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    seed(url, 300)
    results = measure(url, "SQLite", seconds=0.5, threads=2)
    assert [r.endpoint for r in results] == [
        "GET /api/v1/shares",
        "GET /api/v1/contributions (filtered)",
    ]
    assert all(r.requests > 0 and r.errors == 0 for r in results)
    assert all(r.p99_ms >= r.p50_ms > 0 for r in results)
