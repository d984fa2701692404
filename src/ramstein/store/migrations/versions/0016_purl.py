"""purl: PURL packages (items, payers, events), Ukraine's production capacity, and each
consignment's channel

Revision ID: 0016_purl
Revises: 0015
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ramstein.store.migrations import shapes

revision = "0016_purl"
down_revision = "0015"


def upgrade() -> None:
    shapes.create(
        "purl_packages",
        shapes.string("id"),
        shapes.string("title"),
        shapes.number("value_usd"),
        shapes.word("status"),
        shapes.day("proposed_on"),
        shapes.day("approved_on", nullable=True),
        shapes.word("approved_by"),
        shapes.day("delivering_from", nullable=True),
        shapes.day("delivered_on", nullable=True),
        shapes.word("visibility"),
        shapes.iso("recipient"),
        shapes.text("source"),
        shapes.flag("illustrative"),
        shapes.text("counted_by"),
        shapes.string("destination"),
        shapes.document("requirements"),
    )
    shapes.create(
        "purl_items",
        shapes.integer("id"),
        shapes.string("package_id"),
        shapes.string("item"),
        shapes.integer("quantity"),
        shapes.integer("pallets"),
        shapes.refers("package_id", "purl_packages.id"),
        shapes.unique("package_id", "item"),
    )
    shapes.create(
        "purl_payers",
        shapes.integer("id"),
        shapes.string("package_id"),
        shapes.iso("iso3"),
        shapes.number("amount_usd"),
        shapes.day("paid_on", nullable=True),
        shapes.refers("package_id", "purl_packages.id"),
        shapes.refers("iso3", "nations.iso3"),
        shapes.unique("package_id", "iso3"),
    )
    shapes.create(
        "purl_events",
        shapes.integer("id"),
        shapes.string("package_id"),
        *shapes.stamp(),
        shapes.word("kind"),
        shapes.text("note"),
        shapes.refers("package_id", "purl_packages.id"),
    )
    shapes.index("purl_events", "package_id")
    shapes.create(
        "production_capacities",
        shapes.string("id"),
        shapes.string("maker"),
        shapes.string("item"),
        shapes.day("month"),
        shapes.integer("units"),
        shapes.number("unit_price"),
        shapes.iso("currency"),
        shapes.text("source"),
        shapes.refers("item", "items.id"),
    )
    with op.batch_alter_table("consignments") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(length=20), server_default="bilateral", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("consignments") as batch:
        batch.drop_column("channel")
    shapes.drop("production_capacities")
    shapes.unindex("purl_events", "package_id")
    shapes.drop("purl_events", "purl_payers", "purl_items", "purl_packages")
