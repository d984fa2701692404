"""Tracking reports: where the pallets are, and shipped against received per donor and hub."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from ramstein.domain.tracking import EventKind, Receipt, TrackingEvent, Whereabouts, receipt_events
from ramstein.store import logistics


@dataclass(frozen=True)
class Discrepancy:
    """Shipped against received (or handled) pallets for one donor or hub."""

    scope: str
    name: str
    shipped: int
    received: int
    damaged: int
    lost: int
    open: int


def record(session: Session, event: TrackingEvent) -> Whereabouts:
    """Record one tracking event (refused if the pallets cannot be where it says)."""
    return logistics.record_event(session, event)


def confirm_receipt(
    session: Session, receipt: Receipt, *, actor: str, at: datetime | None = None
) -> Whereabouts:
    """Record the recipient's receipt of a consignment (received, damaged, lost, a note) as
    tracking events, all or none; returns where its pallets are after."""
    when = at or datetime.now(UTC)
    state = logistics.whereabouts(session, receipt.consignment)
    if state.last is not None and when < state.last:
        when = state.last  # a receipt typed in after a later scan still comes last
    for event in receipt_events(state, receipt, at=when, actor=actor):
        state = logistics.record_event(session, event)
    return state


def pallets_by_status(session: Session) -> dict[str, int]:
    """Pallets of every consignment by where they are (origin, transit, hub, received...)."""
    status: Counter[str] = Counter()
    for row in logistics.consignment_rows(session):
        for (kind, _place), pallets in logistics.whereabouts(session, row.id).counts.items():
            if pallets:
                status[kind] += pallets
    return dict(sorted(status.items()))


def discrepancies(session: Session) -> list[Discrepancy]:
    """Per donor: pallets dispatched from its depots against those received, damaged, lost.

    Per hub: pallets arrived against those sent on, handed over, damaged or lost there.
    """
    owners = logistics.node_owners(session)
    donor: dict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    hub: dict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in logistics.consignment_rows(session):
        name = owners.get(row.origin) or row.origin
        for e in logistics.events_of(session, row.id):
            if e.kind is EventKind.DISPATCHED and e.place == row.origin:
                donor[name]["shipped"] += e.pallets
            elif e.kind is EventKind.RECEIVED:
                donor[name]["received"] += e.pallets
            elif e.kind in (EventKind.DAMAGED, EventKind.LOST):
                donor[name][e.kind.value] += e.pallets
                hub[e.place][e.kind.value] += e.pallets
            if e.kind is EventKind.ARRIVED_HUB:
                hub[e.place]["shipped"] += e.pallets
            elif e.kind in (EventKind.DISPATCHED, EventKind.HANDED_OVER) and e.place != row.origin:
                hub[e.place]["received"] += e.pallets
    rows = []
    for scope, table in (("donor", donor), ("hub", hub)):
        for name, t in sorted(table.items()):
            if scope == "hub" and not t["shipped"]:
                continue
            rows.append(
                Discrepancy(
                    scope,
                    name,
                    t["shipped"],
                    t["received"],
                    t["damaged"],
                    t["lost"],
                    t["shipped"] - t["received"] - t["damaged"] - t["lost"],
                )
            )
    return rows
