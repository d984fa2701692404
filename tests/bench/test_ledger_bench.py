"""The ledger benchmark's steps run and agree with each other (tiny here)."""

from __future__ import annotations

from pathlib import Path

from bench.ledger import fresh, generate, orm_baseline, timed_import, timed_report, timed_shares

from ramstein.ledger.standing import current_scenario
from ramstein.shares.fair import compute_shares


def test_ledger_benchmark_imports_and_sums_the_same_as_the_full_path(tmp_path: Path) -> None:
    csv_path = tmp_path / "ledger.csv"
    generate(csv_path, 3000)
    store = fresh(f"sqlite:///{tmp_path / 'bench.db'}")
    assert timed_import(store, csv_path) > 0
    assert timed_shares(store, condensed=True) > 0
    with store.transaction() as session:
        summed = compute_shares(current_scenario(session, condensed=True)).by_iso3()
        full = compute_shares(current_scenario(session)).by_iso3()
    assert any(line.counted_eur > 0 for line in full.values())
    for iso3, line in full.items():
        assert abs(summed[iso3].counted_eur - line.counted_eur) <= 1e-6 * max(line.counted_eur, 1)
    assert timed_report(store, tmp_path / "review.pdf") > 0
    assert (tmp_path / "review.pdf").read_bytes().startswith(b"%PDF")
    assert orm_baseline(store, csv_path, 50) > 0
    store.close()
