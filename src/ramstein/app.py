"""The served application: the JSON API with the dashboard's pages beside it.

This is the composition root, the one module above `api` and `web` (which import neither
each other nor it): it builds the API, whose state (the store, the planner jobs' queue)
the pages share, and mounts the pages' router on it. `ramstein serve` names it to uvicorn
as `ramstein.app:from_settings`, so the CLI imports neither.
"""

from __future__ import annotations

from fastapi import FastAPI

from ramstein.api.app import create_api
from ramstein.settings import get_settings
from ramstein.web import jobs_page, pages, workflow


def create_app(database_url: str) -> FastAPI:
    """The API and the dashboard over the store at `database_url`."""
    app = create_api(database_url)
    app.include_router(pages.router)
    app.include_router(jobs_page.router)
    app.include_router(workflow.router)
    return app


def from_settings() -> FastAPI:
    """The app over the configured store (RAMSTEIN_DATABASE_URL), for uvicorn's factory mode."""
    return create_app(get_settings().resolved_database_url())
