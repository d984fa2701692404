"""`python -m ramstein.cli`: the same as the `ramstein` command."""

from ramstein.cli import app

app()
