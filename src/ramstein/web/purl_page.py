"""The PURL packages page: every package the viewer may see, its stage, payers and content.

Registered beside the other pages by `web.site`; `?format=json` serves what it shows.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.domain.purl import LIFECYCLE
from ramstein.io.purl_json import package_document
from ramstein.services import purl
from ramstein.web.auth import PageSession, PageViewer
from ramstein.web.render import page

router = APIRouter(include_in_schema=False)
SOURCES = [
    "PURL packages 1-4: payers and amounts from public reporting (August-December 2025); "
    "dates, the split of package 2 and every package's content are illustrative",
    "Payments of the dataset's packages are counted in Kiel's monthly military allocations "
    "(Release 29), which include PURL",
]


def packages_page(session: Session, viewer: Viewer) -> dict[str, Any]:
    """The packages the viewer sees, with totals computed from them alone."""
    standing = purl.standing(session, viewer)
    return {
        "stages": [s.value for s in LIFECYCLE],
        "by_status": standing.by_status(),
        "value_usd": standing.value_usd,
        "paid_usd": standing.paid_usd,
        "packages": [package_document(p) for p in standing.packages],
        "sources": SOURCES,
    }


@router.get("/purl", response_class=HTMLResponse)
def purl_packages(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    format: Annotated[str, Query(max_length=200)] = "html",
) -> Response:
    """PURL packages with their stage, value, payers and what they deliver."""
    return page(request, viewer, "purl.html", packages_page(session, viewer), format)
