"""`ramstein.custody/1`: every serial of a sensitive item with its last known place, the
discrepancies at checkpoints, and `ramstein.deliveries/1`: each consignment's status."""

from __future__ import annotations

from typing import Any

from ramstein.domain.custody import SerialCustody, SerialDiscrepancy
from ramstein.domain.lifecycle import ConsignmentLifecycle


def custody_document(
    sensitive: tuple[str, ...],
    serials: tuple[SerialCustody, ...],
    discrepancies: tuple[SerialDiscrepancy, ...],
) -> dict[str, Any]:
    """The custody report as a document."""
    return {
        "format": "ramstein.custody/1",
        "sensitive_items": list(sensitive),
        "serials": [
            {
                "serial": s.serial,
                "item": s.item,
                "consignment": s.consignment,
                "state": s.state.value,
                "place": s.place,
                "to": s.to or None,
                "at": s.at.isoformat(timespec="seconds"),
                "missing": s.missing,
            }
            for s in serials
        ],
        "discrepancies": [
            {
                "serial": d.serial,
                "item": d.item,
                "consignment": d.consignment,
                "kind": d.kind.value,
                "checkpoint": d.checkpoint,
                "last_place": d.last_place or None,
            }
            for d in discrepancies
        ],
    }


def deliveries_document(rows: list[ConsignmentLifecycle]) -> dict[str, Any]:
    """Each consignment's lifecycle status; a delivered one with the day and place."""
    return {
        "format": "ramstein.deliveries/1",
        "consignments": [
            {
                "id": r.consignment,
                "status": r.status.value,
                "delivered_on": r.delivered_on.isoformat() if r.delivered_on else None,
                "place": r.place or None,
            }
            for r in rows
        ],
    }
