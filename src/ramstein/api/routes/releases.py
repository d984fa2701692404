"""`/api/v1/releases`: published figures that include confidential rows (read by anyone,
published by coordinators after the disclosure audit)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ramstein.api.deps import Publisher, SessionDep
from ramstein.services import releases

router = APIRouter(prefix="/releases", tags=["releases"])


class ReleaseRequest(BaseModel):
    """Which period to publish."""

    model_config = ConfigDict(extra="forbid")

    year: Annotated[int, Field(ge=1991, le=2100)]


@router.get("")
def list_releases(session: SessionDep) -> list[dict[str, Any]]:
    """Every published release, oldest first: rounded cells, immutable."""
    return releases.published(session)


@router.post(
    "",
    status_code=201,
    responses={
        403: {"description": "Coordinators only"},
        422: {"description": "The disclosure audit refused it (names the cell)"},
    },
)
def publish_release(body: ReleaseRequest, session: SessionDep, viewer: Publisher) -> dict[str, Any]:
    """Audit and publish a release of a period; one that would reveal too much is refused."""
    return releases.publish(session, body.year, actor=viewer.name)
