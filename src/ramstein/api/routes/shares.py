"""`/api/v1/shares`: the `ramstein.shares/1` document of the current scenario, with what-ifs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from ramstein.api.deps import SessionDep, ViewerDep
from ramstein.domain.access import Role
from ramstein.domain.scenario import OptOutShare
from ramstein.io.review_json import resilience_document
from ramstein.io.scenario_json import shares_document
from ramstein.ledger.standing import Standing, current_scenario, what_if_shares
from ramstein.services.ledger_view import shares_for
from ramstein.shares.resilience import resilience
from ramstein.store.audit import revision
from ramstein.store.db import Store

router = APIRouter(prefix="/shares", tags=["shares"])

HIDDEN_FIGURES = ("counted_eur", "gap_eur", "counted_pct_of_gdp")
_NUMBER_OR_NULL = {"type": ["number", "null"]}
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
                "required": [
                    "iso3",
                    "participating",
                    "key_share",
                    "fair_share_eur",
                    "withheld",
                    *HIDDEN_FIGURES,
                ],
                "properties": {
                    "iso3": {"type": "string"},
                    "participating": {"type": "boolean"},
                    "key_share": {"type": "number"},
                    "fair_share_eur": {"type": "number"},
                    "withheld": {"type": "boolean"},
                    **dict.fromkeys(HIDDEN_FIGURES, _NUMBER_OR_NULL),
                },
            },
        },
    },
}


def standing_for(
    session: SessionDep,
    without: str = "",
    baseline: float | None = None,
    mode: OptOutShare | None = None,
) -> Standing:
    """The current scenario's shares under the what-ifs (bad input: the app's 422 handler)."""
    codes = tuple(c.strip().upper() for c in without.split(",") if c.strip())
    return what_if_shares(
        current_scenario(session, condensed=True), without=codes, baseline_eur=baseline, mode=mode
    )


def viewer_class(viewer: ViewerDep) -> str:
    """Viewers who see the same rows share cached answers."""
    if viewer.role is Role.NATION:
        return f"nation:{viewer.nation}"
    return viewer.role.value if viewer.role is not Role.RECIPIENT else "alliance"


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
    """The shares document; a nation's counted figures are withheld where they would reveal
    a contribution the caller may not see (then `withheld: true` and the figures are null).
    """
    key = (viewer_class(viewer), without, baseline, mode)
    cache: dict[tuple[Any, ...], Cached] = request.app.state.shares_cache
    store: Store = request.app.state.store
    with store.transaction(actor=viewer.name, write=False) as session:
        # The revision (the last audit record's id) is read from the database on every
        # request: a write through any process, API or CLI, is seen on the next read.
        current = revision(session)
        hit = cache.get(key)
        if hit is not None and hit.revision == current:
            return Response(hit.body, media_type="application/json")
        standing = standing_for(session, without, baseline, mode)
        flags = {f["iso3"]: f["withheld"] for f in shares_for(viewer, standing)}
    doc = shares_document(standing.result)
    for line in doc["nations"]:
        line["withheld"] = flags[line["iso3"]]
        if line["withheld"]:
            for figure in HIDDEN_FIGURES:
                line[figure] = None
    body = json.dumps(doc).encode()
    if len(cache) > 256:
        cache.clear()
    cache[key] = Cached(current, body)
    return Response(body, media_type="application/json")


@router.get("/resilience")
def get_resilience(session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """`ramstein.resilience/1`: every participant's withdrawal, heaviest load first.

    Fair-share shifts come from public indicators; what a nation must still give depends on
    its counted total, so it is null (and the exit's sum too) where that total is withheld.
    """
    scenario = current_scenario(session, condensed=True)
    doc = resilience_document(resilience(scenario))
    flags = {f["iso3"]: f["withheld"] for f in shares_for(viewer, what_if_shares(scenario))}
    for exit_ in doc["exits"]:
        hidden = False
        for taker in exit_["takers"]:
            taker["withheld"] = flags[taker["iso3"]]
            if taker["withheld"]:
                taker["extra_gap_eur"] = None
                hidden = True
        if hidden:
            exit_["extra_gap_eur"] = None
    return doc
