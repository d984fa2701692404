"""The summit review report as HTML and PDF, its charts drawn as SVG without a browser."""

from __future__ import annotations

import io
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ramstein.domain.errors import InputError

BLUE, ORANGE, GREY = "#0072B2", "#E69F00", "#777777"  # Okabe-Ito, colour-blind safe


def _bn(eur: float | None) -> str:
    return "" if eur is None else f"{eur / 1e9:,.2f}"


def fair_vs_counted_svg(lines: list[dict[str, Any]], *, top: int = 15) -> str:
    """Fair share against counted for the largest participants, as an SVG string."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [n for n in lines if n["participating"]][:top][::-1]
    fig, ax = plt.subplots(figsize=(7.0, 0.32 * len(shown) + 1.2))
    y = range(len(shown))
    ax.barh(
        [i + 0.2 for i in y],
        [n["fair_share_eur"] / 1e9 for n in shown],
        height=0.4,
        color=BLUE,
        label="Fair share",
    )
    ax.barh(
        [i - 0.2 for i in y],
        [n["counted_eur"] / 1e9 for n in shown],
        height=0.4,
        color=ORANGE,
        label="Counted",
    )
    ax.set_yticks(list(y), [n["iso3"] for n in shown])
    ax.set_xlabel("EUR bn")
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def render_html(report: dict[str, Any]) -> str:
    """The report as one self-contained HTML page."""
    env = Environment(
        loader=FileSystemLoader(str(files("ramstein.io") / "templates")),
        autoescape=select_autoescape(["html"]),
    )
    env.filters["bn"] = _bn
    chart = fair_vs_counted_svg(report["nations"])
    return env.get_template("report.html").render(r=report, chart=chart)


def write(report: dict[str, Any], path: Path) -> None:
    """Write the report as .html or .pdf (WeasyPrint)."""
    html = render_html(report)
    suffix = path.suffix.lower()
    if suffix == ".html":
        path.write_text(html, encoding="utf-8")
    elif suffix == ".pdf":
        from weasyprint import HTML

        HTML(string=html).write_pdf(str(path))
    else:
        raise InputError("out", f"write a .pdf or .html report, not {path.name!r}")
