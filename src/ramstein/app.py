"""The served application: the JSON API with the dashboard's pages beside it.

This is the composition root, the one module above `api` and `web` (which import neither
each other nor it): it builds the API, whose state (the store, the planner jobs' queue)
the pages share, and mounts the pages' router on it. `ramstein serve` names it to uvicorn
as `ramstein.app:from_settings`, so the CLI imports neither.
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI

from ramstein.api.app import create_api
from ramstein.settings import get_settings
from ramstein.web import site
from ramstein.web.throttle import Throttle


def create_app(database_url: str) -> FastAPI:
    """The API and the dashboard over the store at `database_url`."""
    app = create_api(database_url)
    # Signs the dashboard's form tokens; new at each start (open forms are then reloaded).
    app.state.csrf_key = secrets.token_bytes(32)
    app.state.signin_throttle = Throttle()
    app.include_router(site.router)
    return app


def from_settings() -> FastAPI:
    """The app over the configured store (RAMSTEIN_DATABASE_URL), for uvicorn's factory mode."""
    return create_app(get_settings().resolved_database_url())
