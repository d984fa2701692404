"""purl: PURL packages (items, payers, events), Ukraine's production capacity, and each
consignment's channel

Revision ID: 0016_purl
Revises: 0015
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_purl"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purl_packages",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("value_usd", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_by", sa.String(length=20), nullable=False),
        sa.Column("delivering_from", sa.Date(), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=3), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("counted_by", sa.Text(), nullable=False),
        sa.Column("destination", sa.String(length=200), nullable=False),
        sa.Column("requirements", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "purl_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.String(length=200), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("pallets", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["package_id"], ["purl_packages.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("package_id", "item"),
    )
    op.create_table(
        "purl_payers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.String(length=200), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("amount_usd", sa.Float(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["package_id"], ["purl_packages.id"]),
        sa.ForeignKeyConstraint(["iso3"], ["nations.iso3"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("package_id", "iso3"),
    )
    op.create_table(
        "purl_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["package_id"], ["purl_packages.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_purl_events_package_id"), "purl_events", ["package_id"], unique=False)
    op.create_table(
        "production_capacities",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("maker", sa.String(length=200), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["item"], ["items.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consignments") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(length=20), server_default="bilateral", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("consignments") as batch:
        batch.drop_column("channel")
    op.drop_table("production_capacities")
    op.drop_index(op.f("ix_purl_events_package_id"), table_name="purl_events")
    op.drop_table("purl_events")
    op.drop_table("purl_payers")
    op.drop_table("purl_items")
    op.drop_table("purl_packages")
