"""Run planner jobs' attempts: each solve in a child process, watched for cancellation.

Used by both queues: the Procrastinate worker (PostgreSQL) and the server's own worker
thread (SQLite). A solve in its own process can be stopped at once, takes none of the
server's interpreter, and ends when its worker dies.

The child is forked from a fork server (Python's `multiprocessing` "forkserver") that
imported the solvers once, when the worker started: a fresh interpreter per attempt spent
about a second of CPU on imports alone (several seconds of wall time on a loaded machine),
many times the solve of a typical match plan.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import tempfile
import threading
from collections.abc import Callable
from enum import StrEnum
from multiprocessing import spawn
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import Any

from ramstein.services import job_solve, jobs
from ramstein.services.job_solve import SUPERSEDED
from ramstein.services.jobs import JobStatus
from ramstein.store.db import Store

# How often a running attempt's record is read (cancelled? superseded?) while it solves.
POLL_SECONDS = 0.5
# What the fork server imports once: the attempt and its solvers.
PRELOAD = ["ramstein.services.job_solve"]

# This runner's processes, by name (their start leaves the host's main module out).
PROCESS_PREFIX = "ramstein-"

_context_lock = threading.Lock()
_context: ForkServerContext | None = None

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """How running a job ended for this worker."""

    DONE = "done"
    STOPPED = "stopped"  # cancelled, or superseded by a newer attempt
    RETRY = "retry"  # the attempt failed; the job is queued again
    FAILED = "failed"  # the last attempt failed
    SKIPPED = "skipped"  # nothing to run (ended already, or attempts used up)


def worker_name() -> str:
    """This process as a job's worker: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def alive(worker: str) -> bool:
    """Whether a job's worker may still be running (a process on another host is assumed so)."""
    host, _, pid = worker.rpartition(":")
    if not host:
        return False  # never started
    if host != socket.gethostname():
        return True  # on another machine: cannot be checked from here, so left alone
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _preparation_without_main(plain: Callable[[str], dict[str, Any]]) -> Callable[..., Any]:
    """`multiprocessing.spawn.get_preparation_data`, less the host's main module for this
    runner's own processes (named `ramstein-...`): their target is an importable function,
    so re-running the host program in each child is of no use, and fails outright when that
    program has no file (fed on stdin) or no `if __name__ == "__main__"` guard."""

    def prepare(name: str) -> dict[str, Any]:
        data = plain(name)
        if name.startswith(PROCESS_PREFIX):
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    prepare.without_main = True  # type: ignore[attr-defined]
    return prepare


def forking() -> ForkServerContext:
    """Where attempts' processes come from: the fork server, which preloads `PRELOAD`."""
    global _context
    with _context_lock:
        if _context is None:
            if not getattr(spawn.get_preparation_data, "without_main", False):
                spawn.get_preparation_data = _preparation_without_main(spawn.get_preparation_data)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def warm() -> None:
    """Start the fork server and wait for its imports, so that no attempt waits for them."""
    probe = forking().Process(target=os.getpid, name=f"{PROCESS_PREFIX}warm", daemon=True)
    probe.start()  # answered once the server has imported `PRELOAD`
    probe.join()
    probe.close()


def run(store: Store, job_id: int, *, worker: str | None = None) -> Outcome:
    """Run the job's next attempt to its end."""
    with store.transaction(actor="worker") as session:
        job = jobs.begin_attempt(session, job_id, worker=worker or worker_name())
    if job is None:
        return Outcome.SKIPPED
    attempt = job.attempts
    with tempfile.NamedTemporaryFile(prefix="ramstein-job-", suffix=".err") as errors:
        child = forking().Process(
            target=job_solve.forked,
            args=(store.url, job_id, attempt, errors.name),
            name=f"{PROCESS_PREFIX}job-{job_id}-{attempt}",
            daemon=True,  # ended with its worker, never waited for
        )
        child.start()
        code = _wait(store, child, job_id, attempt)
        child.close()
        if code is None:
            return Outcome.STOPPED
        errors.seek(0)
        lines = [x for x in errors.read().decode(errors="replace").splitlines() if x.strip()]
    with store.transaction(actor="worker") as session:
        ended = jobs.get(session, job_id)
        if code in (0, SUPERSEDED):
            done = ended is not None and ended.status is JobStatus.DONE
            return Outcome.DONE if done else Outcome.STOPPED
        reason = lines[-1] if lines else f"the solver process ended with code {code}"
        again = jobs.end_attempt_failed(session, job_id, attempt, reason)
    return Outcome.RETRY if again else Outcome.FAILED


def _wait(store: Store, child: BaseProcess, job_id: int, attempt: int) -> int | None:
    """The child's exit code; None if the attempt stopped counting and the child was killed."""
    while True:
        child.join(timeout=POLL_SECONDS)
        if child.exitcode is not None:
            return child.exitcode
        with store.transaction(actor="worker") as session:
            job = jobs.get(session, job_id)
        if job is None or job.status is not JobStatus.RUNNING or job.attempts != attempt:
            child.kill()
            child.join()
            return None


class LocalWorker:
    """The server's own worker (SQLite): runs queued jobs one at a time in a thread.

    On start, jobs left running by a process that died are queued again.
    """

    def __init__(self, store: Store, *, on_outcome: Callable[[int, Outcome], None] | None = None):
        self.store = store
        self.on_outcome = on_outcome
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="ramstein-jobs", daemon=True)

    def start(self) -> None:
        """Queue orphaned jobs again and start taking jobs."""
        with self.store.transaction(actor="worker") as session:
            jobs.requeue_orphans(session, alive)
        self.thread.start()

    def _loop(self) -> None:
        try:
            warm()
        except Exception:  # the first attempt starts the fork server again, or reports why not
            log.exception("starting the planner processes' fork server failed")
        self._take()

    def stop(self) -> None:
        """Stop after the current job (a running solve is left to finish)."""
        self.stopping.set()
        self.wake.set()

    def _take(self) -> None:
        while not self.stopping.is_set():
            try:
                with self.store.transaction(actor="worker") as session:
                    job_id = jobs.next_queued(session)
                if job_id is None:
                    self.wake.wait(POLL_SECONDS * 4)
                    self.wake.clear()
                    continue
                outcome = run(self.store, job_id)
            except Exception:  # a locked or lost database: the worker lives on and retries
                log.exception("running planner jobs failed; retrying")
                self.stopping.wait(POLL_SECONDS * 4)
                continue
            if self.on_outcome is not None:
                self.on_outcome(job_id, outcome)
