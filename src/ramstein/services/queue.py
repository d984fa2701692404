"""The PostgreSQL job queue: planner jobs on Procrastinate, in the store's own database.

The API defers a job here after recording it (`services.jobs`); `ramstein worker` runs
Procrastinate workers on any machine that reaches the database. Every worker also looks
for stalled jobs (their worker's heartbeat stopped) and gives them to the queue again, and
hands over jobs whose submitter died between recording and deferring them.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

from procrastinate import App, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.engine import make_url

from ramstein.services import job_runner, jobs
from ramstein.store.db import Store

QUEUE = "planners"
TASK = "ramstein.plan"
HEARTBEAT_SECONDS = 10.0
# A worker is presumed dead after this many heartbeats missed.
STALLED_AFTER = 3
# A job recorded but not deferred after this long was left by a submitter that died.
UNQUEUED_GRACE = timedelta(seconds=10)

log = logging.getLogger(__name__)


class AttemptFailed(Exception):
    """An attempt failed and the job is queued for another (Procrastinate retries it)."""


def conninfo(url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def make_app(url: str, store: Store | None = None) -> App:
    """A Procrastinate app on the store's database; `store` runs jobs (workers only)."""
    app = App(connector=PsycopgConnector(conninfo=conninfo(url)))

    @app.task(
        name=TASK,
        queue=QUEUE,
        retry=RetryStrategy(max_attempts=jobs.MAX_ATTEMPTS, wait=1),
    )
    async def plan(job_id: int) -> None:
        """Run a planner job's next attempt."""
        if store is None:
            raise RuntimeError("this app only defers jobs")
        outcome = await asyncio.to_thread(job_runner.run, store, job_id)
        if outcome is job_runner.Outcome.RETRY:
            raise AttemptFailed(f"job {job_id}: attempt failed, queued again")

    return app


def defer(app: App, job_id: int) -> int | None:
    """Hand a recorded job to the queue; its queue id (None if it is queued already)."""
    try:
        return app.configure_task(TASK, queueing_lock=f"job-{job_id}").defer(job_id=job_id)
    except AlreadyEnqueued:
        return None


def cancel(app: App, queue_id: int) -> None:
    """Withdraw a job from the queue if no worker took it yet (a running one is stopped by
    its worker, which sees the cancelled record)."""
    app.job_manager.cancel_job_by_id(queue_id)


async def _recover(app: App, store: Store, heartbeat: float) -> None:
    """Every heartbeat: retry stalled jobs; defer jobs whose submitter died before."""
    while True:
        await asyncio.sleep(heartbeat)
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                queue=QUEUE, seconds_since_heartbeat=heartbeat * STALLED_AFTER
            )
            for job in stalled:
                log.warning("retrying stalled job %s", job.id)
                await app.job_manager.retry_job(job)
            await asyncio.to_thread(_defer_unqueued, app, store)
        except Exception:  # a database hiccup must not stop the worker: try next beat
            log.exception("recovering stalled jobs failed")


def _defer_unqueued(app: App, store: Store) -> None:
    with store.transaction(actor="worker") as session:
        waiting = jobs.unqueued(session, datetime.now(UTC) - UNQUEUED_GRACE)
    for job_id in waiting:
        queue_id = defer(app, job_id)
        if queue_id is not None:
            with store.transaction(actor="worker") as session:
                jobs.set_queue_id(session, job_id, queue_id)


async def run_worker(url: str, *, concurrency: int, heartbeat: float = HEARTBEAT_SECONDS) -> None:
    """Run a Procrastinate worker for planner jobs until stopped (SIGINT/SIGTERM)."""
    store = await asyncio.to_thread(Store, url)
    await asyncio.to_thread(job_runner.warm)
    app = make_app(url, store)
    try:
        async with app.open_async():
            recovery = asyncio.create_task(_recover(app, store, heartbeat))
            try:
                await app.run_worker_async(
                    queues=[QUEUE],
                    concurrency=concurrency,
                    update_heartbeat_interval=heartbeat,
                    stalled_worker_timeout=heartbeat * STALLED_AFTER,
                    # A stopped worker's running solves are retried by the others.
                    shutdown_graceful_timeout=heartbeat,
                )
            finally:
                recovery.cancel()
    finally:
        store.close()


class Dispatcher(Protocol):
    """How the API hands jobs on: to Procrastinate (PostgreSQL) or its own worker (SQLite)."""

    def start(self) -> None:
        """Begin (the local worker resumes jobs a dead process left)."""

    def enqueued(self, job_id: int) -> None:
        """A job was recorded: hand it on."""

    def cancelled(self, job: jobs.Job) -> None:
        """A job was cancelled in its record: withdraw it where it waits."""

    def close(self) -> None:
        """Release what `start` took."""


class QueueDispatch:
    """PostgreSQL: defer jobs on Procrastinate; workers run them (`ramstein worker`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.app: App | None = None
        self.lock = threading.Lock()

    def _app(self) -> App:
        with self.lock:
            if self.app is None:
                self.app = make_app(self.store.url).open()
            return self.app

    def start(self) -> None:
        """Nothing to start: the queue is opened on first use."""

    def enqueued(self, job_id: int) -> None:
        """Defer the job; a submitter dying before this is covered by the workers."""
        queue_id = defer(self._app(), job_id)
        if queue_id is not None:
            with self.store.transaction(actor="api") as session:
                jobs.set_queue_id(session, job_id, queue_id)

    def cancelled(self, job: jobs.Job) -> None:
        """Withdraw the job from the queue if it still waits there."""
        if job.queue_id is not None:
            cancel(self._app(), job.queue_id)

    def close(self) -> None:
        """Close the queue's connections."""
        with self.lock:
            if self.app is not None:
                self.app.close()
                self.app = None


class LocalDispatch:
    """SQLite: the server's own worker thread runs the jobs, one at a time."""

    def __init__(self, store: Store) -> None:
        self.worker = job_runner.LocalWorker(store)
        self.lock = threading.Lock()
        self.started = False

    def start(self) -> None:
        """Resume jobs a dead process left, and start the worker."""
        with self.lock:
            if not self.started:
                self.worker.start()
                self.started = True

    def enqueued(self, job_id: int) -> None:
        """Wake the worker."""
        self.start()
        self.worker.wake.set()

    def cancelled(self, job: jobs.Job) -> None:
        """Nothing: the worker sees the cancelled record and stops the solve."""

    def close(self) -> None:
        """Let the worker stop after its current job."""
        self.worker.stop()


def dispatcher_for(store: Store) -> Dispatcher:
    """The queue for the store's database."""
    if store.engine.dialect.name == "postgresql":
        return QueueDispatch(store)
    return LocalDispatch(store)
