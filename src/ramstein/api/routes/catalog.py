"""`/api/v1/requirements` and `/api/v1/offers`: the coordination catalog."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from ramstein.api.deps import SessionDep, ViewerDep
from ramstein.api.schemas import OfferCreate, OfferPublic, RequirementCreate, RequirementPublic
from ramstein.domain.access import can_write_offer, can_write_requirement, visible
from ramstein.domain.errors import InputError
from ramstein.domain.items import Offer, Requirement
from ramstein.store import catalog

requirements = APIRouter(prefix="/requirements", tags=["requirements"])
offers = APIRouter(prefix="/offers", tags=["offers"])


@requirements.get("", response_model=list[RequirementPublic])
def list_requirements(session: SessionDep) -> list[RequirementPublic]:
    """The recipient's requirements, highest priority first."""
    return [
        RequirementPublic(
            id=r.id,
            item=r.item,
            quantity=r.quantity,
            priority=r.priority,
            needed_by=r.needed_by,
            substitutes=list(r.substitutes),
        )
        for r in catalog.list_requirements(session)
    ]


@requirements.post(
    "",
    status_code=201,
    response_model=RequirementPublic,
    responses={403: {"description": "Not the recipient or a coordinator"}},
)
def create_requirement(
    body: RequirementCreate, session: SessionDep, viewer: ViewerDep
) -> RequirementPublic:
    """Add or update a requirement (the recipient's liaison or a coordinator)."""
    if not can_write_requirement(viewer):
        raise HTTPException(status_code=403, detail=f"role: {viewer.role.value} may not do this")
    _known_items(session, [body.item, *body.substitutes], f"requirements[{body.id}].item")
    requirement = Requirement(
        body.id, body.item, body.quantity, body.priority, body.needed_by, tuple(body.substitutes)
    )
    catalog.upsert_requirement(session, requirement)
    session.flush()
    catalog.match_instance(session).check()
    return RequirementPublic(**body.model_dump())


def _known_items(session: SessionDep, items: list[str], field: str) -> None:
    known = {i.id for i in catalog.list_items(session)}
    for item in items:
        if item not in known:
            raise InputError(field, f"unknown item {item!r}")


@offers.get("", response_model=list[OfferPublic])
def list_offers(session: SessionDep, viewer: ViewerDep) -> list[OfferPublic]:
    """The offers the caller may see."""
    return [
        OfferPublic(
            id=o.id,
            donor=o.donor,
            item=o.item,
            quantity=o.quantity,
            available_from=o.available_from,
            visibility=o.visibility,
        )
        for o in catalog.list_offers(session)
        if visible(viewer, o.visibility, o.donor)
    ]


@offers.post(
    "",
    status_code=201,
    response_model=OfferPublic,
    responses={403: {"description": "Not the caller's nation"}},
)
def create_offer(body: OfferCreate, session: SessionDep, viewer: ViewerDep) -> OfferPublic:
    """Add or update an offer (a nation only its own)."""
    if not can_write_offer(viewer, body.donor):
        raise HTTPException(status_code=403, detail=f"donor: may not write for {body.donor}")
    existing = {o.id: o for o in catalog.list_offers(session)}
    if body.id in existing and not can_write_offer(viewer, existing[body.id].donor):
        raise HTTPException(status_code=403, detail=f"offers[{body.id}]: not the caller's")
    _known_items(session, [body.item], f"offers[{body.id}].item")
    offer = Offer(
        body.id, body.donor, body.item, body.quantity, body.available_from, body.visibility
    )
    catalog.upsert_offer(session, offer)
    session.flush()
    catalog.match_instance(session).check()
    return OfferPublic(**body.model_dump())
