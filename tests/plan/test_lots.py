"""Lot allocation: fair by the stated rule, re-planned on delay, donations honoured."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ramstein.domain.procurement import Buyer, Contract, Lot, LotStatus
from ramstein.plan.lots import allocate, delivery_order, shortfalls


@st.composite
def contracts(draw: st.DrawFn) -> Contract:
    """Small random contracts: 2-3 buyers, a few lots, some donations."""
    n = draw(st.integers(2, 3))
    ordered = draw(st.lists(st.integers(1, 9), min_size=n, max_size=n))
    total = sum(ordered)
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), max_size=min(4, total - 1))))
    sizes = [b - a for a, b in itertools.pairwise([0, *cuts, total])]
    days = draw(st.permutations(list(range(len(sizes)))))
    buyers = tuple(
        Buyer(f"B{i}", q, 1 / n if i < n - 1 else 1 - (n - 1) / n, draw(st.integers(0, q)))
        for i, q in enumerate(ordered)
    )
    lots = tuple(
        Lot(f"L{i}", size, date(2026, 1, 1) + timedelta(days=30 * day))
        for i, (size, day) in enumerate(zip(sizes, days, strict=True))
    )
    return Contract(
        "C", "NSPA", "maker", "ITEM", "EUR", 1000.0 * total, date(2025, 1, 1), buyers, lots
    )


def _best_worst(contract: Contract, received: dict[str, int], size: int, produced: int) -> float:
    """The smallest largest shortfall any split of a lot can reach (by enumeration)."""
    buyers = contract.buyers
    best = float("inf")
    for split in itertools.product(*(range(b.ordered - received[b.iso3] + 1) for b in buyers)):
        if sum(split) != size:
            continue
        after = {b.iso3: received[b.iso3] + x for b, x in zip(buyers, split, strict=True)}
        best = min(best, max(shortfalls(buyers, after, produced, contract.ordered).values()))
    return best


@settings(max_examples=60, deadline=None)
@given(contracts())
def test_each_lot_minimises_the_largest_relative_shortfall(contract: Contract) -> None:
    allocation = allocate(contract)
    order = delivery_order(contract)
    assert [p.lot for p in allocation.lots] == [lot.id for lot in order]
    received = {b.iso3: 0 for b in contract.buyers}
    produced = 0
    for lot, plan in zip(order, allocation.lots, strict=True):
        assert sum(s.units for s in plan.shares) == lot.quantity
        optimum = _best_worst(contract, received, lot.quantity, produced + lot.quantity)
        produced += lot.quantity
        for s in plan.shares:
            received[s.iso3] += s.units
        worst = max(shortfalls(contract.buyers, received, produced, contract.ordered).values())
        assert abs(worst - optimum) < 1e-9
    for b in contract.buyers:
        assert received[b.iso3] == b.ordered
        assert sum(s.donated for p in allocation.lots for s in p.shares if s.iso3 == b.iso3) == (
            b.donate
        )


def _three_lots() -> Contract:
    """Three lots of a 100-unit order, the Netherlands donating 10 units."""
    buyers = (Buyer("DEU", 50, 0.5), Buyer("ITA", 30, 0.3), Buyer("NLD", 20, 0.2, donate=10))
    lots = (
        Lot("A", 10, date(2026, 1, 31)),
        Lot("B", 45, date(2026, 6, 30)),
        Lot("C", 45, date(2026, 12, 31)),
    )
    return Contract("C3", "NSPA", "maker", "ITEM", "EUR", 1e8, date(2025, 7, 9), buyers, lots)


def test_a_delayed_lot_re_plans_the_lots_after_it() -> None:
    contract = Contract(
        "C", "NSPA", "maker", "ITEM", "EUR", 5e6, date(2025, 1, 1),
        (Buyer("DEU", 3, 0.6), Buyer("ITA", 2, 0.4)),
        (Lot("A", 1, date(2026, 1, 31)), Lot("B", 3, date(2026, 6, 30)),
         Lot("C", 1, date(2026, 12, 31))),
    )  # fmt: skip
    before = {p.lot: {s.iso3: s.units for s in p.shares} for p in allocate(contract).lots}
    # A's unit goes to Germany (ITA would overshoot), so B makes Italy catch up.
    assert before == {"A": {"DEU": 1, "ITA": 0}, "B": {"DEU": 1, "ITA": 2},
                      "C": {"DEU": 1, "ITA": 0}}  # fmt: skip
    late = contract.with_lot(replace(contract.lot("A"), expected=date(2027, 3, 31)))
    plan = allocate(late)
    assert [p.lot for p in plan.lots] == ["B", "C", "A"]
    after = {p.lot: {s.iso3: s.units for s in p.shares} for p in plan.lots}
    # B now opens the line and is split 2:1 by the orders; C and A follow from there.
    assert after == {"B": {"DEU": 2, "ITA": 1}, "C": {"DEU": 0, "ITA": 1},
                     "A": {"DEU": 1, "ITA": 0}}  # fmt: skip


def test_delivered_lots_keep_their_allocation_and_donations_come_first() -> None:
    contract = _three_lots()
    fixed = (("DEU", 10, 0), ("ITA", 0, 0), ("NLD", 0, 0))
    done = contract.with_lot(
        replace(
            contract.lot("A"),
            status=LotStatus.DELIVERED,
            delivered_on=date(2026, 2, 2),
            allocation=fixed,
        )
    )
    plan = allocate(done)
    assert plan.lots[0].delivered
    assert [(s.iso3, s.kept, s.donated) for s in plan.lots[0].shares] == list(fixed)
    nld_b = next(s for s in plan.lots[1].shares if s.iso3 == "NLD")
    assert nld_b.donated == min(10, nld_b.units)  # the recipient's units before its stocks
    # Germany got all of lot A, so lot B makes the others catch up.
    deu_b = next(s for s in plan.lots[1].shares if s.iso3 == "DEU")
    assert deu_b.units < 45 * 0.5
