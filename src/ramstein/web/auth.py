"""Who is looking at a page: the account behind the session cookie, or the public."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from ramstein.domain.access import PUBLIC, Viewer
from ramstein.store.accounts import viewer_for_token
from ramstein.store.db import Store

# The cookie holds an ordinary API token, so pages and API share one access rule.
COOKIE = "ramstein_session"


def page_viewer(request: Request) -> Viewer:
    """The signed-in viewer, or the public (an expired cookie just signs the browser out)."""
    token = request.cookies.get(COOKIE)
    if not token:
        return PUBLIC
    store: Store = request.app.state.store
    with store.transaction(write=False) as session:
        return viewer_for_token(session, token) or PUBLIC


PageViewer = Annotated[Viewer, Depends(page_viewer)]


def page_session(request: Request, viewer: PageViewer) -> Iterator[Session]:
    """One transaction on the app's store, its writes audited under the viewer; it commits
    before the page is sent (the dependency's scope is the function)."""
    store: Store = request.app.state.store
    write = request.method not in ("GET", "HEAD", "OPTIONS")
    with store.transaction(actor=viewer.name, write=write) as session:
        yield session


PageSession = Annotated[Session, Depends(page_session, scope="function")]
