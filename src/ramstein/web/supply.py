"""The overview's split of counted military aid by supply: its data and its chart."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.services.supply import military_supply
from ramstein.shares.supply import Supply
from ramstein.web.charts import BLUE, GREEN, GREY, LAYOUT, ORANGE, PURPLE, _json

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
MEANS = (
    "Counted military aid (equipment bought or donated) by where it came from, as Kiel "
    "splits its military allocations: stockpile, procurement, PURL and Ukraine's own "
    "production. Kiel's monthly rows total every source, so the ledger shows them as "
    "unspecified; PURL payments are inside them (Kiel's nato_purl)."
)


def split_data(session: Session, viewer: Viewer, year: int | None = None) -> dict[str, Any]:
    """Counted military aid of the period by supply, from the contributions the viewer sees."""
    parts = military_supply(session, viewer, year)
    total = math.fsum(parts.values())
    return {
        "means": MEANS,
        "total_eur": total,
        "parts": [
            {
                "supply": s.value,
                "label": LABELS[s],
                "eur": parts[s],
                "pct": 100 * parts[s] / total if total else 0.0,
            }
            for s in Supply
        ],
    }


def split_chart(split: dict[str, Any]) -> dict[str, Any]:
    """One bar per supply, EUR bn."""
    fig = go.Figure(
        data=[
            go.Bar(
                x=[p["label"] for p in split["parts"]],
                y=[p["eur"] / 1e9 for p in split["parts"]],
                marker_color=[COLOURS[Supply(p["supply"])] for p in split["parts"]],
                hovertemplate="%{x}: EUR %{y:.2f} bn<extra></extra>",
            )
        ],
        layout={
            **LAYOUT,
            "title": {"text": "Counted military aid by supply, EUR bn"},
            "yaxis": {"title": {"text": "EUR bn"}, "gridcolor": "#e5e5e5"},
            "showlegend": False,
        },
    )
    return _json(fig)
