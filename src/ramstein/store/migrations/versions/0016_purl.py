"""purl: PURL packages (items, payers, events), Ukraine's production capacity, and each
consignment's channel
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ramstein.store.migrations import shapes

revision = "0016_purl"  # created 2026-11-30 12:00:00
down_revision = "0015"


def upgrade() -> None:
    shapes.create(
        "purl_packages",
        "id str200, title str200, value_usd float, status str20, proposed_on date,"
        " approved_on date?, approved_by str20, delivering_from date?, delivered_on date?,"
        " visibility str20, recipient str3, source text, illustrative bool, counted_by text,"
        " destination str200, requirements json",
    )
    shapes.create(
        "purl_items",
        "id int, package_id str200, item str200, quantity int, pallets int",
        refers={"package_id": "purl_packages.id"},
        unique=("package_id", "item"),
    )
    shapes.create(
        "purl_payers",
        "id int, package_id str200, iso3 str3, amount_usd float, paid_on date?",
        refers={"package_id": "purl_packages.id", "iso3": "nations.iso3"},
        unique=("package_id", "iso3"),
    )
    shapes.create(
        "purl_events",
        "id int, package_id str200, at datetime, actor str200, kind str20, note text",
        refers={"package_id": "purl_packages.id"},
    )
    shapes.index("purl_events", "package_id")
    shapes.create(
        "production_capacities",
        "id str200, maker str200, item str200, month date, units int, unit_price float,"
        " currency str3, source text",
        refers={"item": "items.id"},
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
