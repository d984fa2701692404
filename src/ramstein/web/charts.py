"""Plotly figures for the dashboard, as JSON the page hands to the packaged plotly.js."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, YELLOW, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#777777",
)
PALETTE = (BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, YELLOW, GREY)
LAYOUT: dict[str, Any] = {
    "font": {"family": "system-ui, sans-serif", "size": 13},
    "margin": {"l": 60, "r": 20, "t": 40, "b": 60},
    "plot_bgcolor": "#ffffff",
    "paper_bgcolor": "#ffffff",
    "legend": {"orientation": "h", "y": 1.08},
}


def _json(fig: go.Figure) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(fig.to_json())
    return doc


def _fair_and_counted(
    x: list[str],
    lines: list[dict[str, Any]],
    *,
    fair: dict[str, Any] | None = None,
    counted: dict[str, Any] | None = None,
) -> list[go.Bar]:
    """Fair share and counted side by side in EUR bn, one pair per `x`."""
    return [
        go.Bar(
            name="Fair share",
            x=x,
            y=[n["fair_share_eur"] / 1e9 for n in lines],
            marker_color=BLUE,
            **(fair or {}),
        ),
        go.Bar(
            name="Counted",
            x=x,
            y=[(n["counted_eur"] or 0) / 1e9 for n in lines],
            marker_color=ORANGE,
            **(counted or {}),
        ),
    ]


def fair_vs_counted(lines: list[dict[str, Any]], *, title: str) -> dict[str, Any]:
    """Fair share against counted per participant, sorted by fair share (EUR bn)."""
    shown = [n for n in lines if n["participating"]]
    names = [n["iso3"] for n in shown]
    fig = go.Figure(
        data=_fair_and_counted(
            names,
            shown,
            fair={"hovertemplate": "%{x}: fair share EUR %{y:.2f} bn<extra></extra>"},
            counted={"hovertemplate": "%{x}: counted EUR %{y:.2f} bn<extra></extra>"},
        ),
        layout={
            **LAYOUT,
            "barmode": "group",
            "title": {"text": title},
            "yaxis": {"title": {"text": "EUR bn"}, "gridcolor": "#e5e5e5"},
        },
    )
    return _json(fig)


def percent_bars(
    labels: list[str],
    percents: list[float],
    texts: list[str],
    *,
    name: str,
    colour: str | list[str],
    title: str,
    axis: str,
) -> dict[str, Any]:
    """One bar per label as a % of its own target (targets differ too much in scale to
    stack), each bar's text above it and again in its hover."""
    fig = go.Figure(
        data=[
            go.Bar(
                name=name,
                x=labels,
                y=percents,
                text=texts,
                textposition="outside",
                marker_color=colour,
                hovertemplate="%{x}: %{text} units (%{y:.0f} %)<extra></extra>",
            )
        ],
        layout={
            **LAYOUT,
            "title": {"text": title},
            "yaxis": {"title": {"text": axis}, "range": [0, 110]},
            "showlegend": False,
        },
    )
    return _json(fig)


