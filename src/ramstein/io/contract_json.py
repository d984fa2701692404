"""The `ramstein.contract/1` document and the `ramstein.lot-allocation/1` answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from ramstein.domain.errors import InputError
from ramstein.domain.procurement import Buyer, Contract, Lot, LotStatus, PriceTier
from ramstein.domain.types import ISO3, Currency, Id, Text, join_id
from ramstein.io.errors import Strict, parse_document
from ramstein.plan.lots import Allocation

CONTRACT_FORMAT = "ramstein.contract/1"
ALLOCATION_FORMAT = "ramstein.lot-allocation/1"


Name = Annotated[str, StringConstraints(max_length=200)]


class TierDoc(Strict):
    min_quantity: Annotated[int, Field(ge=1)]
    unit_price: Annotated[float, Field(ge=0)]


class BuyerDoc(Strict):
    iso3: ISO3
    ordered: Annotated[int, Field(ge=1)]
    funding_share: Annotated[float, Field(gt=0, le=1)]
    donate: Annotated[int, Field(ge=0)] = 0


class LotDoc(Strict):
    id: Id
    quantity: Annotated[int, Field(ge=1)]
    expected: date


class ContractDoc(Strict):
    format: Literal["ramstein.contract/1"]
    id: Id
    agency: Name
    supplier: Name
    item: Id
    currency: Currency
    total_value: Annotated[float, Field(ge=0)]
    signed: date
    recipient: ISO3 = "UKR"
    source: Text = ""
    tiers: list[TierDoc] = []
    buyers: Annotated[list[BuyerDoc], Field(min_length=1)]
    lots: Annotated[list[LotDoc], Field(min_length=1)]


def parse_contract(text: str) -> Contract:
    """Validate a `ramstein.contract/1` document; raises InputError naming the field."""
    doc = parse_document(text, ContractDoc)
    for lot in doc.lots:
        try:  # the id its donated units will carry as offers and contributions
            join_id(doc.id, lot.id, "UKR")
        except InputError as exc:
            raise InputError(f"lots[{lot.id}].id", exc.message) from None
    contract = Contract(
        id=doc.id,
        agency=doc.agency,
        supplier=doc.supplier,
        item=doc.item,
        currency=doc.currency,
        total_value=doc.total_value,
        signed=doc.signed,
        buyers=tuple(Buyer(b.iso3, b.ordered, b.funding_share, b.donate) for b in doc.buyers),
        lots=tuple(Lot(x.id, x.quantity, x.expected, LotStatus.PLANNED) for x in doc.lots),
        tiers=tuple(PriceTier(t.min_quantity, t.unit_price) for t in doc.tiers),
        recipient=doc.recipient,
        source=doc.source,
    )
    contract.check()
    return contract


def contract_document(contract: Contract) -> dict[str, Any]:
    """A contract's terms and lots (with their status) as JSON."""
    return {
        "id": contract.id,
        "agency": contract.agency,
        "supplier": contract.supplier,
        "item": contract.item,
        "currency": contract.currency,
        "total_value": contract.total_value,
        "unit_price": contract.unit_price,
        "signed": contract.signed.isoformat(),
        "recipient": contract.recipient,
        "source": contract.source,
        "buyers": [
            {
                "iso3": b.iso3,
                "ordered": b.ordered,
                "funding_share": b.funding_share,
                "donate": b.donate,
            }
            for b in contract.buyers
        ],
        "lots": [
            {
                "id": x.id,
                "quantity": x.quantity,
                "expected": x.expected.isoformat(),
                "status": x.status.value,
                "delivered_on": x.delivered_on.isoformat() if x.delivered_on else None,
            }
            for x in contract.lots
        ],
    }


def allocation_document(allocation: Allocation) -> dict[str, Any]:
    """Every lot's units per buyer (kept and donated), in delivery order."""
    return {
        "format": ALLOCATION_FORMAT,
        "contract": allocation.contract,
        "unit_price": allocation.unit_price,
        "lots": [
            {
                "lot": p.lot,
                "on": p.on.isoformat(),
                "delivered": p.delivered,
                "max_shortfall": p.max_shortfall,
                "shares": [
                    {"iso3": s.iso3, "kept": s.kept, "donated": s.donated} for s in p.shares
                ],
            }
            for p in allocation.lots
        ],
    }
