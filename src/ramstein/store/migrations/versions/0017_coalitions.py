"""coalitions: capability coalitions with leads and roadmap targets, offers and requirements
tagged with a coalition, title transfers of delivered contributions, sensitive items and the
serial numbers checked at each tracking event
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ramstein.store.migrations import shapes

revision = "0017_coalitions"  # created 2026-11-30 12:30:00
down_revision = "0016_purl"


def upgrade() -> None:
    shapes.create("coalitions", "id str200, name str200, note text")
    shapes.create(
        "coalition_leads",
        "coalition str200, nation str3, position int",
        refers={"coalition": "coalitions.id", "nation": "nations.iso3"},
        key=("coalition", "nation"),
    )
    shapes.index("coalition_leads", "nation")
    shapes.create(
        "roadmap_targets",
        "coalition str200, item str200, year int, quantity int, illustrative bool, source text",
        refers={"coalition": "coalitions.id", "item": "items.id"},
        key=("coalition", "item", "year"),
    )
    shapes.create(
        "title_transfers",
        "contribution_id int, on date, place str200, actor str200, at datetime",
        refers={"contribution_id": "contributions.id"},
        key=("contribution_id",),
    )
    shapes.create(
        "custody_serials",
        "id int, event_id int, serial str200",
        refers={"event_id": "consignment_events.id"},
        unique=("event_id", "serial"),
    )
    shapes.index("custody_serials", "event_id")
    shapes.index("custody_serials", "serial")
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("sensitive", sa.Boolean(), nullable=False, server_default="0"))
    for table in ("requirements", "offers"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(shapes.column("coalition str200?"))
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
