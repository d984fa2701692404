"""Run planner jobs' attempts: each solve in a child process, watched for cancellation.

Used by both queues: the Procrastinate worker (PostgreSQL) and the server's own worker
thread (SQLite). A solve in its own process can be stopped at once, takes none of the
server's interpreter, and ends when its worker dies.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from enum import StrEnum

from ramstein.services import jobs
from ramstein.services.job_solve import SUPERSEDED
from ramstein.services.jobs import JobStatus
from ramstein.store.db import Store

POLL_SECONDS = 0.5

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


def run(store: Store, job_id: int, *, worker: str | None = None) -> Outcome:
    """Run the job's next attempt to its end."""
    with store.transaction(actor="worker") as session:
        job = jobs.begin_attempt(session, job_id, worker=worker or worker_name())
    if job is None:
        return Outcome.SKIPPED
    attempt = job.attempts
    env = {**os.environ, "RAMSTEIN_DATABASE_URL": store.url}
    command = [sys.executable, "-m", "ramstein.services.job_solve", str(job_id), str(attempt)]
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        code = _wait(store, child, job_id, attempt)
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


def _wait(store: Store, child: subprocess.Popen[bytes], job_id: int, attempt: int) -> int | None:
    """The child's exit code; None if the attempt stopped counting and the child was killed."""
    while True:
        try:
            return child.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        with store.transaction(actor="worker") as session:
            job = jobs.get(session, job_id)
        if job is None or job.status is not JobStatus.RUNNING or job.attempts != attempt:
            child.kill()
            child.wait()
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

    def stop(self) -> None:
        """Stop after the current job (a running solve is left to finish)."""
        self.stopping.set()
        self.wake.set()

    def _loop(self) -> None:
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
