"""One attempt of a planner job, run as its own process.

Workers fork it from their fork server (`forked`, see `job_runner`), which has this
module and the solvers imported already; `python -m ramstein.services.job_solve JOB ATTEMPT`
runs one the same way by hand. The worker that started it watches it and kills it on
cancellation; it also stops by itself when its worker dies or the attempt no longer
counts. Progress (incumbent, bound, elapsed) is written to the job record once a second.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import threading
import time

from sqlalchemy.orm import configure_mappers

from ramstein.services import jobs
from ramstein.services.plans import save
from ramstein.store.db import Store

# The ORM's mappers are set up on first use, about 0.3 s of CPU: here, once in the fork
# server that imports this module, instead of in every attempt forked from it.
configure_mappers()

PROGRESS_SECONDS = 1.0
# Exit codes besides 0 (plan saved, or nothing to do) and 1 (the planner failed).
ORPHANED, SUPERSEDED = 3, 4


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


class Progress:
    """The solver's latest incumbent and bound, written to the job record periodically."""

    def __init__(self, store: Store, job_id: int, attempt: int) -> None:
        self.store, self.job_id, self.attempt = store, job_id, attempt
        self.incumbent: float | None = None
        self.bound: float | None = None
        self.started = time.monotonic()
        self.parent = os.getppid()
        self.stopped = threading.Event()

    def orphaned(self) -> bool:
        """Whether the worker that started this attempt died."""
        worker = multiprocessing.parent_process()  # set in a process forked for a worker
        if worker is not None:
            return not worker.is_alive()
        return os.getppid() != self.parent

    def __call__(self, objective: float, bound: float) -> None:
        """The solvers' progress callback: remembered here, written by `watch`."""
        self.incumbent, self.bound = _finite(objective), _finite(bound)

    def watch(self) -> None:
        """Until stopped: write progress, and end the process if it no longer counts."""
        while not self.stopped.wait(PROGRESS_SECONDS):
            if self.orphaned():
                os._exit(ORPHANED)  # the worker died: another one will run the job again
            with self.store.transaction() as session:
                current = jobs.record_progress(
                    session,
                    self.job_id,
                    self.attempt,
                    incumbent=self.incumbent,
                    bound=self.bound,
                    elapsed=round(time.monotonic() - self.started, 2),
                )
            if not current:
                os._exit(SUPERSEDED)  # cancelled, or a newer attempt runs


def run(store: Store, job_id: int, attempt: int) -> int:
    """Solve and save the attempt's plan; the exit code."""
    with store.transaction() as session:
        job = jobs.get(session, job_id)
    if job is None or job.attempts != attempt or job.status is not jobs.JobStatus.RUNNING:
        return 0
    progress = Progress(store, job_id, attempt)
    watcher = threading.Thread(target=progress.watch, daemon=True)
    watcher.start()
    try:
        # Read and solve outside any transaction: a transaction held for the solve would
        # lock a SQLite store (progress, the API's writes) until the solve ends.
        with store.reads() as session:
            solved = jobs.SOLVERS[job.kind](
                session, time_limit=job.time_limit, on_progress=progress
            )
        progress.stopped.set()
        with store.transaction(actor=job.actor) as session:
            # The check and the save in one transaction: a stale attempt saves nothing.
            if jobs.claim_result(session, job_id, attempt):
                saved = save(session, solved, actor=job.actor)
                jobs.set_plan_version(session, job_id, saved.record.version)
                jobs.record_progress_final(
                    session,
                    job_id,
                    _finite(solved.score),
                    _finite(solved.plan.bound),
                    solved.plan.stats.seconds,
                )
    except Exception as exc:  # reported through the job record by the worker
        print(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, file=sys.stderr)
        return 1
    finally:
        progress.stopped.set()
    return 0


def forked(url: str, job_id: int, attempt: int, errors: str) -> None:
    """A worker's attempt in a process forked for it: exits with `run`'s code.

    The planner's one-line failure goes to the file `errors` (read by the worker).
    """
    with open(errors, "w", encoding="utf-8") as err, open(os.devnull, "w") as out:
        os.dup2(err.fileno(), 2)
        os.dup2(out.fileno(), 1)
    # The worker opened (and migrated) the store already.
    store = Store(url, migrate=False)
    try:
        code = run(store, job_id, attempt)
    finally:
        store.close()
        sys.stderr.flush()
    sys.exit(code)


def main() -> None:
    """Entry point: `JOB_ID ATTEMPT`, the store's URL in RAMSTEIN_DATABASE_URL."""
    job_id, attempt = int(sys.argv[1]), int(sys.argv[2])
    # The worker that started this process opened (and migrated) the store already.
    store = Store(os.environ["RAMSTEIN_DATABASE_URL"], migrate=False)
    try:
        code = run(store, job_id, attempt)
    finally:
        store.close()
    sys.exit(code)


if __name__ == "__main__":
    main()
