"""Read and write the logistics network, consignments and their tracking events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.contributions import Channel
from ramstein.domain.custody import check_serials
from ramstein.domain.errors import InputError
from ramstein.domain.logistics import (
    Consignment,
    Link,
    LogisticsInstance,
    Node,
    NodeKind,
    ThroughputOverride,
    check_routable,
)
from ramstein.domain.tracking import EventKind, TrackingEvent, Whereabouts
from ramstein.store.models import (
    ConsignmentEventRow,
    ConsignmentRow,
    CustodySerialRow,
    ItemRow,
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
    # Row by row through the ORM, so that each removal is audited like any other write.
    for old in session.scalars(select(ThroughputOverrideRow)):
        session.delete(old)
    session.flush()
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
        row.origin, row.destination, row.channel = c.origin, c.destination, c.channel.value
        row.ready, row.due = calendar.date_of(c.ready), calendar.date_of(c.due)
        session.add(row)
    session.flush()


def add_consignments(session: Session, consignments: list[Consignment]) -> None:
    """Store consignments (by id, replacing their terms) on the stored network's calendar."""
    cal = calendar(session)
    for c in consignments:
        check_routable(c)
        for key, node in (("origin", c.origin), ("destination", c.destination)):
            if session.get(NodeRow, node) is None:
                raise InputError(f"consignments[{c.id}].{key}", f"unknown node {node!r}")
        row = session.get(ConsignmentRow, c.id) or ConsignmentRow(id=c.id)
        row.item, row.pallets, row.priority, row.fulfils = c.item, c.pallets, c.priority, c.fulfils
        row.origin, row.destination, row.channel = c.origin, c.destination, c.channel.value
        row.ready, row.due = cal.date_of(c.ready), cal.date_of(c.due)
        session.add(row)
    session.flush()


def depots_of(session: Session, owner: str) -> list[str]:
    """The depots a nation runs, by id."""
    rows = session.scalars(
        select(NodeRow)
        .where(NodeRow.kind == NodeKind.DEPOT.value, NodeRow.owner == owner)
        .order_by(NodeRow.id)
    )
    return [n.id for n in rows]


def destinations(session: Session) -> list[str]:
    """The network's destination nodes, by id."""
    rows = session.scalars(
        select(NodeRow).where(NodeRow.kind == NodeKind.DESTINATION.value).order_by(NodeRow.id)
    )
    return [n.id for n in rows]


def has_network(session: Session) -> bool:
    """Whether a network is stored."""
    return session.scalar(select(NetworkRow)) is not None


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
            Channel(c.channel),
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
    """A consignment's tracking events, oldest first, with the serials each checked."""
    rows = list(
        session.scalars(
            select(ConsignmentEventRow)
            .where(ConsignmentEventRow.consignment == consignment)
            .order_by(ConsignmentEventRow.id)
        )
    )
    serials: dict[int, list[str]] = {}
    if rows:
        for s in session.scalars(
            select(CustodySerialRow)
            .where(CustodySerialRow.event_id.in_([r.id for r in rows]))
            .order_by(CustodySerialRow.id)
        ):
            serials.setdefault(s.event_id, []).append(s.serial)
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
            tuple(serials.get(r.id, ())),
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
    """Append a tracking event if it is possible from where the pallets are; returns after.

    A sensitive item's checkpoints record the serials they checked (`domain.custody`).
    """
    if session.get(NodeRow, event.place) is None:
        raise InputError(f"events[{event.consignment}].place", f"unknown node {event.place!r}")
    if event.to and session.get(NodeRow, event.to) is None:
        raise InputError(f"events[{event.consignment}].to", f"unknown node {event.to!r}")
    state = whereabouts(session, event.consignment)
    state.apply(event)
    row = session.get(ConsignmentRow, event.consignment)
    assert row is not None
    item = session.get(ItemRow, row.item)
    check_serials(event, row.item, item is not None and item.sensitive)
    if event.kind is EventKind.DISPATCHED and event.place == row.origin and event.serials:
        _check_new_serials(session, row, event.serials)
    stored = ConsignmentEventRow(
        consignment=event.consignment,
        kind=event.kind.value,
        pallets=event.pallets,
        place=event.place,
        to=event.to,
        at=event.at,
        actor=event.actor,
        note=event.note,
    )
    session.add(stored)
    session.flush()
    for serial in event.serials:
        session.add(CustodySerialRow(event_id=stored.id, serial=serial))
    session.flush()
    return state


def _check_new_serials(session: Session, row: ConsignmentRow, serials: tuple[str, ...]) -> None:
    """Hard: a unit leaves its origin once: its serial is in no earlier dispatch of the item."""
    again = session.scalar(
        select(CustodySerialRow.serial)
        .join(ConsignmentEventRow, ConsignmentEventRow.id == CustodySerialRow.event_id)
        .join(ConsignmentRow, ConsignmentRow.id == ConsignmentEventRow.consignment)
        .where(
            CustodySerialRow.serial.in_(serials),
            ConsignmentRow.item == row.item,
            ConsignmentEventRow.kind == EventKind.DISPATCHED.value,
            ConsignmentEventRow.place == ConsignmentRow.origin,
        )
        .limit(1)
    )
    if again is not None:
        raise InputError(
            f"events[{row.id}].serials", f"{again!r} of {row.item} was dispatched before"
        )


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
