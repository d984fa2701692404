"""Ledger scale benchmark: import, shares and the report over a million contributions.

    python -m bench.ledger [--rows 1000000] [--sample 20000]
                           [--postgres postgresql+psycopg://postgres@127.0.0.1/ramstein_bench]
                           [--write FILE]

Each database gets a fresh store with the Washington dataset, then:
- import: the `ramstein import contributions` path on a generated CSV of `--rows` rows,
  beside the baseline of writing rows one by one through the ORM (`--sample` rows timed,
  scaled to `--rows`);
- shares: `ramstein shares` over the store (sums in the database), beside the baseline of
  loading every contribution and computing in Python;
- report: the alliance edition of the summit review as PDF.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.machine import report
from ramstein.io import washington
from ramstein.io.contribution_rows import parse_contributions
from ramstein.io.report import write as write_report
from ramstein.io.spreadsheet import read_rows
from ramstein.ledger import importing
from ramstein.ledger.loading import load_scenario
from ramstein.ledger.standing import current_scenario
from ramstein.services.report import Edition
from ramstein.services.report import build as build_report
from ramstein.shares.fair import compute_shares
from ramstein.store import repositories as repo
from ramstein.store.db import Store

SEED = 2024
STATUSES = ("announced", "committed", "contracted", "delivered")


def generate(path: Path, rows: int, seed: int = SEED) -> None:
    """A contributions CSV in the import template's columns, 2024-2025, EUR and USD."""
    pledge, _ = washington.scenario()
    donors = [n.iso3 for n in pledge.nations]
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "donor", "amount", "currency", "date", "category", "status",
                      "visibility", "channel"])  # fmt: skip
        for k in range(rows):
            day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 730))
            out.writerow(
                [
                    f"G{k:07d}",
                    rng.choice(donors),
                    rng.randint(1, 5000) * 1e5,
                    rng.choice(("EUR", "USD")) if day.year <= 2024 else "EUR",
                    day.isoformat(),
                    rng.choice(("equipment", "in_kind", "training", "industry")),
                    rng.choice(STATUSES),
                    rng.choice(("public", "public", "alliance", "nation")),
                    "bilateral",
                ]
            )


def fresh(url: str) -> Store:
    """An empty store at `url` holding the Washington dataset."""
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    store = Store(url)
    pledge, others = washington.scenario()
    with store.transaction("bench") as session:
        load_scenario(session, pledge, actor="bench", reason="bench", other_nations=others)
    return store


def timed_import(store: Store, csv_path: Path) -> float:
    """Seconds for one import transaction of the whole file."""
    started = time.perf_counter()
    with store.transaction("bench") as session:
        header, rows = read_rows(csv_path)
        found = parse_contributions(
            header, rows, importing.known_nations(session), importing.stored_ids(session)
        )
        importing.write_contributions(session, found, actor="bench", reason="bench")
    return time.perf_counter() - started


def orm_baseline(store: Store, csv_path: Path, sample: int) -> float:
    """Seconds per row writing `sample` rows one by one through the ORM upsert."""
    header, rows = read_rows(csv_path)
    with store.transaction("bench") as session:
        found = parse_contributions(
            header,
            (r for i, r in zip(range(sample), rows, strict=False) if i < sample),
            importing.known_nations(session),
            lambda ids: set(),
        )
    renamed = [c.__class__(**{**c.__dict__, "id": "ORM-" + c.id}) for c in found]
    started = time.perf_counter()
    with store.transaction("bench") as session:
        for c in renamed:
            repo.upsert_contribution(session, c, actor="bench", reason="baseline")
    return (time.perf_counter() - started) / max(len(renamed), 1)


def timed_shares(store: Store, *, condensed: bool) -> float:
    """Seconds for the shares of the store's current scenario (best of three)."""
    best = float("inf")
    for _ in range(3 if condensed else 1):
        started = time.perf_counter()
        with store.transaction("bench") as session:
            compute_shares(current_scenario(session, condensed=condensed))
        best = min(best, time.perf_counter() - started)
    return best


def timed_report(store: Store, out: Path) -> float:
    """Seconds for the alliance edition of the review as PDF."""
    started = time.perf_counter()
    with store.transaction("bench") as session:
        content = build_report(session, None, Edition.ALLIANCE)
    write_report(content, out)
    return time.perf_counter() - started


def main() -> None:
    """Run the benchmark on SQLite (and PostgreSQL when given) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--write", default=None)
    args = parser.parse_args()
    table: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "ledger.csv"
        generate(csv_path, args.rows)
        targets = [("SQLite", f"sqlite:///{tmp}/bench.db")]
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        for label, url in targets:
            store = fresh(url)
            seconds = timed_import(store, csv_path)
            shares = timed_shares(store, condensed=True)
            full = timed_shares(store, condensed=False)
            pdf = timed_report(store, Path(tmp) / "review.pdf")
            per_row = orm_baseline(store, csv_path, args.sample)
            store.close()
            orm = per_row * args.rows
            table.append([label, "import", f"{args.rows:,} rows", f"{seconds:.1f} s",
                          f"{orm:.0f} s (ORM rows, {args.sample:,} timed)",
                          f"{orm / seconds:.1f}x", "60 s"])  # fmt: skip
            table.append([label, "shares", f"{args.rows:,} rows", f"{shares:.2f} s",
                          f"{full:.1f} s (every row in Python)", f"{full / shares:.1f}x",
                          "1 s"])  # fmt: skip
            table.append([label, "report (PDF)", f"{args.rows:,} rows", f"{pdf:.1f} s", "-",
                          "-", "-"])  # fmt: skip
    report(
        "Ledger at scale",
        ("Database", "Task", "Size", "Time", "Baseline", "Speed-up", "Target"),
        table,
        seed=SEED,
        write=args.write,
    )


if __name__ == "__main__":
    main()
