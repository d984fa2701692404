"""`/api/v1/audit`: the audit chain, for coordinators only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ramstein.api.deps import AuditReader, SessionDep
from ramstein.api.schemas import AuditPublic, AuditVerdict
from ramstein.domain.audit import first_broken
from ramstein.store.audit import broken_bulk, records, verify_state

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get(
    "", response_model=list[AuditPublic], responses={403: {"description": "Coordinators only"}}
)
def list_audit(
    session: SessionDep,
    viewer: AuditReader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> list[AuditPublic]:
    """Audit records, oldest first."""
    return [
        AuditPublic(
            id=r.id,
            at=r.at.isoformat(),
            actor=r.actor,
            action=r.action,
            entity=r.entity,
            entity_id=r.entity_id,
            hash=r.hash,
        )
        for r in records(session)[offset : offset + limit]
    ]


@router.get(
    "/verify", response_model=AuditVerdict, responses={403: {"description": "Coordinators only"}}
)
def verify(session: SessionDep, viewer: AuditReader) -> AuditVerdict:
    """Whether the chain holds."""
    chain = records(session)
    broken = first_broken(chain) or broken_bulk(session, chain)
    findings = [] if broken else verify_state(session, chain)
    return AuditVerdict(
        ok=broken is None and not findings,
        records=len(chain),
        first_broken=broken.id if broken else None,
        problems=[str(f) for f in findings[:100]],
    )
