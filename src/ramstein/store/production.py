"""Ukraine's production capacity in the store: per maker, item and month."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.production import Capacity
from ramstein.store.models import ProductionCapacityRow


def save_capacities(session: Session, capacities: list[Capacity]) -> int:
    """Create or update each capacity by its id; returns how many were new or changed."""
    changed = 0
    for c in capacities:
        row = session.get(ProductionCapacityRow, c.id) or ProductionCapacityRow(id=c.id)
        values = {
            "maker": c.maker,
            "item": c.item,
            "month": c.month,
            "units": c.units,
            "unit_price": c.unit_price,
            "currency": c.currency,
            "source": c.source,
        }
        if any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            session.add(row)
            changed += 1
    session.flush()
    return changed


def list_capacities(session: Session) -> list[Capacity]:
    """Every capacity, by month, maker and item."""
    rows = session.scalars(
        select(ProductionCapacityRow).order_by(
            ProductionCapacityRow.month, ProductionCapacityRow.maker, ProductionCapacityRow.item
        )
    )
    return [
        Capacity(r.maker, r.item, r.month, r.units, r.unit_price, r.currency, r.source)
        for r in rows
    ]
