"""Cross-site request forgery: an Origin check and a form token on every state change.

Two defences, each enough against a page on another origin (another port of the same
host included, which `SameSite` cookies do not cover):

- a state-changing request (POST ...) that carries a cookie must come from the app's own
  origin: its `Origin` header (or, without one, its `Referer`) must name this scheme,
  host and port; a request with neither is refused;
- every form carries a token: the HMAC, under a key only the server holds, of a random
  per-browser value kept in an HTTP-only cookie and of the session cookie. A page on
  another origin can neither read the token nor compute one for this browser.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request, Response

from ramstein.web.auth import COOKIE

NONCE_COOKIE = "ramstein_csrf"
FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _key(request: Request) -> bytes:
    key: bytes = request.app.state.csrf_key
    return key


def _nonce(request: Request) -> str:
    """This browser's random value: from its cookie, or a new one set on the response."""
    nonce = request.cookies.get(NONCE_COOKIE) or getattr(request.state, "csrf_nonce", None)
    if not nonce:
        nonce = secrets.token_urlsafe(24)
        request.state.csrf_nonce = nonce
    return str(nonce)


def token(request: Request) -> str:
    """The form token for this browser and its session."""
    binding = f"{_nonce(request)}|{request.cookies.get(COOKIE, '')}".encode()
    return hmac.new(_key(request), binding, hashlib.sha256).hexdigest()


def keep_nonce(request: Request, response: Response) -> None:
    """Set the per-browser cookie on a response when this request made a new value."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce and not request.cookies.get(NONCE_COOKIE):
        response.set_cookie(
            NONCE_COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )


def own_origin(request: Request) -> str:
    """This app's origin as the browser addressed it: scheme://host[:port]."""
    return f"{request.url.scheme}://{request.url.netloc}"


def _origin_of(request: Request) -> str | None:
    origin = request.headers.get("origin")
    if origin and origin != "null":
        return origin.rstrip("/")
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}"
    return None if origin is None else "null"


async def check(request: Request) -> None:
    """Refuse (403) a state-changing request from another origin or without a valid token."""
    if request.method in SAFE_METHODS:
        return
    origin = _origin_of(request)
    if origin != own_origin(request):
        raise HTTPException(
            status_code=403,
            detail=f"origin: {origin or 'none given'} may not change anything here",
        )
    form = await request.form()
    sent = str(form.get(FIELD, ""))
    if not hmac.compare_digest(sent, token(request)):
        raise HTTPException(status_code=403, detail="csrf: the form's token is missing or stale")


Checked = Annotated[None, Depends(check)]
