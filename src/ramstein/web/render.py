"""Rendering the dashboard's pages: the templates, their filters, and HTML or JSON answers."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from ramstein.domain.access import Viewer
from ramstein.web import csrf

templates = Jinja2Templates(directory=str(files("ramstein.web") / "templates"))


def _bn(eur: float | None, digits: int = 2) -> str:
    """EUR as billions for display; None (no figure) is shown empty."""
    return "" if eur is None else f"{eur / 1e9:,.{digits}f}"


def _pct(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


templates.env.filters["bn"] = _bn
templates.env.filters["pct"] = _pct


def render(
    request: Request, viewer: Viewer, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """A template rendered for the viewer, with the form token every form carries."""
    response = templates.TemplateResponse(
        request,
        template,
        {"viewer": viewer, "path": request.url.path, "csrf": csrf.token(request), **context},
        status_code=status,
    )
    csrf.keep_nonce(request, response)
    return response


def page(
    request: Request,
    viewer: Viewer,
    template: str,
    page_data: dict[str, Any],
    fmt: str,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    """The page as HTML, or (`?format=json`) exactly the data it shows."""
    if fmt == "json":
        return JSONResponse(page_data, status_code=status)
    return render(request, viewer, template, {"data": page_data, **extra}, status)
