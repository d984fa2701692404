"""Custody and delivery reports: every serial of a sensitive item with its last known place,
the discrepancies at checkpoints, and each consignment's status in its lifecycle."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ramstein.domain.custody import SerialCustody, SerialDiscrepancy, custody
from ramstein.domain.lifecycle import ConsignmentLifecycle, consignment_status
from ramstein.store import catalog, logistics


@dataclass(frozen=True)
class CustodyReport:
    """Every serial of the sensitive items' consignments, and what is wrong with any."""

    sensitive_items: tuple[str, ...]
    serials: tuple[SerialCustody, ...]
    discrepancies: tuple[SerialDiscrepancy, ...]


def report(session: Session, *, consignment: str | None = None) -> CustodyReport:
    """The custody report of every consignment (or of one) whose item is sensitive."""
    if consignment is not None:
        logistics.whereabouts(session, consignment)  # an unknown id is bad input
    sensitive = catalog.sensitive_items(session)
    rows: list[SerialCustody] = []
    odd: list[SerialDiscrepancy] = []
    for row in logistics.consignment_rows(session):
        if consignment is not None and row.id != consignment:
            continue
        events = logistics.events_of(session, row.id)
        if row.item not in sensitive and not any(e.serials for e in events):
            continue
        state = logistics.whereabouts(session, row.id)
        seen, wrong = custody(row.item, state, events)
        rows += seen
        odd += wrong
    rows.sort(key=lambda r: (r.serial, r.consignment))
    return CustodyReport(tuple(sensitive), tuple(rows), tuple(odd))


def lifecycles(session: Session) -> list[ConsignmentLifecycle]:
    """Each consignment's status (ready, shipped, delivered, lost) from its tracking events."""
    return [
        consignment_status(
            logistics.whereabouts(session, row.id), logistics.events_of(session, row.id)
        )
        for row in logistics.consignment_rows(session)
    ]
