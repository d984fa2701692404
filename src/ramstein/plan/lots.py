"""Production lots to buyers: each buyer's delivered share tracks its ordered share.

The rule, lot by lot in delivery order: give the lot's units to the buyers so that the
largest relative shortfall after the lot is as small as it can be. A buyer's relative
shortfall is the share of the contract produced so far less the share of its own order it
has received (P/T - received/ordered). Each lot is one small integer model on HiGHS, solved
to optimality: first the smallest largest shortfall, then, holding it, the smallest sum of
shortfalls. Lots already delivered keep the allocation they were delivered with.

Donated units (a buyer's request to send part of its order to the recipient) are served
first from each buyer's allocations: the recipient is at war, the buyers' stocks are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ramstein.domain.errors import InputError
from ramstein.domain.plans import SolveStatus
from ramstein.domain.procurement import Buyer, Contract, Lot, LotStatus
from ramstein.plan.highs import solve_highs
from ramstein.plan.milp import INF, Milp

# A second stage may not let the first stage's optimum slip by more than this.
HOLD = 1e-9


@dataclass(frozen=True)
class Share:
    """One buyer's units of one lot: kept in its own stocks and donated to the recipient."""

    iso3: str
    kept: int
    donated: int

    @property
    def units(self) -> int:
        """All its units of the lot."""
        return self.kept + self.donated


@dataclass(frozen=True)
class LotPlan:
    """A lot's allocation, when it arrives, and the largest relative shortfall after it."""

    lot: str
    on: date
    delivered: bool
    shares: tuple[Share, ...]
    max_shortfall: float


@dataclass(frozen=True)
class Allocation:
    """Every lot's allocation in delivery order, and the unit price actually paid."""

    contract: str
    unit_price: float
    lots: tuple[LotPlan, ...]

    def received(self, iso3: str, until: int | None = None) -> int:
        """Units a buyer has after the first `until` lots (all of them by default)."""
        return sum(s.units for plan in self.lots[:until] for s in plan.shares if s.iso3 == iso3)


def delivery_order(contract: Contract) -> list[Lot]:
    """Delivered lots by delivery date, then the others by expected completion, then id."""
    done = sorted(
        (lot for lot in contract.lots if lot.status is LotStatus.DELIVERED),
        key=lambda lot: (lot.delivered_on or lot.expected, lot.id),
    )
    pending = sorted(
        (lot for lot in contract.lots if lot.status is not LotStatus.DELIVERED),
        key=lambda lot: (lot.expected, lot.id),
    )
    return done + pending


def shortfalls(
    buyers: Sequence[Buyer], received: dict[str, int], produced: int, total: int
) -> dict[str, float]:
    """Each buyer's share of the contract produced less its share of its own order received."""
    return {b.iso3: produced / total - received[b.iso3] / b.ordered for b in buyers}


def split_lot(
    buyers: Sequence[Buyer], received: dict[str, int], quantity: int, produced_after: int
) -> dict[str, int]:
    """The units of one lot per buyer that minimise the largest relative shortfall after it."""
    total = sum(b.ordered for b in buyers)
    room = {b.iso3: b.ordered - received[b.iso3] for b in buyers}
    if sum(room.values()) < quantity:
        raise InputError("lots", f"a lot of {quantity} exceeds what the buyers still await")

    def model(hold: float | None) -> tuple[Milp, list[int]]:
        m = Milp(sense="min")
        x = [m.add_var(f"x[{b.iso3}]", upper=room[b.iso3]) for b in buyers]
        z = m.add_var("z", cost=1.0 if hold is None else 0.0, lower=-INF, integer=False)
        m.add_row(dict.fromkeys(x, 1.0), lower=quantity, upper=quantity)
        for b, xi in zip(buyers, x, strict=True):
            # z >= produced/total - (received + x) / ordered
            gap = produced_after / total - received[b.iso3] / b.ordered
            m.add_row({z: 1.0, xi: 1.0 / b.ordered}, lower=gap)
            if hold is not None:
                s = m.add_var(f"s[{b.iso3}]", cost=1.0, integer=False)
                m.add_row({s: 1.0, xi: 1.0 / b.ordered}, lower=gap)
        if hold is not None:
            m.add_row({z: 1.0}, upper=hold + HOLD)
        return m, x

    first, _ = model(None)
    best = solve_highs(first)
    if best.values is None or best.status is not SolveStatus.OPTIMAL:
        raise RuntimeError(f"lot allocation failed: {best.status}")
    second, x = model(best.objective)
    fair = solve_highs(second)
    if fair.values is None:
        raise RuntimeError(f"lot allocation failed: {fair.status}")
    return {b.iso3: round(fair.values[i]) for b, i in zip(buyers, x, strict=True)}


def allocate(contract: Contract) -> Allocation:
    """Every lot's allocation: delivered lots as they were, the rest planned by the rule."""
    contract.check()
    buyers = contract.buyers
    total = contract.ordered
    received = {b.iso3: 0 for b in buyers}
    donated = {b.iso3: 0 for b in buyers}
    produced = 0
    plans = []
    for lot in delivery_order(contract):
        produced += lot.quantity
        if lot.status is LotStatus.DELIVERED and lot.allocation:
            shares = tuple(Share(iso3, kept, gift) for iso3, kept, gift in lot.allocation)
        else:
            units = split_lot(buyers, received, lot.quantity, produced)
            parts = []
            for b in buyers:
                gift = min(units[b.iso3], b.donate - donated[b.iso3])
                parts.append(Share(b.iso3, units[b.iso3] - gift, gift))
            shares = tuple(parts)
        for s in shares:
            received[s.iso3] += s.units
            donated[s.iso3] += s.donated
        worst = max(shortfalls(buyers, received, produced, total).values())
        on = lot.delivered_on if lot.delivered_on else lot.expected
        plans.append(
            LotPlan(lot.id, on, lot.status is LotStatus.DELIVERED, shares, max(worst, 0.0))
        )
    return Allocation(contract.id, contract.unit_price, tuple(plans))
