"""The ledger's downloads: exactly the filtered rows the viewer may see, as CSV or XLSX.

Both are the export's one row shape (`io.export`), with formula-leading cells neutralised
(`io.cells`), so a download imports back like `ramstein export`'s file.
"""

from __future__ import annotations

import io

from fastapi import APIRouter
from fastapi.responses import Response

from ramstein.domain.access import Viewer
from ramstein.domain.contributions import Contribution
from ramstein.io.export import write_csv, write_xlsx
from ramstein.web import data
from ramstein.web.auth import PageSession, PageViewer
from ramstein.web.forms import LedgerQuery, LedgerQueryDep

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(session: PageSession, viewer: Viewer, selected: LedgerQuery) -> list[Contribution]:
    return data.ledger_export(session, viewer, selected.filters())


def _attachment(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/ledger.csv")
def ledger_csv(session: PageSession, viewer: PageViewer, selected: LedgerQueryDep) -> Response:
    """The rows as CSV (formula-leading cells neutralised)."""
    out = io.StringIO()
    write_csv(out, _rows(session, viewer, selected))
    return _attachment(out.getvalue(), "text/csv", "ramstein-ledger.csv")


@router.get("/ledger.xlsx")
def ledger_xlsx(session: PageSession, viewer: PageViewer, selected: LedgerQueryDep) -> Response:
    """The rows as an Excel workbook (text typed as text, never a formula)."""
    out = io.BytesIO()
    write_xlsx(out, _rows(session, viewer, selected), title="Contributions")
    return _attachment(out.getvalue(), XLSX, "ramstein-ledger.xlsx")
