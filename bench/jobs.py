"""Planner jobs benchmark: jobs per minute on 1 and 2 workers, and the API while one solves.

    python -m bench.jobs [--jobs 8] [--seconds 8] [--postgres postgresql+psycopg://.../db]
                         [--write FILE]

On PostgreSQL (Procrastinate): without --postgres, a throwaway server is started the way
the tests start theirs. Each job is a match plan over the Washington dataset; one offer's
quantity changes between submissions, so that no two jobs have the same inputs (equal
submissions are one job). Baselines, measured in the same run: the same plans solved one
after another in one process (no queue), and the API's `GET /api/v1/shares` with no
planner running. Talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from rich.console import Console
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bench.api_load import free_port, hammer
from bench.machine import describe
from ramstein.domain.plans import PlanKind
from ramstein.services import jobs, matching
from ramstein.services.jobs import JobStatus
from ramstein.services.plans import plan_and_save
from ramstein.services.queue import QueueDispatch
from ramstein.store import catalog
from ramstein.store.db import Store

SHARES = "/api/v1/shares"


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "RAMSTEIN_DATABASE_URL": url, "RAMSTEIN_ACTOR": "bench"}


def _ramstein(url: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ramstein.cli", *args],
        env=_env(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def fresh_database(url: str) -> None:
    """Drop and create the database named by `url` (it must be a throwaway one)."""
    base, name = url.rsplit("/", 1)
    admin = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    for _ in range(120):  # a server just started may still be recovering
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            break
        except OperationalError:
            time.sleep(0.5)
    admin.dispose()


def seed(url: str) -> None:
    """The Washington dataset (`ramstein load washington-2024`)."""
    assert _ramstein(url, "load", "washington-2024").wait() == 0


def vary(store: Store, k: int) -> None:
    """Change one offer's quantity: the match inputs differ from every other job's."""
    with store.transaction(actor="bench") as session:
        offer = catalog.list_offers(session)[0]
        catalog.upsert_offer(session, replace(offer, quantity=offer.quantity + k))


@dataclass(frozen=True)
class Throughput:
    """Jobs completed per minute by some workers (or, as baseline, in-process solves)."""

    label: str
    jobs: int
    seconds: float
    failed: int

    @property
    def per_minute(self) -> float:
        """Completed jobs per minute."""
        return 60 * (self.jobs - self.failed) / self.seconds


def in_process(url: str, count: int) -> Throughput:
    """Baseline: the same match plans, solved and saved one after another, no queue."""
    store = Store(url)
    started = time.perf_counter()
    for k in range(count):
        vary(store, 1000 + k)
        with store.transaction(actor="bench") as session:
            plan_and_save(session, partial(matching.solve, time_limit=60), actor="bench")
    seconds = time.perf_counter() - started
    store.close()
    return Throughput("in one process, no queue (baseline)", count, seconds, 0)


@contextmanager
def processes(*procs: subprocess.Popen[bytes]) -> Iterator[None]:
    """Terminate the processes however the block ends."""
    try:
        yield
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def submit_batch(store: Store, count: int, offset: int) -> list[int]:
    """`count` match jobs over different inputs, queued on Procrastinate."""
    dispatch = QueueDispatch(store)
    ids = []
    try:
        for k in range(count):
            vary(store, offset + k)
            with store.transaction(actor="bench") as session:
                job, new = jobs.submit(session, PlanKind.MATCH, actor="bench", time_limit=60)
            assert new
            dispatch.enqueued(job.id)
            ids.append(job.id)
    finally:
        dispatch.close()
    return ids


def wait_all(store: Store, ids: list[int], timeout: float = 1800) -> int:
    """Wait until every job ended; how many failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with store.transaction() as session:
            states = [jobs.get(session, i) for i in ids]
        if all(s is not None and s.status not in jobs.ACTIVE for s in states):
            return sum(s is not None and s.status is not JobStatus.DONE for s in states)
        time.sleep(0.2)
    raise TimeoutError("jobs did not finish")


def workers_ready(url: str, count: int, timeout: float = 600) -> None:
    """Wait until `count` workers have registered with Procrastinate."""
    engine = create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                ready = conn.scalar(text("SELECT count(*) FROM procrastinate_workers"))
            if ready is not None and ready >= count:
                return
            time.sleep(0.2)
    finally:
        engine.dispose()
    raise TimeoutError("workers did not start")


def on_workers(url: str, count: int, workers: int, offset: int) -> Throughput:
    """Start `workers` workers (one solve each), then time `count` jobs from submission."""
    store = Store(url)
    procs = [_ramstein(url, "worker", "--concurrency", "1") for _ in range(workers)]
    with processes(*procs):
        workers_ready(url, workers)
        started = time.perf_counter()
        ids = submit_batch(store, count, offset)
        failed = wait_all(store, ids)
        seconds = time.perf_counter() - started
    store.close()
    label = f"{workers} worker{'s' if workers > 1 else ''}, one solve each"
    return Throughput(label, count, seconds, failed)


