"""The `ramstein.purl/1` document: PURL packages with their content, payers and stage."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from ramstein.domain.contributions import Visibility
from ramstein.domain.errors import InputError, check_unique
from ramstein.domain.purl import (
    APPROVER,
    Package,
    PackageItem,
    PackageStatus,
    Payer,
    delivery_id,
)
from ramstein.domain.types import ISO3, Amount, Id, Share, Text
from ramstein.io.errors import Strict, parse_document

FORMAT = "ramstein.purl/1"
Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ItemDoc(Strict):
    item: Id
    quantity: Annotated[int, Field(ge=1)]
    pallets: Annotated[int, Field(ge=0)] = 0


class PayerDoc(Strict):
    """A payer with its amount in USD, or its share of the package's value (one of the two)."""

    iso3: ISO3
    amount_usd: Annotated[Amount, Field(gt=0)] | None = None
    share: Share | None = None
    paid_on: date | None = None


class PackageDoc(Strict):
    id: Id
    title: Title
    value_usd: Annotated[Amount, Field(gt=0)]
    proposed_on: date
    requirements: list[Id] = []
    items: Annotated[list[ItemDoc], Field(min_length=1)]
    payers: Annotated[list[PayerDoc], Field(min_length=1)]
    status: PackageStatus = PackageStatus.PROPOSED
    approved_on: date | None = None
    approved_by: Literal["SACEUR", ""] = ""
    delivering_from: date | None = None
    delivered_on: date | None = None
    visibility: Visibility = Visibility.PUBLIC
    recipient: ISO3 = "UKR"
    destination: Id | None = None
    source: Text = ""
    illustrative: bool = False


class PurlDoc(Strict):
    format: Literal["ramstein.purl/1"]
    packages: list[PackageDoc]


def _payer(doc: PackageDoc, p: PayerDoc) -> Payer:
    field = f"packages[{doc.id}].payers[{p.iso3}]"
    if (p.amount_usd is None) == (p.share is None):
        raise InputError(field, "give amount_usd or share, one of the two")
    amount = p.amount_usd if p.amount_usd is not None else round(doc.value_usd * (p.share or 0), 2)
    return Payer(p.iso3, amount, p.paid_on)


def _package(doc: PackageDoc) -> Package:
    payers = tuple(_payer(doc, p) for p in doc.payers)
    for p in payers:
        delivery_id(doc.id, p.iso3)  # the longest id the package derives must be an id
    approved = doc.status is not PackageStatus.PROPOSED
    package = Package(
        id=doc.id,
        title=doc.title,
        value_usd=doc.value_usd,
        items=tuple(PackageItem(i.item, i.quantity, i.pallets) for i in doc.items),
        payers=payers,
        proposed_on=doc.proposed_on,
        requirements=tuple(doc.requirements),
        status=doc.status,
        approved_on=doc.approved_on,
        approved_by=doc.approved_by or (APPROVER if approved else ""),
        delivering_from=doc.delivering_from,
        delivered_on=doc.delivered_on,
        visibility=doc.visibility,
        recipient=doc.recipient,
        source=doc.source,
        illustrative=doc.illustrative,
        destination=doc.destination or "",
    )
    package.check()
    return package


def parse_purl(text: str) -> list[Package]:
    """Validate a `ramstein.purl/1` document; raises InputError naming the field and id."""
    doc = parse_document(text, PurlDoc)
    check_unique((p.id for p in doc.packages), "packages", "duplicate id", suffix=".id")
    return [_package(p) for p in doc.packages]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def package_document(package: Package) -> dict[str, Any]:
    """A package as JSON: terms, stage, dates, payers with shares and payments."""
    return {
        "id": package.id,
        "title": package.title,
        "status": package.status.value,
        "value_usd": package.value_usd,
        "paid_usd": package.paid_usd,
        "proposed_on": package.proposed_on.isoformat(),
        "approved_on": _day(package.approved_on),
        "approved_by": package.approved_by,
        "funded_on": _day(package.funded_on),
        "delivering_from": _day(package.delivering_from),
        "delivered_on": _day(package.delivered_on),
        "requirements": list(package.requirements),
        "items": [
            {"item": i.item, "quantity": i.quantity, "pallets": i.pallets} for i in package.items
        ],
        "destination": package.destination,
        "payers": [
            {
                "iso3": p.iso3,
                "amount_usd": p.amount_usd,
                "share": package.share(p.iso3),
                "paid_on": _day(p.paid_on),
            }
            for p in package.payers
        ],
        "visibility": package.visibility.value,
        "recipient": package.recipient,
        "source": package.source,
        "illustrative": package.illustrative,
        "counted_by": package.counted_by,
    }
