"""The `ramstein` command: one thin command per capability over the library."""

from __future__ import annotations

from typing import Annotated

import typer

from ramstein.cli import (
    access,
    coalition,
    custody,
    exchange,
    fx,
    jobs,
    ledger,
    match,
    procurement,
    production,
    purl,
    route,
    train,
)
from ramstein.cli.common import GuardedGroup, console

app = typer.Typer(
    cls=GuardedGroup,
    help="Ramstein: the pledge ledger, fair shares and coordination planners.",
    no_args_is_help=True,
)
app.command()(ledger.load)
app.command()(ledger.shares)
app.command()(ledger.review)
app.command()(ledger.credit)
app.add_typer(ledger.contribution_app, name="contribution")
app.add_typer(match.app, name="match")
app.add_typer(route.app, name="route")
app.command()(route.track)
app.add_typer(train.app, name="train")
app.command()(train.readiness)
app.add_typer(procurement.app, name="contract")
app.add_typer(purl.app, name="purl")
app.add_typer(production.app, name="production")
app.add_typer(coalition.app, name="coalition")
app.add_typer(custody.app, name="custody")
app.command()(exchange.template)
app.command("import")(exchange.import_)
app.command()(exchange.export)
app.command()(exchange.report)
app.add_typer(fx.app, name="fx")
app.add_typer(access.account_app, name="account")
app.add_typer(access.audit_app, name="audit")
app.command()(jobs.worker)
app.add_typer(jobs.jobs_app, name="jobs")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="API processes")] = 1,
) -> None:
    """Serve the dashboard and the JSON API (with SQLite, planner jobs run here too)."""
    import os
    import sys

    import uvicorn

    # Named, not imported: the composition root sits above the CLI, the API and the pages.
    # Each process builds its app from the same settings (the environment).
    app_path = "ramstein.app:from_settings"
    console.print(f"Serving on http://{host}:{port} with {workers} process(es)")
    if workers == 1:
        uvicorn.run(app_path, factory=True, host=host, port=port)
        return
    # Several processes: uvicorn's own command supervises them (its spawned children then
    # start from uvicorn's main module, not from this command's).
    command = ["-m", "uvicorn", app_path, "--factory", "--host", host, "--port", str(port)]
    os.execv(sys.executable, [sys.executable, *command, "--workers", str(workers)])