@dataclass(frozen=True)
class Latency:
    """`GET /api/v1/shares` from `threads` keep-alive clients."""

    label: str
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float


def _latency(label: str, port: int, seconds: float, threads: int) -> Latency:
    latencies, errors, _ = hammer(port, SHARES, seconds, threads)
    ordered = sorted(latencies)
    return Latency(
        label,
        len(ordered),
        errors,
        1000 * ordered[len(ordered) // 2],
        1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
    )


def _while_running(store: Store, job_id: int, port: int, seconds: float, threads: int) -> Latency:
    """Latencies gathered one second at a time, only while the job is still running."""
    latencies: list[float] = []
    errors = 0
    measured = 0.0
    while measured < seconds:
        with store.transaction() as session:
            current = jobs.get(session, job_id)
        if current is None or current.status is not JobStatus.RUNNING:
            break
        chunk, bad, elapsed = hammer(port, SHARES, 1.0, threads)
        latencies += chunk
        errors += bad
        measured += elapsed
    ordered = sorted(latencies)
    assert ordered, "the solve ended before any request"
    return Latency(
        f"a worker solving a route plan ({measured:.0f} s)",
        len(ordered),
        errors,
        1000 * ordered[len(ordered) // 2],
        1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
    )


def api_while_solving(url: str, seconds: float, threads: int = 4) -> list[Latency]:
    """The API's shares p99 idle (baseline), then while a worker solves a route plan."""
    port = free_port()
    server = _ramstein(url, "serve", "--port", str(port))
    with processes(server):
        for _ in range(1200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        hammer(port, SHARES, 1.0, 1)  # warm the cache
        idle = _latency("no planner running (baseline)", port, seconds, threads)
        store = Store(url)
        with store.transaction(actor="bench") as session:
            job, _ = jobs.submit(session, PlanKind.ROUTE, actor="bench", time_limit=seconds * 4)
        dispatch = QueueDispatch(store)
        dispatch.enqueued(job.id)
        dispatch.close()
        worker = _ramstein(url, "worker", "--concurrency", "1")
        with processes(worker):
            while True:  # measure once the solve has begun
                with store.transaction() as session:
                    current = jobs.get(session, job.id)
                assert current is not None
                if current.status is JobStatus.RUNNING and (current.elapsed or 0) > 0:
                    break
                time.sleep(0.2)
            busy = _while_running(store, job.id, port, seconds, threads)
        store.close()
    return [idle, busy]


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL server in a temporary folder, as the tests start theirs."""
    from tests.postgres import start_postgres

    with start_postgres() as executor:
        yield (
            f"postgresql+psycopg://{executor.user}@{executor.host}:{executor.port}/ramstein_bench"
        )


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages (others share this machine)."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def run(url: str, count: int, seconds: float) -> tuple[list[Throughput], list[Latency], str]:
    """Every measurement on a fresh database at `url`."""
    fresh_database(url)
    seed(url)
    load_before = load_average()
    throughput = [
        in_process(url, count),
        on_workers(url, count, 1, 0),
        on_workers(url, count, 2, count),
    ]
    latency = api_while_solving(url, seconds)
    return throughput, latency, f"load average before {load_before}, after {load_average()}"


def main() -> None:
    """Measure on the given PostgreSQL, or a throwaway one."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--postgres", help="a PostgreSQL URL whose database may be replaced")
    parser.add_argument("--write", help="write the Markdown tables to this file")
    args = parser.parse_args()
    if args.postgres:
        throughput, latency, load = run(args.postgres, args.jobs, args.seconds)
    else:
        with throwaway_postgres() as url:
            throughput, latency, load = run(url, args.jobs, args.seconds)
    lines = [
        describe(2024),
        f"{args.jobs} match jobs per row (Washington dataset); {load}.",
        "",
        "| how | jobs | failed | seconds | jobs per minute |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {t.label} | {t.jobs} | {t.failed} | {t.seconds:.1f} | {t.per_minute:.1f} |"
        for t in throughput
    ]
    lines += [
        "",
        "| GET /api/v1/shares, 4 clients | requests | errors | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {x.label} | {x.requests:,} | {x.errors} | {x.p50_ms:.1f} | {x.p99_ms:.1f} |"
        for x in latency
    ]
    text_out = "\n".join(lines) + "\n"
    Console().print(text_out)
    if args.write:
        Path(args.write).write_text(text_out, encoding="utf-8")


if __name__ == "__main__":
    main()
