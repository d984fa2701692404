"""contracts

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 07:53:08.431491
"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    shapes.create(
        "contracts",
        shapes.string("id"),
        shapes.string("agency"),
        shapes.string("supplier"),
        shapes.string("item"),
        shapes.iso("currency"),
        shapes.number("total_value"),
        shapes.day("signed"),
        shapes.iso("recipient"),
        shapes.text("source"),
        shapes.document("tiers"),
    )
    shapes.create(
        "contract_buyers",
        shapes.integer("id"),
        shapes.string("contract_id"),
        shapes.iso("iso3"),
        shapes.integer("ordered"),
        shapes.number("funding_share"),
        shapes.integer("donate"),
        shapes.refers("contract_id", "contracts.id"),
        shapes.refers("iso3", "nations.iso3"),
        shapes.unique("contract_id", "iso3"),
    )
    shapes.create(
        "contract_events",
        shapes.integer("id"),
        shapes.string("contract_id"),
        *shapes.stamp(),
        shapes.word("kind"),
        shapes.string("lot"),
        shapes.text("note"),
        shapes.refers("contract_id", "contracts.id"),
    )
    shapes.index("contract_events", "contract_id")
    shapes.create(
        "contract_lots",
        shapes.integer("id"),
        shapes.string("contract_id"),
        shapes.string("lot"),
        shapes.integer("quantity"),
        shapes.day("expected"),
        shapes.word("status"),
        shapes.day("delivered_on", nullable=True),
        shapes.document("allocation", nullable=True),
        shapes.refers("contract_id", "contracts.id"),
        shapes.unique("contract_id", "lot"),
    )


def downgrade() -> None:
    shapes.drop("contract_lots")
    shapes.unindex("contract_events", "contract_id")
    shapes.drop("contract_events", "contract_buyers", "contracts")
