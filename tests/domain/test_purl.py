"""PURL packages as pure values: the lifecycle, its checks, and credit to the payers only."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ramstein.domain import purl
from ramstein.domain.contributions import Category, Channel, Contribution, Status
from ramstein.domain.errors import InputError
from ramstein.domain.items import MatchInstance
from ramstein.domain.logistics import Consignment, LogisticsInstance, Node, NodeKind
from ramstein.domain.money import FxRate, FxTable
from ramstein.domain.purl import Package, PackageItem, PackageStatus, Payer
from ramstein.shares.credit import check_flows, credited, flows
from ramstein.shares.supply import Supply, split, supply_of

RATE = 1.08  # USD per EUR, 2025, for these tests only
FX = FxTable([FxRate("EUR", "USD", 2025, RATE, "test")])


def _package(**changes: object) -> Package:
    base = Package(
        id="PURL-T",
        title="test package",
        value_usd=400e6,
        items=(PackageItem("PATRIOT_INTERCEPTOR", 50),),
        payers=(Payer("DEU", 300e6), Payer("POL", 100e6)),
        proposed_on=date(2025, 9, 1),
        requirements=("UKR-PATRIOT-INTERCEPTORS",),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _delivered() -> Package:
    p = purl.approve(_package(), date(2025, 9, 2))
    p = purl.pay(p, "DEU", date(2025, 9, 3))
    p = purl.pay(p, "POL", date(2025, 9, 4))
    p = purl.start_delivery(p, date(2025, 9, 10))
    return purl.deliver(p, date(2025, 10, 1))


def test_a_package_moves_through_its_lifecycle() -> None:
    p = _package()
    p.check()
    assert purl.payments(p) == [] and purl.offers(p) == []  # nothing before approval
    p = purl.approve(p, date(2025, 9, 2))
    assert p.status is PackageStatus.APPROVED and p.approved_by == "SACEUR"
    assert [c.status for c in purl.payments(p)] == [Status.COMMITTED, Status.COMMITTED]
    [offer] = purl.offers(p)
    assert (offer.donor, offer.item, offer.quantity) == ("USA", "PATRIOT_INTERCEPTOR", 50)
    assert offer.available_from == date(2025, 9, 2)
    p = purl.pay(p, "DEU", date(2025, 9, 3))
    assert p.status is PackageStatus.APPROVED and p.paid_usd == 300e6
    assert [c.status for c in purl.payments(p)] == [Status.CONTRACTED, Status.COMMITTED]
    p = purl.pay(p, "POL", date(2025, 9, 4))
    assert p.status is PackageStatus.FUNDED and p.funded_on == date(2025, 9, 4)
    p = purl.start_delivery(p, date(2025, 9, 10))
    assert p.status is PackageStatus.DELIVERING and purl.deliveries(p) == []
    p = purl.deliver(p, date(2025, 10, 1))
    assert p.status is PackageStatus.DELIVERED
    assert {c.status for c in purl.payments(p)} == {Status.DELIVERED}
    assert [(c.donor, c.parent) for c in purl.deliveries(p)] == [
        ("USA", "PURL-T:DEU"),
        ("USA", "PURL-T:POL"),
    ]


ILLEGAL = [
    ("skip to delivering", lambda p: purl.start_delivery(p, date(2025, 9, 5)), "next stage is"),
    ("deliver a proposal", lambda p: purl.deliver(p, date(2025, 9, 5)), "next stage is"),
    ("pay before approval", lambda p: purl.pay(p, "DEU", date(2025, 9, 5)), "once it is approved"),
    ("approved by another", lambda p: purl.approve(p, date(2025, 9, 5), "DSCA"), "must be SACEUR"),
    ("approved before proposed", lambda p: purl.approve(p, date(2025, 8, 1)), "before proposed"),
    (
        "approved twice",
        lambda p: purl.approve(purl.approve(p, date(2025, 9, 2)), date(2025, 9, 3)),
        "cannot move to approved",
    ),
    (
        "paid twice",
        lambda p: purl.pay(
            purl.pay(purl.approve(p, date(2025, 9, 2)), "DEU", date(2025, 9, 3)),
            "DEU",
            date(2025, 9, 4),
        ),
        "already paid",
    ),
    (
        "a payer not listed",
        lambda p: purl.pay(purl.approve(p, date(2025, 9, 2)), "FRA", date(2025, 9, 3)),
        "FRA is not a payer",
    ),
    (
        "paid before approval day",
        lambda p: purl.pay(purl.approve(p, date(2025, 9, 2)), "DEU", date(2025, 9, 1)),
        "before approved_on",
    ),
    (
        "delivering while not funded",
        lambda p: purl.start_delivery(purl.approve(p, date(2025, 9, 2)), date(2025, 9, 3)),
        "next stage is funded",
    ),
    (
        "backwards",
        lambda p: purl.approve(_delivered(), date(2025, 9, 2)),
        "cannot move to approved",
    ),
]


@pytest.mark.parametrize(("case", "move", "message"), ILLEGAL, ids=[c[0] for c in ILLEGAL])
def test_illegal_moves_are_refused(case: str, move: object, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        move(_package())  # type: ignore[operator]
    assert caught.value.field.startswith("packages[PURL-T]")


BAD_TERMS = [
    ({"payers": (Payer("DEU", 300e6),)}, "packages[PURL-T].payers", "add up to USD 300,000,000"),
    ({"payers": (Payer("USA", 400e6),)}, "packages[PURL-T].payers[USA]", "allies pay"),
    (
        {"payers": (Payer("DEU", 200e6), Payer("DEU", 200e6))},
        "packages[PURL-T].payers[DEU]",
        "named twice",
    ),
    ({"items": ()}, "packages[PURL-T].items", "at least one item"),
    ({"id": "PURL-T:A"}, "packages[PURL-T:A].id", "must not contain ':'"),
    ({"value_usd": -1.0}, "packages[PURL-T].value_usd", "positive"),
    ({"status": PackageStatus.FUNDED}, "packages[PURL-T].approved_on", "required"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_TERMS)
def test_bad_terms_name_the_field(changes: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        _package(**changes).check()
    assert caught.value.field == field


def _eur(usd: float) -> float:
    return usd / RATE


def test_a_delivered_package_is_credited_once_to_its_payers_and_never_to_the_us() -> None:
    package = _delivered()
    ledger = [*purl.payments(package), *purl.deliveries(package)]
    check_flows(ledger, FX, {"DEU", "POL", "USA"})  # children pass on no more than they got
    counted = credited(flows(ledger, FX, lambda c: True), ["DEU", "POL", "USA"])
    assert counted["DEU"] == pytest.approx(_eur(300e6))
    assert counted["POL"] == pytest.approx(_eur(100e6))
    assert counted["USA"] == 0.0
    assert math.fsum(counted.values()) == pytest.approx(_eur(package.value_usd))


def test_a_us_delivery_credited_by_funders_would_count_twice_the_rule_used_does_not() -> None:
    """The alternative the design avoids: the US delivery as a flow with funders beside the
    payments counts every dollar twice; as a channelled flow it counts once."""
    package = _delivered()
    as_funded = [
        replace(c, parent=None, funders=()) for c in purl.deliveries(package)
    ]  # credited to their donor, the US
    twice = credited(flows([*purl.payments(package), *as_funded], FX, lambda c: True), ["USA"])
    assert twice["USA"] == pytest.approx(_eur(package.value_usd))
    once = credited(
        flows([*purl.payments(package), *purl.deliveries(package)], FX, lambda c: True), ["USA"]
    )
    assert once["USA"] == 0.0


def test_payments_counted_elsewhere_are_not_written() -> None:
    package = replace(_delivered(), counted_by="Kiel, Release 29")
    assert purl.payments(package) == [] and purl.deliveries(package) == []
    assert len(purl.offers(package)) == 1  # the content still enters the match


def test_package_offers_enter_the_match_instance() -> None:
    package = purl.approve(_package(), date(2025, 9, 2))
    from ramstein.domain.items import Item, Requirement

    instance = MatchInstance(
        items=(Item("PATRIOT_INTERCEPTOR"),),
        requirements=(Requirement("UKR-PATRIOT-INTERCEPTORS", "PATRIOT_INTERCEPTOR", 80, 5),),
        offers=tuple(purl.offers(package)),
    )
    instance.check()
    assert instance.offers[0].id == "PURL-T:PATRIOT_INTERCEPTOR"


def _domestic(**changes: object) -> Contribution:
    base = Contribution(
        id="DNK-BOHDANA",
        donor="DNK",
        amount=1.2e9,
        currency="EUR",
        date=date(2025, 3, 1),
        category=Category.EQUIPMENT,
        status=Status.CONTRACTED,
        channel=Channel.DOMESTIC_PRODUCTION,
        description="18 Bohdana howitzers from a Ukrainian manufacturer",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_domestic_production_is_counted_for_its_payer() -> None:
    counted = credited(flows([_domestic()], FX, lambda c: True), ["DNK", "UKR"])
    assert counted == {"DNK": 1.2e9, "UKR": 0.0}
    assert supply_of(_domestic()) is Supply.DOMESTIC_PRODUCTION


def _network(channel: Channel) -> LogisticsInstance:
    return LogisticsInstance(
        period="day",
        horizon=10,
        late_weight=1,
        nodes=(
            Node("DEPOT_DNK", NodeKind.DEPOT),
            Node("HUB_POL", NodeKind.HUB, throughput=10),
            Node("UKR_CENTRAL", NodeKind.DESTINATION),
        ),
        links=(),
        consignments=(
            Consignment("K1", "BOHDANA", 3, "DEPOT_DNK", "UKR_CENTRAL", 0, 5, 1.0, "", channel),
        ),
    )


def test_domestic_production_is_never_routed_through_a_hub() -> None:
    _network(Channel.BILATERAL).check()
    with pytest.raises(InputError, match="never routed through a hub") as caught:
        _network(Channel.DOMESTIC_PRODUCTION).check()
    assert caught.value.field == "consignments[K1].channel"


def test_the_split_by_supply_adds_up_to_what_is_credited() -> None:
    ledger = [
        _domestic(),
        _domestic(id="DEU-1", donor="DEU", channel=Channel.BILATERAL, category=Category.IN_KIND),
        _domestic(id="DEU-2", donor="DEU", channel=Channel.BILATERAL),
        _domestic(id="FRA-1", donor="FRA", channel=Channel.NATO, source="Kiel"),
        _domestic(id="FRA-2", donor="FRA", channel=Channel.NATO, category=Category.TRAINING),
        *purl.payments(_delivered()),
        *purl.deliveries(_delivered()),
    ]
    listed = ["DNK", "DEU", "FRA", "POL", "USA"]
    all_flows = flows(ledger, FX, lambda c: True)
    parts = split(all_flows, listed, {"Kiel"})
    assert parts[Supply.DOMESTIC_PRODUCTION] == 1.2e9
    assert parts[Supply.STOCKPILE] == 1.2e9 and parts[Supply.PROCUREMENT] == 1.2e9
    assert parts[Supply.UNSPECIFIED] == 1.2e9
    assert parts[Supply.PURL] == pytest.approx(_eur(400e6))
    training = 1.2e9  # not military equipment: outside the split
    assert math.fsum(parts.values()) == pytest.approx(
        math.fsum(credited(all_flows, listed).values()) - training
    )


@given(
    amounts=st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=6),
    data=st.data(),
)
def test_any_package_is_credited_exactly_its_value_to_its_payers(
    amounts: list[int], data: st.DataObject
) -> None:
    payers = data.draw(
        st.lists(
            st.sampled_from(["DEU", "NLD", "DNK", "NOR", "SWE", "CAN", "POL", "FRA"]),
            min_size=len(amounts),
            max_size=len(amounts),
            unique=True,
        )
    )
    package = _package(
        value_usd=float(sum(amounts)),
        payers=tuple(Payer(iso3, float(a)) for iso3, a in zip(payers, amounts, strict=True)),
    )
    package = purl.approve(package, date(2025, 9, 2))
    for iso3 in payers:
        package = purl.pay(package, iso3, date(2025, 9, 3))
    package = purl.deliver(purl.start_delivery(package, date(2025, 9, 4)), date(2025, 9, 5))
    ledger = [*purl.payments(package), *purl.deliveries(package)]
    check_flows(ledger, FX, {*payers, "USA"})
    counted = credited(flows(ledger, FX, lambda c: True), [*payers, "USA"])
    assert counted["USA"] == 0.0
    for iso3, amount in zip(payers, amounts, strict=True):
        assert counted[iso3] == pytest.approx(_eur(amount))
    assert math.fsum(counted.values()) == pytest.approx(_eur(package.value_usd))
