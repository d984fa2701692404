"""`/api/v1/production`: Ukraine's production capacity per item and month, and its funding
need under the latest match plan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ramstein.api.deps import RequirementReader, RequirementWriter, SessionDep
from ramstein.domain.access import Action, may
from ramstein.io.production_json import ProductionDoc, parse_production
from ramstein.services import production

router = APIRouter(prefix="/production", tags=["production"])
READERS: dict[int | str, dict[str, Any]] = {403: {"description": "Not for the public"}}


@router.get("", responses=READERS)
def list_capacities(session: SessionDep, viewer: RequirementReader) -> dict[str, Any]:
    """Each capacity; with the units the latest match plan draws from it and the funding
    that needs, for those who may read plans (coordinators, the recipient)."""
    plans = may(viewer, Action.READ_PLANS)
    return {
        "capacities": [
            {
                "id": n.capacity.id,
                "maker": n.capacity.maker,
                "item": n.capacity.item,
                "month": f"{n.capacity.month:%Y-%m}",
                "units": n.capacity.units,
                "unit_price": n.capacity.unit_price,
                "currency": n.capacity.currency,
                "source": n.capacity.source,
                **({"planned_units": n.planned_units, "funding_needed": n.amount} if plans else {}),
            }
            for n in production.funding_needs(session)
        ]
    }


@router.post("", responses=READERS)
def add_capacities(
    body: ProductionDoc, session: SessionDep, viewer: RequirementWriter
) -> dict[str, Any]:
    """Record capacities (the recipient, coordinators); each becomes an offer to the match."""
    capacities = parse_production(body.model_dump_json())
    return {"changed": production.add_capacities(session, capacities)}
