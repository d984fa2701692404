"""`ramstein worker` runs planner jobs; `ramstein jobs` lists and cancels them."""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

import typer
from rich.table import Table

from ramstein.cli.common import actor, console, fail, print_stored, transaction
from ramstein.cli.tables import Readable
from ramstein.services import jobs as job_records
from ramstein.services.jobs import Job
from ramstein.settings import get_settings

jobs_app = typer.Typer(
    help="Planner jobs: list them (default) or cancel one.", invoke_without_command=True
)


def worker(
    concurrency: Annotated[
        int,
        typer.Option(min=1, help="solves at once (default: one per core)"),
    ] = 0,
    heartbeat: Annotated[
        float,
        typer.Option(min=0.2, help="seconds between heartbeats; stalled after three missed"),
    ] = 10.0,
) -> None:
    """Run queued planner jobs (PostgreSQL): start one per machine, as many as needed."""
    from ramstein.services.queue import run_worker

    url = get_settings().resolved_database_url()
    if not url.startswith("postgresql"):
        fail("worker: needs a PostgreSQL store; with SQLite, `ramstein serve` runs the jobs")
    solves = concurrency or os.cpu_count() or 1
    console.print(f"Worker running up to {solves} planner jobs at once")
    asyncio.run(run_worker(url, concurrency=solves, heartbeat=heartbeat))


def _table(rows: list[Job]) -> Table:
    table = Readable(title="Planner jobs")
    for header in ("Id", "Kind", "Status", "Try", "Incumbent", "Bound", "Gap", "Elapsed", "Plan"):
        table.add_column(header, justify="right" if header not in ("Kind", "Status") else "left")

    def number(value: float | None, fmt: str = ",.6g") -> str:
        return "-" if value is None else format(value, fmt)

    for j in rows:
        table.add_row(
            str(j.id),
            j.kind.value,
            j.status.value + (f" ({j.error})" if j.error else ""),
            str(j.attempts),
            number(j.incumbent),
            number(j.bound),
            number(j.gap, ".2%"),
            f"{number(j.elapsed, '.1f')} / {j.time_limit:.0f} s",
            "-" if j.plan_version is None else str(j.plan_version),
        )
    return table


@jobs_app.callback()
def jobs_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="how many, newest first")] = 20,
) -> None:
    """List planner jobs, newest first, with their progress."""
    if ctx.invoked_subcommand is not None:
        return
    print_stored(lambda session: job_records.list_jobs(session, limit=limit), _table)


@jobs_app.command("cancel")
def jobs_cancel(job_id: Annotated[int, typer.Argument(help="the job's id")]) -> None:
    """Cancel a queued or running job (its worker stops the solve)."""
    with transaction() as session:
        job = job_records.get(session, job_id)
        if job is None:
            fail(f"jobs[{job_id}]: not found")
        if job.status not in job_records.ACTIVE:
            fail(f"jobs[{job_id}]: already {job.status.value}")
        job_records.cancel(session, job_id, actor=actor())
    if job.queue_id is not None:
        from ramstein.services.queue import cancel, make_app

        app = make_app(get_settings().resolved_database_url()).open()
        try:
            cancel(app, job.queue_id)
        finally:
            app.close()
    console.print(f"Cancelled job {job_id}.")
