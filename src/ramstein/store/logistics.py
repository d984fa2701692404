"""Read and write the logistics network, consignments and their tracking events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ramstein.domain.errors import InputError
from ramstein.domain.logistics import (
    Consignment,
    Link,
    LogisticsInstance,
    Node,
    NodeKind,
    ThroughputOverride,
)
from ramstein.domain.tracking import EventKind, TrackingEvent, Whereabouts
from ramstein.store.models import (
    ConsignmentEventRow,
    ConsignmentRow,
    LinkRow,
    NetworkRow,
    NodeRow,
    ThroughputOverrideRow,
)

DAYS = {"day": 1, "week": 7}


@dataclass(frozen=True)
class Calendar:
    """Maps dates to the network's periods and back."""

    start: date
    period: str
    horizon: int

    def period_of(self, day: date) -> int:
        """The period a date falls in (clamped to the horizon)."""
        index = (day - self.start).days // DAYS[self.period]
        return min(max(index, 0), self.horizon - 1)

    def date_of(self, period: int) -> date:
        """The first day of a period."""
        return self.start + timedelta(days=period * DAYS[self.period])


def import_network(session: Session, instance: LogisticsInstance, start: date) -> None:
    """Store an instance's network and consignments, period 0 being `start`."""
    instance.check()
    calendar = Calendar(start, instance.period, instance.horizon)
    network = session.scalar(select(NetworkRow)) or NetworkRow()
    network.start, network.period = start, instance.period
    network.horizon, network.late_weight = instance.horizon, instance.late_weight
    session.add(network)
    for n in instance.nodes:
        node = session.get(NodeRow, n.id) or NodeRow(id=n.id)
        node.kind, node.throughput = n.kind.value, n.throughput
        node.owner, node.location = n.owner, n.location
        session.add(node)
    session.flush()
    for k in instance.links:
        link = session.scalar(
            select(LinkRow).where(LinkRow.source == k.source, LinkRow.target == k.target)
        ) or LinkRow(source=k.source, target=k.target)
        link.transit, link.capacity, link.cost = k.transit, k.capacity, k.cost
        session.add(link)
    session.execute(delete(ThroughputOverrideRow))
    for o in instance.overrides:
        session.add(
            ThroughputOverrideRow(
                hub=o.hub,
                start=calendar.date_of(o.start),
                end=calendar.date_of(o.end),
                throughput=o.throughput,
                reason="imported",
            )
        )
    for c in instance.consignments:
        row = session.get(ConsignmentRow, c.id) or ConsignmentRow(id=c.id)
        row.item, row.pallets, row.priority, row.fulfils = c.item, c.pallets, c.priority, c.fulfils
        row.origin, row.destination = c.origin, c.destination
        row.ready, row.due = calendar.date_of(c.ready), calendar.date_of(c.due)
        session.add(row)
    session.flush()


def calendar(session: Session) -> Calendar:
    """The stored network's calendar; an empty store says what to do."""
    network = session.scalar(select(NetworkRow))
    if network is None:
        raise InputError("network", "the store has none; run `ramstein route import FILE`")
    return Calendar(network.start, network.period, network.horizon)


def stored_instance(session: Session) -> tuple[LogisticsInstance, Calendar]:
    """The stored network and consignments as an instance, with its calendar."""
    cal = calendar(session)
    network = session.scalar(select(NetworkRow))
    assert network is not None
    nodes = tuple(
        Node(n.id, NodeKind(n.kind), n.throughput, n.owner, n.location)
        for n in session.scalars(select(NodeRow).order_by(NodeRow.id))
    )
    links = tuple(
        Link(k.source, k.target, k.transit, k.capacity, k.cost)
        for k in session.scalars(select(LinkRow).order_by(LinkRow.id))
    )
    overrides = tuple(
        ThroughputOverride(o.hub, cal.period_of(o.start), cal.period_of(o.end), o.throughput)
        for o in session.scalars(select(ThroughputOverrideRow).order_by(ThroughputOverrideRow.id))
    )
    consignments = tuple(
        Consignment(
            c.id,
            c.item,
            c.pallets,
            c.origin,
            c.destination,
            cal.period_of(c.ready),
            cal.period_of(c.due),
            c.priority,
            c.fulfils,
        )
        for c in session.scalars(select(ConsignmentRow).order_by(ConsignmentRow.id))
    )
    instance = LogisticsInstance(
        cal.period, cal.horizon, network.late_weight, nodes, links, consignments, overrides
    )
    return instance, cal


