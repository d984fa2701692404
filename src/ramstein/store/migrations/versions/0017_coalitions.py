"""coalitions: capability coalitions with leads and roadmap targets, offers and requirements
tagged with a coalition, title transfers of delivered contributions, sensitive items and the
serial numbers checked at each tracking event

Revision ID: 0017_coalitions
Revises: 0016_purl
Create Date: 2026-11-30 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ramstein.store.migrations import shapes

revision = "0017_coalitions"
down_revision = "0016_purl"


def upgrade() -> None:
    shapes.create("coalitions", shapes.string("id"), shapes.string("name"), shapes.text("note"))
    shapes.create(
        "coalition_leads",
        shapes.string("coalition"),
        shapes.iso("nation"),
        shapes.integer("position"),
        shapes.refers("coalition", "coalitions.id"),
        shapes.refers("nation", "nations.iso3"),
        key=("coalition", "nation"),
    )
    shapes.index("coalition_leads", "nation")
    shapes.create(
        "roadmap_targets",
        shapes.string("coalition"),
        shapes.string("item"),
        shapes.integer("year"),
        shapes.integer("quantity"),
        shapes.flag("illustrative"),
        shapes.text("source"),
        shapes.refers("coalition", "coalitions.id"),
        shapes.refers("item", "items.id"),
        key=("coalition", "item", "year"),
    )
    shapes.create(
        "title_transfers",
        shapes.integer("contribution_id"),
        shapes.day("on"),
        shapes.string("place"),
        shapes.string("actor"),
        shapes.moment("at"),
        shapes.refers("contribution_id", "contributions.id"),
        key=("contribution_id",),
    )
    shapes.create(
        "custody_serials",
        shapes.integer("id"),
        shapes.integer("event_id"),
        shapes.string("serial"),
        shapes.refers("event_id", "consignment_events.id"),
        shapes.unique("event_id", "serial"),
    )
    shapes.index("custody_serials", "event_id")
    shapes.index("custody_serials", "serial")
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("sensitive", sa.Boolean(), nullable=False, server_default="0"))
    for table in ("requirements", "offers"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(shapes.string("coalition", nullable=True))
            batch.create_foreign_key(f"fk_{table}_coalition", "coalitions", ["coalition"], ["id"])
            batch.create_index(shapes.index_name(table, "coalition"), ["coalition"])


def downgrade() -> None:
    for table in ("offers", "requirements"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(shapes.index_name(table, "coalition"))
            batch.drop_constraint(f"fk_{table}_coalition", type_="foreignkey")
            batch.drop_column("coalition")
    if op.get_bind().dialect.name == "sqlite":
        # In place (SQLite 3.35+): a batch copy would drop `items`, which the foreign keys
        # of components, offers and requirements forbid while they hold rows.
        op.execute("ALTER TABLE items DROP COLUMN sensitive")
    else:
        op.drop_column("items", "sensitive")
    shapes.unindex("custody_serials", "serial")
    shapes.unindex("custody_serials", "event_id")
    shapes.drop("custody_serials", "title_transfers", "roadmap_targets")
    shapes.unindex("coalition_leads", "nation")
    shapes.drop("coalition_leads", "coalitions")
