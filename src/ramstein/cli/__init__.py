"""The `ramstein` command: one thin command per capability over the library."""

from __future__ import annotations

from typing import Annotated

import typer

from ramstein.cli import access, exchange, ledger, match, procurement, route, train
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
app.command()(exchange.template)
app.command("import")(exchange.import_)
app.command()(exchange.export)
app.command()(exchange.report)
app.add_typer(access.account_app, name="account")
app.add_typer(access.audit_app, name="audit")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the dashboard and the JSON API."""
    import uvicorn

    # Named, not imported: the composition root sits above the CLI, the API and the pages.
    console.print(f"Serving on http://{host}:{port}")
    uvicorn.run("ramstein.app:from_settings", factory=True, host=host, port=port)