def coverage(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The share of required units planned, by priority (units differ too much to stack)."""
    return percent_bars(
        [f"priority {r['priority']:g}" for r in rows],
        [100 * r["planned"] / r["required"] if r["required"] else 100 for r in rows],
        [f"{r['planned']} of {r['required']} planned" for r in rows],
        name="Covered",
        colour=GREEN,
        title="Units planned, % of required, by priority",
        axis="% of required",
    )


def hub_load(periods: list[str], hubs: list[dict[str, Any]]) -> dict[str, Any]:
    """Pallets arriving at each hub per period (bars) against its throughput (lines)."""
    data: list[Any] = []
    for i, hub in enumerate(hubs):
        colour = PALETTE[i % len(PALETTE)]
        data.append(go.Bar(name=f"{hub['id']} load", x=periods, y=hub["load"], marker_color=colour))
        data.append(
            go.Scatter(
                name=f"{hub['id']} throughput",
                x=periods,
                y=hub["throughput"],
                mode="lines",
                line={"color": colour, "dash": "dash", "shape": "hv"},
            )
        )
    fig = go.Figure(
        data=data,
        layout={
            **LAYOUT,
            "barmode": "group",
            "title": {"text": "Hub load against throughput"},
            "yaxis": {"title": {"text": "pallets per period"}},
        },
    )
    return _json(fig)


def sessions_gantt(sessions: list[dict[str, Any]]) -> dict[str, Any]:
    """Course sessions as bars over time, one row per lane of a host nation (its sessions
    that overlap go in separate lanes, so no bar hides another)."""
    hosts = sorted({s["host"] for s in sessions})
    data = []
    for i, host in enumerate(hosts):
        mine = [s for s in sessions if s["host"] == host]
        data.append(
            go.Bar(
                name=host,
                orientation="h",
                y=[s.get("lane", host) for s in mine],
                x=[
                    (
                        date.fromisoformat(s["end"])
                        - date.fromisoformat(s["start"])
                        + timedelta(days=1)
                    ).days
                    * 86_400_000
                    for s in mine
                ],
                base=[s["start"] for s in mine],
                text=[f"{s['course']} ({len(s['cohorts'])}/{s['capacity']})" for s in mine],
                marker_color=PALETTE[i % len(PALETTE)],
                marker_line={"color": "#ffffff", "width": 1},
                width=0.6,
                opacity=0.9,
                textposition="inside",
                insidetextanchor="start",
                hovertemplate="%{text}<br>from %{base|%d %b %Y}<extra></extra>",
            )
        )
    fig = go.Figure(
        data=data,
        layout={
            **LAYOUT,
            "title": {"text": "Course sessions by host nation"},
            "xaxis": {"type": "date"},
            "yaxis": {"categoryorder": "category descending", "automargin": True},
            "height": max(320, 60 + 34 * len({s.get("lane", s["host"]) for s in sessions})),
            "showlegend": False,
        },
    )
    return _json(fig)


def readiness_timeline(capabilities: list[dict[str, Any]]) -> dict[str, Any]:
    """Each unit's ready date per capability, marked by what binds it."""
    causes = {"equipment": BLUE, "training": ORANGE, "not planned": VERMILION}
    data = []
    for cause, colour in causes.items():
        xs, ys, texts = [], [], []
        for cap in capabilities:
            for u in cap["units"]:
                if u["cause"] == cause and u["ready"]:
                    xs.append(u["ready"])
                    ys.append(cap["requirement"])
                    texts.append(f"unit {u['unit']}: bound by {cause}")
        data.append(
            go.Scatter(
                name=f"bound by {cause}",
                x=xs,
                y=ys,
                text=texts,
                mode="markers",
                marker={
                    "color": colour,
                    "size": 11,
                    "symbol": {"equipment": "square", "training": "circle"}.get(cause, "x"),
                },
                hovertemplate="%{y} %{text}<br>ready %{x|%d %b %Y}<extra></extra>",
            )
        )
    fig = go.Figure(
        data=data,
        layout={**LAYOUT, "title": {"text": "Readiness by capability"}, "xaxis": {"type": "date"}},
    )
    return _json(fig)


def nation_history(periods: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """One nation's fair share and counted in every period."""
    years = [str(p["year"]) for p in periods]
    fig = go.Figure(
        data=_fair_and_counted(years, periods),
        layout={
            **LAYOUT,
            "barmode": "group",
            "title": {"text": f"{name} by period"},
            "yaxis": {"title": {"text": "EUR bn"}},
        },
    )
    return _json(fig)


def contract_progress(card: dict[str, Any]) -> dict[str, Any]:
    """Cumulative units per buyer at each lot (solid: delivered, dotted: planned) and orders."""
    data: list[Any] = []
    for i, buyer in enumerate(card["buyers"]):
        colour = PALETTE[i % len(PALETTE)]
        xs = [card["signed"]] + [p["on"] for p in buyer["points"]]
        ys = [0] + [p["units"] for p in buyer["points"]]
        done = 1 + sum(1 for p in buyer["points"] if p["delivered"])
        data.append(
            go.Scatter(
                name=f"{buyer['iso3']} delivered",
                x=xs[:done],
                y=ys[:done],
                mode="lines+markers",
                line={"color": colour, "shape": "hv"},
            )
        )
        data.append(
            go.Scatter(
                name=f"{buyer['iso3']} planned",
                x=xs[done - 1 :],
                y=ys[done - 1 :],
                mode="lines+markers",
                line={"color": colour, "dash": "dot", "shape": "hv"},
            )
        )
        data.append(
            go.Scatter(
                name=f"{buyer['iso3']} ordered",
                x=[xs[0], xs[-1]],
                y=[buyer["ordered"]] * 2,
                mode="lines",
                line={"color": colour, "width": 1, "dash": "dash"},
            )
        )
    fig = go.Figure(
        data=data,
        layout={
            **LAYOUT,
            "title": {"text": f"{card['id']}: units per buyer over time"},
            # Headroom above the largest order and the legend below: nothing hides a line.
            "legend": {"orientation": "h", "y": -0.15},
            "xaxis": {"type": "date"},
            "yaxis": {
                "title": {"text": "units"},
                "range": [0, 1.1 * max(b["ordered"] for b in card["buyers"])],
            },
        },
    )
    return _json(fig)
