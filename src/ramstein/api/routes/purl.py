"""`/api/v1/purl`: PURL packages, their stage, payers and payments.

Every answer is computed from the package rows the caller may see (a package's
visibility, or its own nation among the payers); an unseen package is a 404, like an
unknown one.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, ConfigDict

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


@router.post("/{package_id}/approve", responses={**NOT_FOUND, **WRITERS})
def approve(
    package_id: PackageId, body: Approval, session: SessionDep, viewer: PackageWriter
) -> dict[str, Any]:
    """SACEUR's approval: payments become commitments, the content offers to the match."""
    _document(session, package_id, viewer)
    purl.approve(session, package_id, body.on, body.by, actor=viewer.name)
    return _document(session, package_id, viewer)


@router.post("/{package_id}/pay", responses={**NOT_FOUND, **WRITERS})
def pay(
    package_id: PackageId, body: Payment, session: SessionDep, viewer: PackageWriter
) -> dict[str, Any]:
    """A payer's payment; the last one funds the package."""
    _document(session, package_id, viewer)
    purl.pay(session, package_id, body.payer, body.on, actor=viewer.name)
    return _document(session, package_id, viewer)


@router.post("/{package_id}/start-delivery", responses={**NOT_FOUND, **WRITERS})
def start_delivery(
    package_id: PackageId, body: Dated, session: SessionDep, viewer: PackageWriter
) -> dict[str, Any]:
    """The US begins delivering a funded package."""
    _document(session, package_id, viewer)
    purl.start_delivery(session, package_id, body.on, actor=viewer.name)
    return _document(session, package_id, viewer)


@router.post("/{package_id}/deliver", responses={**NOT_FOUND, **WRITERS})
def deliver(
    package_id: PackageId, body: Dated, session: SessionDep, viewer: PackageWriter
) -> dict[str, Any]:
    """The package delivered: payments delivered, the US's delivery recorded, never credited."""
    _document(session, package_id, viewer)
    purl.deliver(session, package_id, body.on, actor=viewer.name)
    return _document(session, package_id, viewer)
