"""`/api/v1/requirements` and `/api/v1/offers`: the coordination catalog."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from ramstein.api.deps import (
    RequirementReader,
    RequirementWriter,
    SessionDep,
    ViewerDep,
    require,
)
from ramstein.api.schemas import OfferCreate, OfferPublic, RequirementCreate, RequirementPublic
from ramstein.domain.access import Action, may
from ramstein.domain.errors import InputError
from ramstein.domain.items import Offer, Requirement
from ramstein.store import catalog
from ramstein.store.repositories import own_ids

requirements = APIRouter(prefix="/requirements", tags=["requirements"])
offers = APIRouter(prefix="/offers", tags=["offers"])


@requirements.get(
    "",
    response_model=list[RequirementPublic],
    responses={403: {"description": "Not signed in: requirements are not public"}},
)
def list_requirements(session: SessionDep, viewer: RequirementReader) -> list[RequirementPublic]:
    """The recipient's requirements, highest priority first (coordinators, the recipient and
    nations: donors must see what is needed; never the public)."""
    return [RequirementPublic.model_validate(r) for r in catalog.list_requirements(session)]


@requirements.post(
    "",
    status_code=201,
    response_model=RequirementPublic,
    responses={403: {"description": "Not the recipient or a coordinator"}},
)
def create_requirement(
    body: RequirementCreate, session: SessionDep, viewer: RequirementWriter
) -> RequirementPublic:
    """Add or update a requirement (the recipient's liaison or a coordinator)."""
    requirement = Requirement(
        body.id,
        body.item,
        body.quantity,
        body.priority,
        body.needed_by,
        tuple(body.substitutes),
        coalition=body.coalition,
    )
    catalog.upsert_requirement(session, requirement)
    session.flush()
    catalog.match_instance(session).check()
    return RequirementPublic(**body.model_dump())


@offers.get("", response_model=list[OfferPublic])
def list_offers(session: SessionDep, viewer: ViewerDep) -> list[OfferPublic]:
    """The offers the caller may see (by their visibility and donor, as contributions)."""
    return [OfferPublic.model_validate(o) for o in catalog.list_offers(session, viewer=viewer)]


@offers.post(
    "",
    status_code=201,
    response_model=OfferPublic,
    responses={403: {"description": "Not the caller's nation"}},
)
def create_offer(body: OfferCreate, session: SessionDep, viewer: ViewerDep) -> OfferPublic:
    """Add or update an offer (a nation only its own)."""
    require(viewer, Action.WRITE_OFFER, body.donor)
    own_ids(session, body.id, body.donor, viewer, f"offers[{body.id}].id")
    existing = {o.id: o for o in catalog.list_offers(session)}
    if body.id in existing and existing[body.id].donor != body.donor:
        # Only a coordinator gets here (a nation's ids are its own): it sees every offer.
        raise HTTPException(status_code=409, detail=f"offers[{body.id}].id: another donor's")
    offer = Offer(
        body.id,
        body.donor,
        body.item,
        body.quantity,
        body.available_from,
        body.visibility,
        coalition=body.coalition,
    )
    catalog.upsert_offer(session, offer)
    session.flush()
    catalog.match_instance(session).check()
    return OfferPublic(**body.model_dump())


@requirements.delete(
    "/{requirement_id}",
    response_model=RequirementPublic,
    responses={
        403: {"description": "Not the recipient or a coordinator"},
        422: {"description": "No such requirement"},
    },
)
def close_requirement(
    requirement_id: str, session: SessionDep, viewer: RequirementWriter
) -> RequirementPublic:
    """Close a requirement: it leaves the open list (the liaison or a coordinator)."""
    return RequirementPublic.model_validate(catalog.remove_requirement(session, requirement_id))


@offers.delete(
    "/{offer_id}",
    response_model=OfferPublic,
    responses={422: {"description": "No such offer of the caller's"}},
)
def withdraw_offer(offer_id: str, session: SessionDep, viewer: ViewerDep) -> OfferPublic:
    """Withdraw an offer (a nation only its own); another's is not there for the caller."""
    offer = next((o for o in catalog.list_offers(session) if o.id == offer_id), None)
    if offer is None or not may(viewer, Action.WRITE_OFFER, offer.donor):
        raise InputError(f"offers[{offer_id}]", "no such offer of yours")
    catalog.remove_offer(session, offer_id)
    return OfferPublic.model_validate(offer)
