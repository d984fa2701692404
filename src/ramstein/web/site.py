"""The dashboard as one router: its pages, downloads, entry form, sign-in and assets.

Every route runs the CSRF check (`web.csrf`), which lets reads pass and holds every
state-changing request to the app's own origin and a valid form token.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ramstein.web import (
    assets,
    coalitions_page,
    csrf,
    downloads,
    entry,
    jobs_page,
    pages,
    purl_page,
    signin,
    workflow,
)

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check)])
# Fixed paths (/ledger/new, /ledger.csv) before the page routes' /ledger/{id}.
for part in (
    assets,
    downloads,
    entry,
    signin,
    jobs_page,
    purl_page,
    coalitions_page,
    workflow,
    pages,
):
    router.include_router(part.router)
