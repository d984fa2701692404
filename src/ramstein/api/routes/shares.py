"""`/api/v1/shares`: the `ramstein.shares/1` document of the current scenario, with what-ifs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ramstein.api.deps import SessionDep
from ramstein.domain.scenario import OptOutShare
from ramstein.io.scenario_json import shares_document
from ramstein.ledger.standing import Standing, current_scenario, what_if_shares

router = APIRouter(prefix="/shares", tags=["shares"])


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


@router.get("")
def get_shares(
    session: SessionDep,
    without: Annotated[str, Query(description="withdrawals, e.g. USA,DEU")] = "",
    baseline: Annotated[float | None, Query(description="another baseline in EUR")] = None,
    mode: Annotated[OptOutShare | None, Query(description="redistribute or uncovered")] = None,
) -> dict[str, Any]:
    """The shares document for the current scenario."""
    return shares_document(standing_for(session, without, baseline, mode).result)