def add_override(
    session: Session, hub: str, start: date, end: date, throughput: int, reason: str
) -> None:
    """Record a hub's throughput over dated periods (0 while closed)."""
    node = session.get(NodeRow, hub)
    if node is None or node.kind != NodeKind.HUB.value:
        raise InputError("hub", f"unknown hub {hub!r}")
    if end < start:
        raise InputError("end", "is before start")
    if throughput < 0:
        raise InputError("throughput", "must not be negative")
    session.add(
        ThroughputOverrideRow(hub=hub, start=start, end=end, throughput=throughput, reason=reason)
    )


def events_of(session: Session, consignment: str) -> list[TrackingEvent]:
    """A consignment's tracking events, oldest first."""
    rows = session.scalars(
        select(ConsignmentEventRow)
        .where(ConsignmentEventRow.consignment == consignment)
        .order_by(ConsignmentEventRow.id)
    )
    return [
        TrackingEvent(
            r.consignment,
            EventKind(r.kind),
            r.pallets,
            r.place,
            _utc(r.at),
            r.actor,
            r.to,
            r.note,
        )
        for r in rows
    ]


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def whereabouts(session: Session, consignment: str) -> Whereabouts:
    """Where each pallet of a consignment is, replaying its events."""
    row = session.get(ConsignmentRow, consignment)
    if row is None:
        raise InputError(f"consignments[{consignment}]", "no such consignment")
    hubs = frozenset(
        n.id for n in session.scalars(select(NodeRow).where(NodeRow.kind == NodeKind.HUB.value))
    )
    state = Whereabouts(consignment, row.pallets, row.origin, row.destination, hubs)
    for event in events_of(session, consignment):
        state.apply(event)
    return state


def record_event(session: Session, event: TrackingEvent) -> Whereabouts:
    """Append a tracking event if it is possible from where the pallets are; returns after."""
    if session.get(NodeRow, event.place) is None:
        raise InputError(f"events[{event.consignment}].place", f"unknown node {event.place!r}")
    if event.to and session.get(NodeRow, event.to) is None:
        raise InputError(f"events[{event.consignment}].to", f"unknown node {event.to!r}")
    state = whereabouts(session, event.consignment)
    state.apply(event)
    session.add(
        ConsignmentEventRow(
            consignment=event.consignment,
            kind=event.kind.value,
            pallets=event.pallets,
            place=event.place,
            to=event.to,
            at=event.at,
            actor=event.actor,
            note=event.note,
        )
    )
    session.flush()
    return state


def consignment_rows(session: Session) -> list[ConsignmentRow]:
    """Every stored consignment row."""
    return list(session.scalars(select(ConsignmentRow).order_by(ConsignmentRow.id)))


def node_owners(session: Session) -> dict[str, str]:
    """Each node's owner nation (empty when unknown)."""
    return {n.id: n.owner for n in session.scalars(select(NodeRow))}


def add_consignment(
    session: Session,
    *,
    consignment_id: str,
    item: str,
    pallets: int,
    origin: str,
    destination: str,
    ready: date,
    due: date,
    priority: float,
    fulfils: str,
) -> None:
    """Add one consignment to route (an accepted offer's); its nodes must exist."""
    field = f"consignments[{consignment_id}]"
    if session.get(ConsignmentRow, consignment_id) is not None:
        raise InputError(f"{field}.id", "exists")
    for name, node in (("origin", origin), ("destination", destination)):
        if session.get(NodeRow, node) is None:
            raise InputError(f"{field}.{name}", f"unknown node {node!r}")
    if pallets <= 0:
        raise InputError(f"{field}.pallets", "must be a positive integer")
    if due < ready:
        raise InputError(f"{field}.due", f"{due} is before ready {ready}")
    session.add(
        ConsignmentRow(
            id=consignment_id,
            item=item,
            pallets=pallets,
            origin=origin,
            destination=destination,
            ready=ready,
            due=due,
            priority=priority,
            fulfils=fulfils,
        )
    )
    session.flush()
