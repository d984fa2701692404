"""`/api/v1/purl`: PURL packages, their stage, payers and payments.

Every answer is computed from the package rows the caller may see (a package's
visibility, or its own nation among the payers); an unseen package is a 404, like an
unknown one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from ramstein.api.deps import PackageWriter, SessionDep, ViewerDep
from ramstein.domain.access import Viewer
from ramstein.domain.errors import InputError
from ramstein.domain.purl import APPROVER
from ramstein.domain.types import ID_MAX, ID_PATTERN, ISO3
from ramstein.io.purl_json import PurlDoc, package_document, parse_purl
from ramstein.services import purl
from ramstein.store import purl as store

router = APIRouter(prefix="/purl", tags=["purl"])
PackageId = Annotated[str, Path(max_length=ID_MAX, pattern=ID_PATTERN)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such package"}}
WRITERS: dict[int | str, dict[str, Any]] = {403: {"description": "Coordinators only"}}


StepT = TypeVar("StepT", bound=BaseModel)


class Dated(BaseModel):
    """The day a step happened."""

    model_config = ConfigDict(extra="forbid")
    on: dt.date


class Approval(Dated):
    """SACEUR's approval of a package."""

    by: str = APPROVER


class Payment(Dated):
    """A payer's payment of its part."""

    payer: ISO3


def _document(session: SessionDep, package_id: str, viewer: Viewer | None) -> dict[str, Any]:
    try:
        package = store.get_package(session, package_id, viewer)
    except InputError as exc:
        raise HTTPException(status_code=404, detail=f"{exc.field}: {exc.message}") from None
    return package_document(package) | {
        "events": [
            {"at": at.isoformat(), "kind": kind, "note": note}
            for at, _who, kind, note in store.events(session, package_id)
        ]
    }


@router.get("")
def list_packages(session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """The packages the caller may see, with their count by stage, value and payments (USD)."""
    standing = purl.standing(session, viewer)
    return {
        "packages": [package_document(p) for p in standing.packages],
        "by_status": standing.by_status(),
        "value_usd": standing.value_usd,
        "paid_usd": standing.paid_usd,
    }


@router.get("/{package_id}", responses=NOT_FOUND)
def get_package(package_id: PackageId, session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """A package with its payers, payments and events."""
    return _document(session, package_id, viewer)


@router.post("", status_code=201, responses={**WRITERS, 409: {"description": "A package exists"}})
def add_packages(body: PurlDoc, session: SessionDep, viewer: PackageWriter) -> dict[str, Any]:
    """Record the packages of a `ramstein.purl/1` document (coordinators); 409 if one exists."""
    packages = parse_purl(body.model_dump_json())
    stored = {p.id for p in store.list_packages(session)}
    for package in packages:
        if package.id in stored:
            raise HTTPException(status_code=409, detail=f"packages[{package.id}]: exists")
        purl.add_package(session, package, actor=viewer.name)
    return {"packages": [_document(session, p.id, viewer) for p in packages]}


def _step_route(
    name: str,
    body_type: type[StepT],
    step: Callable[[Session, str, StepT, str], object],
    summary: str,
) -> None:
    """Register `POST /purl/{package_id}/<name>`: a lifecycle step on a package the caller
    may see (404 otherwise, before anything is written), answered with the package as it
    stands after it."""

    def endpoint(
        package_id: PackageId, body: BaseModel, session: SessionDep, viewer: PackageWriter
    ) -> dict[str, Any]:
        _document(session, package_id, viewer)
        step(session, package_id, cast(StepT, body), viewer.name)
        return _document(session, package_id, viewer)

    # FastAPI reads the body's model from the annotation: each step has its own.
    endpoint.__annotations__ = {**endpoint.__annotations__, "body": body_type}
    endpoint.__doc__ = summary
    router.add_api_route(
        f"/{{package_id}}/{name}",
        endpoint,
        methods=["POST"],
        name=name.replace("-", "_"),
        responses={**NOT_FOUND, **WRITERS},
    )


_step_route(
    "approve",
    Approval,
    lambda session, package_id, body, actor: purl.approve(
        session, package_id, body.on, body.by, actor=actor
    ),
    "SACEUR's approval: payments become commitments, the content offers to the match.",
)
_step_route(
    "pay",
    Payment,
    lambda session, package_id, body, actor: purl.pay(
        session, package_id, body.payer, body.on, actor=actor
    ),
    "A payer's payment; the last one funds the package.",
)
_step_route(
    "start-delivery",
    Dated,
    lambda session, package_id, body, actor: purl.start_delivery(
        session, package_id, body.on, actor=actor
    ),
    "The US begins delivering a funded package.",
)
_step_route(
    "deliver",
    Dated,
    lambda session, package_id, body, actor: purl.deliver(
        session, package_id, body.on, actor=actor
    ),
    "The package delivered: payments delivered, the US's delivery recorded, never credited.",
)
