"""Idempotency-Key: a retried POST replays the first answer instead of writing twice."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.domain.errors import InputError
from ramstein.store.models import IdempotencyRow


class Replayed(Exception):
    """Raised when a write lost its race to another use of its Idempotency-Key: the app
    answers with the winner's stored response."""

    def __init__(self, response: JSONResponse) -> None:
        super().__init__("replayed")
        self.response = response


def request_digest(method: str, path: str, body: Any) -> str:
    """SHA-256 of a request's method, path and body."""
    text = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def replay(
    session: Session, key: str | None, viewer: Viewer, digest: str, request: Request | None = None
) -> JSONResponse | None:
    """The stored answer to this key, or None when the key is new (or absent).

    With `request`, the digest is kept on it, so that a write that loses a race with
    another use of the key can still replay the winner's answer (`stored`).
    """
    if key is None:
        return None
    if request is not None:
        request.state.idempotency_digest = digest
    row = session.get(IdempotencyRow, key)
    if row is None:
        return None
    if row.account != viewer.name or row.request_digest != digest:
        raise InputError("Idempotency-Key", "already used for a different request")
    return JSONResponse(status_code=row.status_code, content=row.response)


def stored(session: Session, key: str, viewer: Viewer, request: Request) -> JSONResponse | None:
    """The answer stored under a key for this very request, if another use of it committed."""
    digest = getattr(request.state, "idempotency_digest", None)
    if digest is None:
        return None
    try:
        return replay(session, key, viewer, digest)
    except InputError:
        return None


def remember(
    session: Session, key: str | None, viewer: Viewer, digest: str, status: int, body: Any
) -> None:
    """Keep the answer under the key, in the same transaction as the write."""
    if key is None:
        return
    session.add(
        IdempotencyRow(
            key=key,
            account=viewer.name,
            request_digest=digest,
            status_code=status,
            response=json.loads(json.dumps(body, default=str)),
            created_at=datetime.now(UTC),
        )
    )
    session.flush()
