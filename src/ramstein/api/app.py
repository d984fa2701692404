"""The FastAPI application: the JSON API under /api/v1 and the dashboard's pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ramstein import __version__
from ramstein.api.routes import shares
from ramstein.domain.errors import InputError
from ramstein.store.db import Store
from ramstein.web import pages

API_PREFIX = "/api/v1"


def create_app(database_url: str) -> FastAPI:
    """An app over the store at `database_url`, opened (and migrated) at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = Store(database_url)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="Ramstein",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        lifespan=lifespan,
    )

    @app.exception_handler(InputError)
    async def input_error(_request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    app.include_router(shares.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    return app
