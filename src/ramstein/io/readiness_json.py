"""The `ramstein.readiness/1` document (see docs/formats/readiness.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ramstein.plan.readiness import CapabilityReadiness, Slip

READINESS_FORMAT = "ramstein.readiness/1"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _capabilities(capabilities: list[CapabilityReadiness]) -> list[dict[str, Any]]:
    return [
        {
            "requirement": c.requirement,
            "item": c.item,
            "priority": c.priority,
            "required": c.required,
            "delivered": len(c.units),
            "last_ready": _day(c.last_ready),
            "units": [
                {
                    "unit": u.unit,
                    "equipment": _day(u.equipment),
                    "training": _day(u.training),
                    "ready": _day(u.ready),
                    "cause": u.cause.value,
                }
                | ({"missing": u.missing} if u.missing else {})
                for u in c.units
            ],
        }
        for c in capabilities
    ]


def readiness_document(
    capabilities: list[CapabilityReadiness],
    what_if: dict[str, Any] | None = None,
    changes: list[Slip] | None = None,
    changed: list[CapabilityReadiness] | None = None,
) -> dict[str, Any]:
    """Every delivered unit's readiness by capability; with a what-if, its units and slips."""
    doc: dict[str, Any] = {"format": READINESS_FORMAT, "capabilities": _capabilities(capabilities)}
    if what_if is not None:
        doc["what_if"] = what_if | {
            "capabilities": _capabilities(changed or []),
            "changes": [
                {
                    "requirement": s.requirement,
                    "base": _day(s.base),
                    "what_if": _day(s.what_if),
                    "slip_days": s.days,
                    "units": [s.base_units, s.what_if_units],
                }
                for s in changes or []
            ],
        }
    return doc
