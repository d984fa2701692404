"""Custody of sensitive items, pure: serials' last known places, missing and unexpected
serials at checkpoints; and a consignment's lifecycle status from its tracking events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ramstein.domain.custody import DiscrepancyKind, SerialState, check_serials, custody
from ramstein.domain.errors import InputError
from ramstein.domain.lifecycle import ConsignmentStatus, consignment_status
from ramstein.domain.tracking import EventKind, TrackingEvent, Whereabouts

T0 = datetime(2025, 3, 1, 8, tzinfo=UTC)
ITEM = "STINGER"


def _event(
    n: int, kind: EventKind, pallets: int, place: str, serials: str = "", to: str = ""
) -> TrackingEvent:
    return TrackingEvent(
        "K1", kind, pallets, place, T0 + timedelta(hours=n), "test", to, "", tuple(serials.split())
    )


def _replay(events: list[TrackingEvent]) -> Whereabouts:
    state = Whereabouts("K1", 4, "DEPOT", "UKR", frozenset({"HUB"}))
    for e in events:
        state.apply(e)
    return state


DISPATCH = _event(0, EventKind.DISPATCHED, 4, "DEPOT", "S1 S2 S3 S4", to="HUB")


def test_a_serial_missing_at_a_hub_is_a_discrepancy_with_its_last_known_place() -> None:
    events = [DISPATCH, _event(1, EventKind.ARRIVED_HUB, 4, "HUB", "S1 S2 S4")]
    rows, odd = custody(ITEM, _replay(events), events)
    by_serial = {r.serial: r for r in rows}
    assert [(d.serial, d.kind, d.checkpoint, d.last_place) for d in odd] == [
        ("S3", DiscrepancyKind.MISSING, "HUB", "DEPOT")
    ]
    assert by_serial["S3"].state is SerialState.IN_TRANSIT
    assert (by_serial["S3"].place, by_serial["S3"].to, by_serial["S3"].missing) == (
        "DEPOT",
        "HUB",
        True,
    )
    assert {s: r.state for s, r in by_serial.items() if s != "S3"} == {
        "S1": SerialState.AT_HUB,
        "S2": SerialState.AT_HUB,
        "S4": SerialState.AT_HUB,
    }
    assert not any(r.missing for s, r in by_serial.items() if s != "S3")


def test_serials_still_on_their_way_are_not_missing() -> None:
    events = [DISPATCH, _event(1, EventKind.ARRIVED_HUB, 2, "HUB", "S1 S2")]
    rows, odd = custody(ITEM, _replay(events), events)
    assert odd == []
    assert {r.serial: r.state for r in rows}["S3"] is SerialState.IN_TRANSIT


def test_a_full_journey_ends_received_without_discrepancy() -> None:
    events = [
        DISPATCH,
        _event(1, EventKind.ARRIVED_HUB, 4, "HUB", "S1 S2 S3 S4"),
        _event(2, EventKind.DISPATCHED, 4, "HUB", "S1 S2 S3 S4", to="UKR"),
        _event(3, EventKind.RECEIVED, 4, "UKR", "S1 S2 S3 S4"),
    ]
    rows, odd = custody(ITEM, _replay(events), events)
    assert odd == []
    assert {(r.state, r.place) for r in rows} == {(SerialState.RECEIVED, "UKR")}


def test_a_serial_that_skips_a_checkpoint_is_missing_there_and_unexpected_after() -> None:
    events = [
        DISPATCH,
        _event(1, EventKind.ARRIVED_HUB, 4, "HUB", "S1 S2 S3"),
        _event(2, EventKind.DISPATCHED, 4, "HUB", "S1 S2 S3 S4", to="UKR"),
        _event(3, EventKind.RECEIVED, 4, "UKR", "S1 S2 S3 S4 S9"),
    ]
    _, odd = custody(ITEM, _replay(events), events)
    assert {(d.serial, d.kind, d.checkpoint) for d in odd} == {
        ("S4", DiscrepancyKind.MISSING, "HUB"),
        ("S4", DiscrepancyKind.UNEXPECTED, "HUB"),  # sent on from a hub it never reached
        ("S9", DiscrepancyKind.UNEXPECTED, "UKR"),  # received, never sent
    }


def test_a_serial_reported_lost_is_accounted_for_not_missing() -> None:
    events = [
        DISPATCH,
        _event(1, EventKind.ARRIVED_HUB, 3, "HUB", "S1 S2 S3"),
        _event(2, EventKind.LOST, 1, "HUB", "S4"),
    ]
    rows, odd = custody(ITEM, _replay(events), events)
    assert odd == []
    assert {r.serial: r.state for r in rows}["S4"] is SerialState.LOST


def test_hand_over_then_receipt_checks_the_serials_handed_over() -> None:
    events = [
        DISPATCH,
        _event(1, EventKind.ARRIVED_HUB, 4, "HUB", "S1 S2 S3 S4"),
        _event(2, EventKind.HANDED_OVER, 4, "HUB", "S1 S2 S3 S4"),
        _event(3, EventKind.RECEIVED, 4, "UKR", "S1 S2 S3"),
    ]
    _, odd = custody(ITEM, _replay(events), events)
    assert [(d.serial, d.kind, d.checkpoint, d.last_place) for d in odd] == [
        ("S4", DiscrepancyKind.MISSING, "UKR", "HUB")
    ]


@pytest.mark.parametrize(
    ("event", "sensitive", "message"),
    [
        (_event(0, EventKind.DISPATCHED, 1, "DEPOT", to="HUB"), True, "is sensitive"),
        (_event(0, EventKind.ARRIVED_HUB, 1, "HUB", "S1 S1"), True, "listed twice"),
        (_event(0, EventKind.ARRIVED_HUB, 1, "HUB", "S1"), False, "not marked sensitive"),
    ],
)
def test_checkpoints_of_sensitive_items_list_their_serials(
    event: TrackingEvent, sensitive: bool, message: str
) -> None:
    with pytest.raises(InputError, match=message) as caught:
        check_serials(event, ITEM, sensitive)
    assert caught.value.field == "events[K1].serials"


def test_damage_and_loss_may_go_without_serials() -> None:
    check_serials(_event(0, EventKind.LOST, 1, "HUB"), ITEM, True)


def test_consignment_lifecycle_ready_shipped_delivered_with_day_and_place() -> None:
    assert consignment_status(_replay([]), []).status is ConsignmentStatus.READY
    shipped = [DISPATCH]
    assert consignment_status(_replay(shipped), shipped).status is ConsignmentStatus.SHIPPED
    events = [
        DISPATCH,
        _event(1, EventKind.ARRIVED_HUB, 4, "HUB", "S1 S2 S3 S4"),
        _event(2, EventKind.DISPATCHED, 4, "HUB", "S1 S2 S3 S4", to="UKR"),
        _event(3, EventKind.RECEIVED, 3, "UKR", "S1 S2 S3"),
    ]
    partly = consignment_status(_replay(events), events)
    assert partly.status is ConsignmentStatus.SHIPPED  # one pallet still on its way
    events.append(_event(30, EventKind.RECEIVED, 1, "UKR", "S4"))
    done = consignment_status(_replay(events), events)
    assert (done.status, done.delivered_on, done.place) == (
        ConsignmentStatus.DELIVERED,
        date(2025, 3, 2),
        "UKR",
    )


def test_a_consignment_all_lost_is_lost_not_delivered() -> None:
    events = [DISPATCH, _event(1, EventKind.LOST, 4, "HUB", "S1 S2 S3 S4")]
    assert consignment_status(_replay(events), events).status is ConsignmentStatus.LOST
