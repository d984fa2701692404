"""`/api/v1/nations`: the nations the ledger knows."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from ramstein.api.deps import SessionDep
from ramstein.api.schemas import NationPublic
from ramstein.store import repositories as repo

router = APIRouter(prefix="/nations", tags=["nations"])


@router.get("", response_model=list[NationPublic])
def list_nations(session: SessionDep) -> list[NationPublic]:
    """Every nation, by ISO3."""
    return [
        NationPublic(iso3=n.iso3, name=n.name, group=n.group.value)
        for n in repo.list_nations(session)
    ]


@router.get("/{iso3}", response_model=NationPublic, responses={404: {"description": "Unknown"}})
def get_nation(iso3: str, session: SessionDep) -> NationPublic:
    """One nation."""
    for n in repo.list_nations(session):
        if n.iso3 == iso3:
            return NationPublic(iso3=n.iso3, name=n.name, group=n.group.value)
    raise HTTPException(status_code=404, detail=f"nations[{iso3}]: not found")
