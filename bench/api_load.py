"""API load benchmark: `ramstein serve` on loopback over 100,000 contributions.

    python -m bench.api_load [--contributions 100000] [--seconds 10] [--threads 8]
                             [--postgres postgresql+psycopg://postgres@127.0.0.1/ramstein_bench]
                             [--write FILE]

Bounded in requests and time; talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, insert, text

from bench.machine import describe
from ramstein.io import washington
from ramstein.ledger.loading import load_scenario
from ramstein.store.db import Store
from ramstein.store.models import ContributionRow

ENDPOINTS = {
    "GET /api/v1/shares": "/api/v1/shares",
    "GET /api/v1/contributions (filtered)": (
        "/api/v1/contributions?donor=DEU&status=delivered&limit=50"
    ),
}
MAX_REQUESTS = 50_000


def seed(url: str, count: int, seed: int = 2024) -> None:
    """The Washington dataset plus `count` contributions, inserted in bulk (not audited)."""
    store = Store(url)
    pledge, others = washington.scenario()
    with store.transaction(actor="bench") as session:
        load_scenario(session, pledge, actor="bench", reason="bench", other_nations=others)
    store.close()
    rng = random.Random(seed)
    donors = [n.iso3 for n in pledge.nations]
    days = [date(2024, 1, 1) + timedelta(days=rng.randint(0, 730)) for _ in range(count)]
    rows = [
        {
            "external_id": f"B{k:06d}",
            "donor": rng.choice(donors),
            "recipient": "UKR",
            "amount": float(rng.randint(1, 500) * 1e6),
            # The dataset's ECB rates end with 2024: later amounts are in euros.
            "currency": rng.choice(("EUR", "USD")) if days[k].year <= 2024 else "EUR",
            "date": days[k],
            "category": rng.choice(("equipment", "in_kind", "training", "industry")),
            "channel": "bilateral",
            "status": rng.choice(("announced", "committed", "contracted", "delivered")),
            "visibility": rng.choice(("public", "public", "alliance", "nation")),
            "source": "bench",
            "description": "",
            "version": 1,
        }
        for k in range(count)
    ]
    engine = create_engine(url)
    with engine.begin() as conn:
        for start in range(0, len(rows), 10_000):
            conn.execute(insert(ContributionRow.__table__), rows[start : start + 10_000])
    engine.dispose()


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class Result:
    """One endpoint's throughput and latencies on one database."""

    database: str
    endpoint: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds


def hammer(port: int, path: str, seconds: float, threads: int) -> tuple[list[float], int, float]:
    """Keep-alive GETs from `threads` threads for `seconds` (at most MAX_REQUESTS in all)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < deadline and len(latencies) + len(mine) < MAX_REQUESTS:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            bad += response.status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, errors, time.perf_counter() - started


def measure(url: str, label: str, seconds: float, threads: int) -> list[Result]:
    """Serve the store with `ramstein serve` and measure every endpoint."""
    port = free_port()
    env = {**os.environ, "RAMSTEIN_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "ramstein.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        results = []
        for name, path in ENDPOINTS.items():
            hammer(port, path, 1.0, 1)  # warm: the first answer fills the shares cache
            latencies, errors, elapsed = hammer(port, path, seconds, threads)
            ordered = sorted(latencies)
            results.append(
                Result(
                    label,
                    name,
                    len(ordered),
                    errors,
                    elapsed,
                    1000 * statistics.median(ordered),
                    1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
                )
            )
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    """Seed, serve and measure on SQLite (and PostgreSQL when given)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--postgres", help="a PostgreSQL URL whose database may be replaced")
    parser.add_argument("--write", help="write the Markdown table to this file")
    args = parser.parse_args()
    console = Console()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        console.print(f"Seeding SQLite with {args.contributions:,} contributions")
        seed(url, args.contributions)
        results += measure(url, "SQLite", args.seconds, args.threads)
    if args.postgres:
        admin = create_engine(
            args.postgres.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
        )
        name = args.postgres.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        console.print(f"Seeding PostgreSQL with {args.contributions:,} contributions")
        seed(args.postgres, args.contributions)
        results += measure(args.postgres, "PostgreSQL", args.seconds, args.threads)
    table = Table(title=f"API load: {args.threads} keep-alive clients, {args.seconds:.0f} s each")
    headers = ("database", "endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms")
    for header in headers:
        table.add_column(header)
    cells = [
        [
            r.database,
            r.endpoint,
            f"{r.requests:,}",
            str(r.errors),
            f"{r.rps:,.0f}",
            f"{r.p50_ms:.1f}",
            f"{r.p99_ms:.1f}",
        ]
        for r in results
    ]
    for row in cells:
        table.add_row(*row)
    console.print(table)
    if args.write:
        lines = [
            describe(2024),
            f"{args.contributions:,} contributions; {args.threads} clients.",
            "",
            "| " + " | ".join(headers) + " |",
            "|" + "---|" * len(headers),
        ]
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        with open(args.write, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
