"""Contracts in the store: terms, buyers, lots (allocations fixed on delivery) and events."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ramstein.domain.errors import InputError
from ramstein.domain.procurement import Buyer, Contract, Lot, LotStatus, PriceTier
from ramstein.store.models import (
    ContractBuyerRow,
    ContractEventRow,
    ContractLotRow,
    ContractRow,
    NationRow,
)
from ramstein.store.rows import from_row


def _to_domain(row: ContractRow) -> Contract:
    return from_row(
        Contract,
        row,
        buyers=tuple(Buyer(b.iso3, b.ordered, b.funding_share, b.donate) for b in row.buyers),
        lots=tuple(
            Lot(
                id=lot.lot,
                quantity=lot.quantity,
                expected=lot.expected,
                status=LotStatus(lot.status),
                delivered_on=lot.delivered_on,
                allocation=tuple((str(i), int(k), int(d)) for i, k, d in lot.allocation or ()),
            )
            for lot in row.lots
        ),
        tiers=tuple(PriceTier(int(q), float(p)) for q, p in row.tiers),
    )


def _row(session: Session, contract_id: str) -> ContractRow | None:
    return session.scalar(
        select(ContractRow)
        .where(ContractRow.id == contract_id)
        .options(selectinload(ContractRow.buyers), selectinload(ContractRow.lots))
    )


def get_contract(session: Session, contract_id: str) -> Contract:
    """A stored contract; an unknown id is an input error."""
    row = _row(session, contract_id)
    if row is None:
        raise InputError(f"contracts[{contract_id}]", "no such contract")
    return _to_domain(row)


def list_contracts(session: Session) -> list[Contract]:
    """Every stored contract, by id."""
    rows = session.scalars(
        select(ContractRow)
        .order_by(ContractRow.id)
        .options(selectinload(ContractRow.buyers), selectinload(ContractRow.lots))
    )
    return [_to_domain(r) for r in rows]


def record_event(
    session: Session, contract_id: str, kind: str, *, actor: str, lot: str = "", note: str = ""
) -> None:
    """Append a contract event."""
    session.add(
        ContractEventRow(
            contract_id=contract_id,
            at=datetime.now(UTC),
            actor=actor,
            kind=kind,
            lot=lot,
            note=note,
        )
    )


def events(session: Session, contract_id: str) -> list[tuple[datetime, str, str, str, str]]:
    """A contract's events, oldest first: (at, actor, kind, lot, note)."""
    rows = session.scalars(
        select(ContractEventRow)
        .where(ContractEventRow.contract_id == contract_id)
        .order_by(ContractEventRow.id)
    )
    return [(r.at, r.actor, r.kind, r.lot, r.note) for r in rows]


def save_contract(session: Session, contract: Contract, *, actor: str) -> bool:
    """Store a new contract (signed); the same terms again change nothing. Returns if new."""
    contract.check()
    for b in contract.buyers:
        if session.get(NationRow, b.iso3) is None:
            raise InputError(f"contracts[{contract.id}].buyers[{b.iso3}]", "unknown nation")
    existing = _row(session, contract.id)
    if existing is not None:
        if _to_domain(existing) == contract:
            return False
        raise InputError(
            f"contracts[{contract.id}]", "exists with other terms; record lots through events"
        )
    row = ContractRow(
        id=contract.id,
        agency=contract.agency,
        supplier=contract.supplier,
        item=contract.item,
        currency=contract.currency,
        total_value=contract.total_value,
        signed=contract.signed,
        recipient=contract.recipient,
        source=contract.source,
        tiers=[[t.min_quantity, t.unit_price] for t in contract.tiers],
    )
    row.buyers = [
        ContractBuyerRow(
            iso3=b.iso3, ordered=b.ordered, funding_share=b.funding_share, donate=b.donate
        )
        for b in contract.buyers
    ]
    row.lots = [
        ContractLotRow(
            lot=lot.id,
            quantity=lot.quantity,
            expected=lot.expected,
            status=lot.status.value,
            delivered_on=lot.delivered_on,
            allocation=[list(a) for a in lot.allocation] or None,
        )
        for lot in contract.lots
    ]
    session.add(row)
    session.flush()
    record_event(session, contract.id, "signed", actor=actor, note=contract.signed.isoformat())
    return True


def update_lot(
    session: Session,
    contract_id: str,
    lot: Lot,
) -> None:
    """Write a lot's status, dates and (once delivered) allocation."""
    row = session.scalar(
        select(ContractLotRow).where(
            ContractLotRow.contract_id == contract_id, ContractLotRow.lot == lot.id
        )
    )
    if row is None:
        raise InputError(f"contracts[{contract_id}].lots", f"no lot {lot.id!r}")
    row.expected = lot.expected
    row.status = lot.status.value
    row.delivered_on = lot.delivered_on
    row.allocation = [list(a) for a in lot.allocation] or None
