"""The overview's split of counted military aid by supply: its data and its chart."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer, viewer_class
from ramstein.services.supply import kiel_supply, military_supply
from ramstein.shares.supply import Supply
from ramstein.web.charts import BLUE, GREEN, GREY, LAYOUT, ORANGE, PURPLE, _json
from ramstein.web.reuse import Answers, reuse

LABELS = {
    Supply.STOCKPILE: "Stockpile",
    Supply.PROCUREMENT: "Procurement",
    Supply.PURL: "PURL",
    Supply.DOMESTIC_PRODUCTION: "Domestic production",
    Supply.UNSPECIFIED: "Unspecified (Kiel's monthly totals)",
}
COLOURS = {
    Supply.STOCKPILE: BLUE,
    Supply.PROCUREMENT: ORANGE,
    Supply.PURL: PURPLE,
    Supply.DOMESTIC_PRODUCTION: GREEN,
    Supply.UNSPECIFIED: GREY,
}
KIEL_NOTE = (
    "Kiel Institute, Ukraine Support Tracker, Release 29: all donors' military allocations "
    "by source,"
)
MEANS = (
    "Counted military aid (equipment bought or donated) by where it came from, as Kiel "
    "splits its military allocations: stockpile, procurement, PURL and Ukraine's own "
    "production. Kiel's monthly rows total every source, so the ledger shows them as "
    "unspecified; PURL payments are inside them (Kiel's nato_purl)."
)


def split_data(
    session: Session,
    viewer: Viewer,
    year: int | None,
    calendar_year: int,
    answers: Answers | None = None,
) -> dict[str, Any]:
    """Counted military aid of the period (pledge period `year`, else the scenario's) by
    supply, from the contributions the viewer sees; beside it Kiel's published split of
    all donors' allocations in `calendar_year`. With `answers`, reused while the store is
    unchanged (`web.reuse`)."""
    key = (viewer_class(viewer), year, calendar_year)
    return reuse(answers, session, key, lambda: _split(session, viewer, year, calendar_year))


def _split(
    session: Session, viewer: Viewer, year: int | None, calendar_year: int
) -> dict[str, Any]:
    parts = military_supply(session, viewer, year)
    total = math.fsum(parts.values())
    kiel = kiel_supply(calendar_year)
    return {
        "means": MEANS,
        "total_eur": total,
        "kiel_source": f"{KIEL_NOTE} {calendar_year}" if kiel else None,
        "kiel_total_eur": math.fsum(v for v in kiel.values() if v is not None) if kiel else None,
        "parts": [
            {
                "supply": s.value,
                "label": LABELS[s],
                "eur": parts[s],
                "pct": 100 * parts[s] / total if total else 0.0,
                "kiel_eur": kiel[s] if kiel else None,
            }
            for s in Supply
        ],
    }


def split_chart(split: dict[str, Any]) -> dict[str, Any]:
    """One bar per supply, EUR bn: the ledger's counted, and Kiel's split beside it."""
    labels = [p["label"] for p in split["parts"]]
    bars = [
        go.Bar(
            name="Counted (ledger)",
            x=labels,
            y=[p["eur"] / 1e9 for p in split["parts"]],
            marker_color=[COLOURS[Supply(p["supply"])] for p in split["parts"]],
            hovertemplate="%{x}: counted EUR %{y:.2f} bn<extra></extra>",
        )
    ]
    if split["kiel_source"]:
        bars.append(
            go.Bar(
                name="Kiel, all donors",
                x=labels,
                y=[None if p["kiel_eur"] is None else p["kiel_eur"] / 1e9 for p in split["parts"]],
                marker={"color": "#ffffff", "line": {"color": GREY, "width": 2}},
                hovertemplate="%{x}: Kiel EUR %{y:.2f} bn<extra></extra>",
            )
        )
    fig = go.Figure(
        data=bars,
        layout={
            **LAYOUT,
            "barmode": "group",
            "title": {"text": "Military aid by supply, EUR bn"},
            "yaxis": {"title": {"text": "EUR bn"}, "gridcolor": "#e5e5e5"},
        },
    )
    return _json(fig)
