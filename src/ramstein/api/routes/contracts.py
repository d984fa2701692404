"""`/api/v1/contracts`: multinational procurement contracts and their lot allocation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from ramstein.api.deps import ContractWriter, SessionDep
from ramstein.domain.errors import InputError
from ramstein.domain.types import ID_MAX, ID_PATTERN
from ramstein.io.contract_json import (
    ContractDoc,
    allocation_document,
    contract_document,
    parse_contract,
)
from ramstein.services import procurement
from ramstein.store import procurement as store

router = APIRouter(prefix="/contracts", tags=["contracts"])
ContractId = Annotated[str, Path(max_length=ID_MAX, pattern=ID_PATTERN)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such contract"}}
WRITERS: dict[int | str, dict[str, Any]] = {403: {"description": "Coordinators only"}}


StepT = TypeVar("StepT", bound=BaseModel)


class Delivery(BaseModel):
    """When a lot was handed over."""

    model_config = ConfigDict(extra="forbid")
    on: dt.date


class Delay(BaseModel):
    """A lot's new expected completion date."""

    model_config = ConfigDict(extra="forbid")
    to: dt.date


def _document(session: SessionDep, contract_id: str) -> dict[str, Any]:
    try:
        contract, allocation = procurement.allocation_of(session, contract_id)
    except InputError as exc:
        if exc.message == "no such contract":
            raise HTTPException(
                status_code=404, detail=f"contracts[{contract_id}]: no such contract"
            ) from None
        raise
    return contract_document(contract) | {
        "allocation": allocation_document(allocation),
        "events": [
            {"at": at.isoformat(), "actor": who, "kind": kind, "lot": lot, "note": note}
            for at, who, kind, lot, note in store.events(session, contract_id)
        ],
    }


@router.get("")
def list_contracts(session: SessionDep) -> list[dict[str, Any]]:
    """Every contract's terms and lots (contracts are public, as their agencies announce them)."""
    return [contract_document(c) for c in store.list_contracts(session)]


@router.get("/{contract_id}", responses=NOT_FOUND)
def get_contract(contract_id: ContractId, session: SessionDep) -> dict[str, Any]:
    """A contract with its current allocation (`ramstein.lot-allocation/1`) and events."""
    return _document(session, contract_id)


@router.post("", status_code=201, responses=WRITERS)
def add_contract(body: ContractDoc, session: SessionDep, viewer: ContractWriter) -> dict[str, Any]:
    """Record a signed contract (coordinators); its donated units become offers."""
    contract = parse_contract(body.model_dump_json(by_alias=True))
    if not procurement.add_contract(session, contract, actor=viewer.name):
        raise HTTPException(status_code=409, detail=f"contracts[{contract.id}]: exists")
    return _document(session, contract.id)


def _lot_route(
    name: str,
    body_type: type[StepT],
    step: Callable[[Session, str, str, StepT, str], object],
    summary: str,
) -> None:
    """Register `POST /contracts/{contract_id}/lots/{lot}/<name>`: a step on a known
    contract's lot (404 for an unknown contract, before anything is written), answered with
    the contract and its allocation as they stand after it."""

    def endpoint(
        contract_id: ContractId,
        lot: Annotated[str, Path(max_length=200)],
        body: BaseModel,
        session: SessionDep,
        viewer: ContractWriter,
    ) -> dict[str, Any]:
        _document(session, contract_id)
        step(session, contract_id, lot, cast(StepT, body), viewer.name)
        return _document(session, contract_id)

    # FastAPI reads the body's model from the annotation: each step has its own.
    endpoint.__annotations__ = {**endpoint.__annotations__, "body": body_type}
    endpoint.__doc__ = summary
    router.add_api_route(
        f"/{{contract_id}}/lots/{{lot}}/{name}",
        endpoint,
        methods=["POST"],
        name=f"{name}_lot",
        responses={**NOT_FOUND, **WRITERS},
    )


_lot_route(
    "deliver",
    Delivery,
    lambda session, contract_id, lot, body, actor: procurement.deliver_lot(
        session, contract_id, lot, body.on, actor=actor
    ),
    "Deliver a lot: its allocation is fixed and donated units count in buyers' ledgers.",
)
_lot_route(
    "delay",
    Delay,
    lambda session, contract_id, lot, body, actor: procurement.delay_lot(
        session, contract_id, lot, body.to, actor=actor
    ),
    "Move a lot later; the lots after it are re-planned.",
)
