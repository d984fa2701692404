"""Signing in and out of the dashboard: a password for a token in an HTTP-only cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ramstein.store import accounts
from ramstein.web import csrf
from ramstein.web.auth import COOKIE, PageSession, PageViewer
from ramstein.web.render import render
from ramstein.web.throttle import Throttle

router = APIRouter(include_in_schema=False)


def _keys(request: Request, name: str) -> list[str]:
    """Failures count against the account name and against the client's address."""
    address = request.client.host if request.client else "unknown"
    return [f"account:{name.lower()}", f"address:{address}"]


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, viewer: PageViewer) -> HTMLResponse:
    """The sign-in form."""
    return render(request, viewer, "signin.html", {"name": "", "errors": {}})


@router.post("/signin", response_class=HTMLResponse)
async def signin(
    request: Request, session: PageSession, viewer: PageViewer, _csrf: csrf.Checked
) -> Response:
    """Check the password, then keep a token in an HTTP-only cookie.

    After five failures for an account or from an address, each further attempt must wait
    (1 s, then twice as long each time, up to 15 min): 429 with Retry-After, no check made.
    """
    posted = await request.form()
    name, password = str(posted.get("name", "")).strip(), str(posted.get("password", ""))
    errors = {}
    if not name:
        errors["name"] = "enter your account name"
    if not password:
        errors["password"] = "enter your password"
    throttle: Throttle = request.app.state.signin_throttle
    keys = _keys(request, name)
    wait = throttle.wait(keys)
    if wait:
        errors["password"] = f"too many failed sign-ins: try again in {wait} s"
        response = render(request, viewer, "signin.html", {"name": name, "errors": errors}, 429)
        response.headers["Retry-After"] = str(wait)
        return response
    token = accounts.sign_in(session, name, password) if not errors else None
    if token is None:
        throttle.failed(keys)
        errors.setdefault("password", "the name and password do not match an enabled account")
        return render(request, viewer, "signin.html", {"name": name, "errors": errors}, 401)
    throttle.succeeded(keys[0])
    # The token is committed before the browser is sent on: its next page must find it.
    session.commit()
    signed_in = RedirectResponse("/", status_code=303)
    signed_in.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        max_age=86_400,
        secure=request.url.scheme == "https",
    )
    return signed_in


@router.post("/signout")
def signout(request: Request, session: PageSession, _csrf: csrf.Checked) -> Response:
    """Revoke this browser's token and forget the cookie."""
    token = request.cookies.get(COOKIE)
    if token:
        accounts.revoke_token(session, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response
