"""Request wiring: a session on the app's store for each request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from ramstein.store.db import Store


def get_session(request: Request) -> Iterator[Session]:
    """A session in one transaction on the app's store."""
    store: Store = request.app.state.store
    with store.transaction() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
