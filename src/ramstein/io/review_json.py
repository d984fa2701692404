"""JSON documents of the review cycle: resilience, period reviews, history and credit."""

from __future__ import annotations

from typing import Any

from ramstein.io.scenario_json import nation_document
from ramstein.shares.credit import Flow
from ramstein.shares.fair import NationShare
from ramstein.shares.resilience import Exit
from ramstein.shares.review import Review

RESILIENCE_FORMAT = "ramstein.resilience/1"
REVIEW_FORMAT = "ramstein.review/1"
CREDIT_FORMAT = "ramstein.credit/1"


def resilience_document(exits: list[Exit]) -> dict[str, Any]:
    """Each participant's withdrawal, heaviest first, with what every other must add."""
    return {
        "format": RESILIENCE_FORMAT,
        "exits": [
            {
                "iso3": e.iso3,
                "fair_share_eur": e.fair_share_eur,
                "shifted_eur": e.shifted_eur,
                "extra_gap_eur": e.extra_gap_eur,
                "uncovered_eur": e.uncovered_eur,
                "takers": [
                    {
                        "iso3": t.iso3,
                        "extra_fair_share_eur": t.extra_fair_share_eur,
                        "extra_gap_eur": t.extra_gap_eur,
                    }
                    for t in e.takers
                ],
            }
            for e in exits
        ],
    }


def review_document(r: Review) -> dict[str, Any]:
    """A period's lines with their change since the last snapshot, and the restatements."""
    return {
        "format": REVIEW_FORMAT,
        "year": r.year,
        "baseline_eur": r.result.baseline_eur,
        "last_snapshot": None
        if r.last is None
        else {
            "label": r.last.label,
            "cutoff": r.last.figures.cutoff.isoformat(),
            "taken_at": r.last.taken_at.isoformat(),
        },
        "nations": [
            {**nation_document(line.share), "change_since_snapshot_eur": line.change_eur}
            for line in r.lines
        ],
        "restatements": [
            {
                "snapshot": s.label,
                "contribution": s.contribution,
                "iso3": s.iso3,
                "reported_eur": s.reported_eur,
                "now_eur": s.now_eur,
            }
            for s in r.restatements
        ],
    }


def history_document(iso3: str, rows: list[tuple[int, NationShare]]) -> dict[str, Any]:
    """One nation's line in every period."""
    return {
        "format": REVIEW_FORMAT,
        "iso3": iso3,
        "periods": [{"year": year, **nation_document(n)} for year, n in rows],
    }


def credit_document(flows: list[Flow]) -> dict[str, Any]:
    """Every flow whose credit is split or passed on, with the rule applied."""
    return {
        "format": CREDIT_FORMAT,
        "flows": [
            {
                "id": f.contribution.id,
                "donor": f.contribution.donor,
                "eur": f.eur,
                "rule": f.rule.value,
                "root": f.root,
                "credits": [{"iso3": c.iso3, "eur": c.eur} for c in f.credits],
            }
            for f in flows
        ],
    }
