"""Request wiring: who is asking (bearer token), and a session on the app's store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ramstein.api import idempotency
from ramstein.domain.access import PUBLIC, Action, Viewer, may
from ramstein.store.accounts import viewer_for_token
from ramstein.store.db import Store, WriteConflict

# Methods that only read: their transactions need no write lock.
READS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer = HTTPBearer(auto_error=False, description="A token from `ramstein account create`.")


def get_viewer(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Viewer:
    """The viewer behind the bearer token; anonymous callers are the public."""
    if credentials is None:
        return PUBLIC
    store: Store = request.app.state.store
    with store.transaction(write=False) as session:
        viewer = viewer_for_token(session, credentials.credentials)
    if viewer is None:
        raise HTTPException(
            status_code=401,
            detail="token: unknown, expired or revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return viewer


ViewerDep = Annotated[Viewer, Depends(get_viewer)]


def get_session(request: Request, viewer: ViewerDep) -> Iterator[Session]:
    """A session in one transaction on the app's store, its writes audited under the viewer.

    The transaction commits when the route returns and before the answer is sent (the
    dependency's scope is the function): a commit that fails answers an error, never the
    success the route prepared. A write that lost a race answers 409, or, when it carried
    an Idempotency-Key that the winner used, the winner's stored answer.
    """
    store: Store = request.app.state.store
    try:
        with store.transaction(actor=viewer.name, write=request.method not in READS) as session:
            yield session
    except WriteConflict as conflict:
        key = request.headers.get("idempotency-key")
        if key is not None:
            with store.transaction(write=False) as session:
                stored = idempotency.stored(session, key, viewer, request)
            if stored is not None:
                raise idempotency.Replayed(stored) from conflict
        raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def require(viewer: Viewer, action: Action, owner: str | None = None) -> None:
    """403 unless the viewer may do `action` (for `owner`, where the action is owned)."""
    if not may(viewer, action, owner):
        if owner is not None and viewer.role.value == "nation":
            raise HTTPException(status_code=403, detail=f"donor: may not write for {owner}")
        raise HTTPException(
            status_code=403, detail=f"role: {viewer.role.value} may not {action.value}"
        )


def allowed(action: Action) -> Any:
    """A dependency giving the viewer if it may do `action`, else answering 403."""

    def check(viewer: ViewerDep) -> Viewer:
        require(viewer, action)
        return viewer

    return Depends(check)


# Viewers allowed one action each, as route parameters.
Coordinator = Annotated[Viewer, allowed(Action.RUN_PLANS)]
PlanReader = Annotated[Viewer, allowed(Action.READ_PLANS)]
AuditReader = Annotated[Viewer, allowed(Action.READ_AUDIT)]
RequirementReader = Annotated[Viewer, allowed(Action.READ_REQUIREMENTS)]
RequirementWriter = Annotated[Viewer, allowed(Action.WRITE_REQUIREMENT)]
Publisher = Annotated[Viewer, allowed(Action.PUBLISH_RELEASE)]
ContractWriter = Annotated[Viewer, allowed(Action.WRITE_CONTRACTS)]
TrackingWriter = Annotated[Viewer, allowed(Action.RECORD_TRACKING)]
CohortWriter = Annotated[Viewer, allowed(Action.WRITE_COHORTS)]
PackageWriter = Annotated[Viewer, allowed(Action.WRITE_PACKAGES)]
