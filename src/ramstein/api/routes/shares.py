"""`/api/v1/shares`: the `ramstein.shares/1` document of the current scenario, with what-ifs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ramstein.api.deps import SessionDep, ViewerDep
from ramstein.domain.access import Role
from ramstein.domain.scenario import OptOutShare
from ramstein.io.scenario_json import shares_document
from ramstein.ledger.standing import Standing, current_scenario, what_if_shares
from ramstein.services.ledger_view import shares_for
from ramstein.store.audit import revision

router = APIRouter(prefix="/shares", tags=["shares"])

HIDDEN_FIGURES = ("counted_eur", "gap_eur", "counted_pct_of_gdp")


def standing_for(
    session: SessionDep,
    without: str = "",
    baseline: float | None = None,
    mode: OptOutShare | None = None,
) -> Standing:
    """The current scenario's shares under the what-ifs (bad input: the app's 422 handler)."""
    codes = tuple(c.strip().upper() for c in without.split(",") if c.strip())
    return what_if_shares(
        current_scenario(session), without=codes, baseline_eur=baseline, mode=mode
    )


def viewer_class(viewer: ViewerDep) -> str:
    """Viewers who see the same rows share cached answers."""
    if viewer.role is Role.NATION:
        return f"nation:{viewer.nation}"
    return viewer.role.value if viewer.role is not Role.RECIPIENT else "alliance"


@router.get("")
def get_shares(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    without: Annotated[str, Query(max_length=400, description="withdrawals, e.g. USA,DEU")] = "",
    baseline: Annotated[
        float | None, Query(ge=0, le=1e15, description="another baseline in EUR")
    ] = None,
    mode: Annotated[OptOutShare | None, Query(description="redistribute or uncovered")] = None,
) -> dict[str, Any]:
    """The shares document; a nation's counted figures are withheld where they would reveal
    a contribution the caller may not see (then `withheld: true` and the figures are null).
    """
    key = (revision(session), viewer_class(viewer), without, baseline, mode)
    cache: dict[tuple[Any, ...], dict[str, Any]] = request.app.state.shares_cache
    cached = cache.get(key)
    if cached is not None:
        return cached
    standing = standing_for(session, without, baseline, mode)
    doc = shares_document(standing.result)
    flags = {f["iso3"]: f["withheld"] for f in shares_for(session, viewer, standing)}
    for line in doc["nations"]:
        line["withheld"] = flags[line["iso3"]]
        if line["withheld"]:
            for figure in HIDDEN_FIGURES:
                line[figure] = None
    if len(cache) > 256:
        cache.clear()
    cache[key] = doc
    return doc
