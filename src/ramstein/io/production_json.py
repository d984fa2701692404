"""The `ramstein.production/1` document: Ukraine's production capacity per item and month."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ramstein.domain.production import Capacity, check_all
from ramstein.domain.types import Amount, Currency, Id, Text
from ramstein.io.errors import Strict, parse_document

FORMAT = "ramstein.production/1"
Month = Annotated[str, StringConstraints(pattern=r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$")]


class CapacityDoc(Strict):
    maker: Id
    item: Id
    month: Month
    units: Annotated[int, Field(ge=1)]
    unit_price: Amount
    currency: Currency = "EUR"
    source: Text = ""


class ProductionDoc(Strict):
    format: Literal["ramstein.production/1"]
    capacities: list[CapacityDoc]


def parse_production(text: str) -> list[Capacity]:
    """Validate a `ramstein.production/1` document; raises InputError naming the field."""
    doc = parse_document(text, ProductionDoc)
    capacities = [
        Capacity(
            maker=c.maker,
            item=c.item,
            month=date.fromisoformat(f"{c.month}-01"),
            units=c.units,
            unit_price=c.unit_price,
            currency=c.currency,
            source=c.source,
        )
        for c in doc.capacities
    ]
    check_all(capacities)
    return capacities
