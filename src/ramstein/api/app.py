"""The JSON API under /api/v1 as a FastAPI application; ramstein.app mounts the pages on it."""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ramstein import __version__
from ramstein.api import docs
from ramstein.api.headers import SecurityHeaders
from ramstein.api.idempotency import Replayed
from ramstein.api.routes import (
    audit,
    catalog,
    coalitions,
    contracts,
    contributions,
    nations,
    plans,
    production,
    purl,
    releases,
    shares,
    tracking,
)
from ramstein.domain.errors import InputError
from ramstein.services.queue import dispatcher_for
from ramstein.store.db import Store, WriteConflict

API_PREFIX = "/api/v1"


def _not_json(value: Any) -> bool:
    """Whether JSON cannot carry a value (an infinite or NaN float)."""
    return isinstance(value, float) and not math.isfinite(value)


class EscapedJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped: a refused input is echoed back even
    when it holds text UTF-8 cannot encode (a lone surrogate, `"\\ud800"` in a body)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")


def create_api(database_url: str) -> FastAPI:
    """The API over the store at `database_url`, opened (and migrated) at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.jobs.start()
        try:
            yield
        finally:
            app.state.jobs.close()
            app.state.store.close()

    app = FastAPI(
        title="Ramstein",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served from local assets by api.docs
        redoc_url=None,
        lifespan=lifespan,
    )

    # Opened here, not at start-up, so that any ASGI caller finds the app ready.
    app.state.store = Store(database_url)
    app.state.shares_cache = {}
    # Planner jobs go to Procrastinate (PostgreSQL) or this server's own worker (SQLite).
    app.state.jobs = dispatcher_for(app.state.store)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(InputError)
    async def input_error(_request: Request, exc: InputError) -> JSONResponse:
        # The shape of FastAPI's own validation errors, so one schema describes every 422.
        detail = [{"loc": [exc.field], "msg": exc.message, "type": "value_error"}]
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own shape, with inputs JSON cannot carry (1e999 is inf) named as text.
        detail = [
            {**e, "input": repr(e["input"])} if _not_json(e.get("input")) else e
            for e in exc.errors()
        ]
        return EscapedJSONResponse(status_code=422, content={"detail": jsonable_encoder(detail)})

    @app.exception_handler(WriteConflict)
    async def write_conflict(_request: Request, exc: WriteConflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": str(exc)})

    @app.exception_handler(Replayed)
    async def replayed(_request: Request, exc: Replayed) -> JSONResponse:
        return exc.response

    for router in (
        nations.router,
        contributions.router,
        shares.router,
        catalog.requirements,
        catalog.offers,
        plans.router,
        contracts.router,
        audit.router,
        releases.router,
        tracking.consignments,
        tracking.cohorts,
        purl.router,
        production.router,
        coalitions.router,
        coalitions.custody_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(docs.router_for(API_PREFIX, f"{API_PREFIX}/openapi.json"))
    return app
