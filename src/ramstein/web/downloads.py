"""The ledger's downloads: exactly the filtered rows the viewer may see, as CSV or XLSX.

Both are the export's one row shape (`io.export`), with formula-leading cells neutralised
(`io.cells`), so a download imports back like `ramstein export`'s file.
"""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ramstein.domain.access import Viewer
from ramstein.domain.contributions import Contribution
from ramstein.io.export import write_csv, write_xlsx
from ramstein.web import data
from ramstein.web.auth import PageSession, PageViewer
from ramstein.web.forms import ledger_filters

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=200)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(
    session: PageSession,
    viewer: Viewer,
    donor: str,
    category: str,
    status: str,
    channel: str,
    period: str,
) -> list[Contribution]:
    return data.ledger_export(
        session, viewer, ledger_filters(donor, category, status, channel, period)
    )


@router.get("/ledger.csv")
def ledger_csv(
    session: PageSession,
    viewer: PageViewer,
    donor: Text = "",
    category: Text = "",
    status: Text = "",
    channel: Text = "",
    period: Text = "",
) -> Response:
    """The rows as CSV (formula-leading cells neutralised)."""
    rows = _rows(session, viewer, donor, category, status, channel, period)
    out = io.StringIO()
    write_csv(out, rows)
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="ramstein-ledger.csv"'},
    )


@router.get("/ledger.xlsx")
def ledger_xlsx(
    session: PageSession,
    viewer: PageViewer,
    donor: Text = "",
    category: Text = "",
    status: Text = "",
    channel: Text = "",
    period: Text = "",
) -> Response:
    """The rows as an Excel workbook (text typed as text, never a formula)."""
    rows = _rows(session, viewer, donor, category, status, channel, period)
    out = io.BytesIO()
    write_xlsx(out, rows, title="Contributions")
    return Response(
        out.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="ramstein-ledger.xlsx"'},
    )
