"""Joint procurement: multinational contracts, their buyers, price tiers and production lots."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from ramstein.domain.errors import InputError


class LotStatus(StrEnum):
    """Where a production lot stands."""

    PLANNED = "planned"
    COMPLETED = "completed"  # built, not yet handed over
    DELIVERED = "delivered"


@dataclass(frozen=True)
class PriceTier:
    """The unit price when the contract's total quantity is at least `min_quantity`."""

    min_quantity: int
    unit_price: float


@dataclass(frozen=True)
class Buyer:
    """A participating nation: what it ordered, its funding share, and what it donates.

    `donate` units of its order go straight to the recipient instead of its own stocks.
    """

    iso3: str
    ordered: int
    funding_share: float
    donate: int = 0


@dataclass(frozen=True)
class Lot:
    """A production lot: quantity, expected completion, and (once delivered) its allocation."""

    id: str
    quantity: int
    expected: date
    status: LotStatus = LotStatus.PLANNED
    delivered_on: date | None = None
    # Fixed once delivered: buyer -> (units kept, units donated).
    allocation: tuple[tuple[str, int, int], ...] = ()

    def overdue(self, today: date) -> bool:
        """Whether the lot was expected before `today` and is still only planned."""
        return self.status is LotStatus.PLANNED and self.expected < today


@dataclass(frozen=True)
class Contract:
    """A multinational contract signed by an agency with a supplier for one item."""

    id: str
    agency: str
    supplier: str
    item: str
    currency: str
    total_value: float
    signed: date
    buyers: tuple[Buyer, ...]
    lots: tuple[Lot, ...]
    tiers: tuple[PriceTier, ...] = ()
    recipient: str = "UKR"
    source: str = ""

    @property
    def ordered(self) -> int:
        """Units ordered by all buyers together."""
        return sum(b.ordered for b in self.buyers)

    @property
    def unit_price(self) -> float:
        """The price per unit actually paid: the tier of the whole order, else value / units."""
        fitting = [t for t in self.tiers if t.min_quantity <= self.ordered]
        if fitting:
            return max(fitting, key=lambda t: t.min_quantity).unit_price
        return self.total_value / self.ordered if self.ordered else 0.0

    def lot(self, lot_id: str) -> Lot:
        """One lot by id; an unknown id is an input error."""
        for lot in self.lots:
            if lot.id == lot_id:
                return lot
        raise InputError(f"contracts[{self.id}].lots", f"no lot {lot_id!r}")

    def with_lot(self, lot: Lot) -> Contract:
        """A copy with `lot` replacing the lot of the same id."""
        return replace(self, lots=tuple(lot if x.id == lot.id else x for x in self.lots))

    def check(self) -> None:
        """Buyers, shares, lots and tiers are consistent; raises InputError naming the field."""
        field = f"contracts[{self.id}]"
        if not self.buyers:
            raise InputError(f"{field}.buyers", "a contract needs at least one buyer")
        seen: set[str] = set()
        for b in self.buyers:
            if b.iso3 in seen:
                raise InputError(f"{field}.buyers[{b.iso3}]", "named twice")
            seen.add(b.iso3)
            if b.ordered <= 0:
                raise InputError(f"{field}.buyers[{b.iso3}].ordered", "must be positive")
            if not 0 <= b.donate <= b.ordered:
                raise InputError(
                    f"{field}.buyers[{b.iso3}].donate", f"must lie in 0..{b.ordered} (its order)"
                )
            if not 0 < b.funding_share <= 1:
                raise InputError(f"{field}.buyers[{b.iso3}].funding_share", "must lie in (0, 1]")
        total_share = sum(b.funding_share for b in self.buyers)
        if abs(total_share - 1) > 1e-9:
            raise InputError(f"{field}.buyers", f"funding shares add up to {total_share:g}, not 1")
        lot_ids: set[str] = set()
        for lot in self.lots:
            if lot.id in lot_ids:
                raise InputError(f"{field}.lots[{lot.id}]", "named twice")
            lot_ids.add(lot.id)
            if lot.quantity <= 0:
                raise InputError(f"{field}.lots[{lot.id}].quantity", "must be positive")
        produced = sum(lot.quantity for lot in self.lots)
        if produced != self.ordered:
            raise InputError(
                f"{field}.lots",
                f"lots add up to {produced} units, the buyers ordered {self.ordered}",
            )
        if self.total_value < 0:
            raise InputError(f"{field}.total_value", "must not be negative")


def lot_state(status: LotStatus | str, expected: date, today: date) -> str:
    """A lot's state in words: delivered, completed, planned, or "overdue" (planned and
    expected before `today`)."""
    if LotStatus(status) is LotStatus.PLANNED and expected < today:
        return "overdue"
    return LotStatus(status).value
