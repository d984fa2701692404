"""Joint procurement over the store: allocations published as offers, lots delivered, delays."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from ramstein.domain.contributions import Category, Channel, Contribution, Status, Visibility
from ramstein.domain.errors import InputError
from ramstein.domain.items import Offer
from ramstein.domain.procurement import Contract, Lot, LotStatus
from ramstein.domain.types import ID_SEPARATOR, join_id
from ramstein.plan.lots import Allocation, allocate
from ramstein.store import catalog
from ramstein.store import procurement as store
from ramstein.store import repositories as repo


def flow_id(contract: Contract, lot: str, iso3: str) -> str:
    """The id of a buyer's donated units of one lot, as an offer and as a contribution."""
    return join_id(contract.id, lot, iso3)


def publish(session: Session, contract: Contract, allocation: Allocation) -> list[Offer]:
    """Donated units become offers to the match planner (stale ones from older plans go)."""
    offers = [
        Offer(
            id=flow_id(contract, plan.lot, share.iso3),
            donor=share.iso3,
            item=contract.item,
            quantity=share.donated,
            available_from=plan.on,
            visibility=Visibility.PUBLIC,
            note=f"donated units of {contract.agency} contract {contract.id}, lot {plan.lot}",
        )
        for plan in allocation.lots
        for share in plan.shares
        if share.donated
    ]
    if offers:
        catalog.ensure_item(session, contract.item, contract.item)
    for offer in offers:
        catalog.upsert_offer(session, offer)
    catalog.remove_offers(session, contract.id + ID_SEPARATOR, keep={o.id for o in offers})
    return offers


def add_contract(session: Session, contract: Contract, *, actor: str) -> bool:
    """Store a signed contract and publish its donated units as offers."""
    new = store.save_contract(session, contract, actor=actor)
    publish(session, contract, allocate(contract))
    return new


def allocation_of(session: Session, contract_id: str) -> tuple[Contract, Allocation]:
    """A contract and its current allocation (re-planned for every lot not yet delivered)."""
    contract = store.get_contract(session, contract_id)
    return contract, allocate(contract)


def _pending(contract: Contract, lot_id: str) -> Lot:
    lot = contract.lot(lot_id)
    if lot.status is LotStatus.DELIVERED:
        raise InputError(f"contracts[{contract.id}].lots[{lot_id}]", "is already delivered")
    return lot


def deliver_lot(
    session: Session, contract_id: str, lot_id: str, on: date, *, actor: str
) -> Allocation:
    """Fix a lot's allocation as delivered; donated units count in their buyer's ledger."""
    contract = store.get_contract(session, contract_id)
    lot = _pending(contract, lot_id)
    if on < contract.signed:
        raise InputError("on", f"is before the contract was signed ({contract.signed})")
    # Planned in its place among the delivered lots, then fixed.
    arriving = replace(lot, status=LotStatus.DELIVERED, delivered_on=on, allocation=())
    plan = next(p for p in allocate(contract.with_lot(arriving)).lots if p.lot == lot_id)
    fixed = replace(arriving, allocation=tuple((s.iso3, s.kept, s.donated) for s in plan.shares))
    store.update_lot(session, contract.id, fixed)
    store.record_event(session, contract.id, "lot delivered", actor=actor, lot=lot_id, note=str(on))
    contract = contract.with_lot(fixed)
    for share in plan.shares:
        if share.donated:
            repo.upsert_contribution(
                session,
                Contribution(
                    id=flow_id(contract, lot_id, share.iso3),
                    donor=share.iso3,
                    amount=share.donated * contract.unit_price,
                    currency=contract.currency,
                    date=on,
                    category=Category.EQUIPMENT,
                    status=Status.DELIVERED,
                    visibility=Visibility.PUBLIC,
                    channel=Channel.MULTILATERAL,
                    recipient=contract.recipient,
                    source=contract.source or f"{contract.agency} contract {contract.id}",
                    description=f"{share.donated} x {contract.item}, lot {lot_id} of "
                    f"{contract.id}, at {contract.unit_price:,.2f} {contract.currency} each",
                ),
                actor=actor,
                reason=f"lot {lot_id} delivered",
            )
    allocation = allocate(contract)
    publish(session, contract, allocation)
    return allocation


def complete_lot(session: Session, contract_id: str, lot_id: str, *, actor: str) -> None:
    """Record that a lot has been built (it is allocated when delivered)."""
    contract = store.get_contract(session, contract_id)
    lot = _pending(contract, lot_id)
    store.update_lot(session, contract.id, replace(lot, status=LotStatus.COMPLETED))
    store.record_event(session, contract.id, "lot completed", actor=actor, lot=lot_id)


def delay_lot(
    session: Session, contract_id: str, lot_id: str, to: date, *, actor: str
) -> Allocation:
    """Move a lot's expected completion; the lots after it are re-planned."""
    contract = store.get_contract(session, contract_id)
    lot = _pending(contract, lot_id)
    if to <= lot.expected:
        raise InputError("to", f"a delay moves the lot later than {lot.expected}")
    moved = replace(lot, expected=to)
    store.update_lot(session, contract.id, moved)
    store.record_event(
        session, contract.id, "lot delayed", actor=actor, lot=lot_id, note=f"{lot.expected} -> {to}"
    )
    allocation = allocate(contract.with_lot(moved))
    publish(session, contract.with_lot(moved), allocation)
    return allocation
