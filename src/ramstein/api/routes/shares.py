"""`/api/v1/shares`: the `ramstein.shares/1` document of the current scenario, with what-ifs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from ramstein.api.deps import SessionDep, ViewerDep
from ramstein.domain.access import Viewer, viewer_class
from ramstein.domain.scenario import OptOutShare
from ramstein.io.review_json import resilience_document
from ramstein.io.scenario_json import shares_document
from ramstein.ledger.standing import Standing, current_scenario
from ramstein.services.ledger_view import viewer_standing
from ramstein.shares.resilience import resilience
from ramstein.store.audit import revision
from ramstein.store.db import Store

router = APIRouter(prefix="/shares", tags=["shares"])

_FIGURES = ("counted_eur", "gap_eur", "counted_pct_of_gdp")
SHARES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format", "baseline_eur", "uncovered_eur", "nations"],
    "properties": {
        "format": {"const": "ramstein.shares/1"},
        "baseline_eur": {"type": "number"},
        "uncovered_eur": {"type": "number"},
        "nations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["iso3", "participating", "key_share", "fair_share_eur", *_FIGURES],
                "properties": {
                    "iso3": {"type": "string"},
                    "participating": {"type": "boolean"},
                    "key_share": {"type": "number"},
                    "fair_share_eur": {"type": "number"},
                    "counted_eur": {"type": "number"},
                    "gap_eur": {"type": "number"},
                    "counted_pct_of_gdp": {"type": "number"},
                },
            },
        },
    },
}


def standing_for(
    session: SessionDep,
    viewer: Viewer,
    without: str = "",
    baseline: float | None = None,
    mode: OptOutShare | None = None,
) -> Standing:
    """The viewer's shares under the what-ifs (bad input: the app's 422 handler)."""
    codes = tuple(c.strip().upper() for c in without.split(",") if c.strip())
    return viewer_standing(session, viewer, without=codes, baseline_eur=baseline, mode=mode)


@dataclass
class Cached:
    """A rendered shares document and the store revision it reflects."""

    revision: int
    body: bytes


@router.get("", responses={200: {"content": {"application/json": {"schema": SHARES_SCHEMA}}}})
def get_shares(
    request: Request,
    viewer: ViewerDep,
    without: Annotated[str, Query(max_length=400, description="withdrawals, e.g. USA,DEU")] = "",
    baseline: Annotated[
        float | None, Query(ge=0, le=1e15, description="another baseline in EUR")
    ] = None,
    mode: Annotated[OptOutShare | None, Query(description="redistribute or uncovered")] = None,
) -> Response:
    """The shares document over the contributions the caller may see (and no others)."""
    key = (viewer_class(viewer), without, baseline, mode)  # viewers seeing the same rows
    cache: dict[tuple[Any, ...], Cached] = request.app.state.shares_cache
    store: Store = request.app.state.store
    with store.transaction(actor=viewer.name, write=False) as session:
        # The revision (the last audit record's id) is read from the database on every
        # request: a write through any process, API or CLI, is seen on the next read.
        current = revision(session)
        hit = cache.get(key)
        if hit is not None and hit.revision == current:
            return Response(hit.body, media_type="application/json")
        standing = standing_for(session, viewer, without, baseline, mode)
    doc = shares_document(standing.result)
    body = json.dumps(doc).encode()
    if len(cache) > 256:
        cache.clear()
    cache[key] = Cached(current, body)
    return Response(body, media_type="application/json")


@router.get("/resilience")
def get_resilience(session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """`ramstein.resilience/1`: every participant's withdrawal, heaviest load first, over the
    contributions the caller may see."""
    scenario = current_scenario(session, condensed=True, viewer=viewer)
    return resilience_document(resilience(scenario))
