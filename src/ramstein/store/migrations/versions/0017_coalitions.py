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

revision = "0017_coalitions"
down_revision = "0016_purl"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coalitions",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "coalition_leads",
        sa.Column("coalition", sa.String(length=200), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["coalition"], ["coalitions.id"]),
        sa.ForeignKeyConstraint(["nation"], ["nations.iso3"]),
        sa.PrimaryKeyConstraint("coalition", "nation"),
    )
    op.create_index("ix_coalition_leads_nation", "coalition_leads", ["nation"])
    op.create_table(
        "roadmap_targets",
        sa.Column("coalition", sa.String(length=200), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["coalition"], ["coalitions.id"]),
        sa.ForeignKeyConstraint(["item"], ["items.id"]),
        sa.PrimaryKeyConstraint("coalition", "item", "year"),
    )
    op.create_table(
        "title_transfers",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contribution_id"], ["contributions.id"]),
        sa.PrimaryKeyConstraint("contribution_id"),
    )
    op.create_table(
        "custody_serials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["consignment_events.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "serial"),
    )
    op.create_index("ix_custody_serials_event_id", "custody_serials", ["event_id"])
    op.create_index("ix_custody_serials_serial", "custody_serials", ["serial"])
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("sensitive", sa.Boolean(), nullable=False, server_default="0"))
    for table in ("requirements", "offers"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("coalition", sa.String(length=200), nullable=True))
            batch.create_foreign_key(f"fk_{table}_coalition", "coalitions", ["coalition"], ["id"])
            batch.create_index(f"ix_{table}_coalition", ["coalition"])


def downgrade() -> None:
    for table in ("offers", "requirements"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_coalition")
            batch.drop_constraint(f"fk_{table}_coalition", type_="foreignkey")
            batch.drop_column("coalition")
    if op.get_bind().dialect.name == "sqlite":
        # In place (SQLite 3.35+): a batch copy would drop `items`, which the foreign keys
        # of components, offers and requirements forbid while they hold rows.
        op.execute("ALTER TABLE items DROP COLUMN sensitive")
    else:
        op.drop_column("items", "sensitive")
    op.drop_index("ix_custody_serials_serial", table_name="custody_serials")
    op.drop_index("ix_custody_serials_event_id", table_name="custody_serials")
    op.drop_table("custody_serials")
    op.drop_table("title_transfers")
    op.drop_table("roadmap_targets")
    op.drop_index("ix_coalition_leads_nation", table_name="coalition_leads")
    op.drop_table("coalition_leads")
    op.drop_table("coalitions")
