"""The Kiel benchmark's steps run (on a few rows of the rebuilt sheet)."""

from __future__ import annotations

from pathlib import Path

from bench.kiel import openpyxl_read, run

from tests.io.kiel_fixture import real_rows, write_workbook


def test_kiel_benchmark_reads_imports_and_reads_the_baseline(tmp_path: Path) -> None:
    rows = [r for r in real_rows() if r["donor"] == "Estonia"]
    book = write_workbook(tmp_path / "release-28.xlsx", rows)
    times = run(book, tmp_path, 0)
    assert set(times) == {"read", "import", "openpyxl"}
    assert all(wall > 0 and cpu > 0 for wall, cpu in times.values())
    assert openpyxl_read(book) == len(rows)
