"""credit, key options and snapshots

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 07:20:19.955558
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=10), nullable=False),
        sa.Column("cutoff", sa.Date(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("baseline_eur", sa.Float(), nullable=False),
        sa.Column("uncovered_eur", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "label"),
    )
    op.create_table(
        "snapshot_credits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("contribution", sa.String(length=200), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("eur", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("snapshot_credits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_snapshot_credits_snapshot_id"), ["snapshot_id"], unique=False
        )

    op.create_table(
        "snapshot_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("participating", sa.Boolean(), nullable=False),
        sa.Column("key_share", sa.Float(), nullable=False),
        sa.Column("fair_share_eur", sa.Float(), nullable=False),
        sa.Column("counted_eur", sa.Float(), nullable=False),
        sa.Column("gap_eur", sa.Float(), nullable=False),
        sa.Column("counted_pct_of_gdp", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("snapshot_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_snapshot_lines_snapshot_id"), ["snapshot_id"], unique=False
        )

    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("funders", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("parent", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_contributions_parent"), ["parent"], unique=False)

    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_options", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.drop_column("key_options")

    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contributions_parent"))
        batch_op.drop_column("parent")
        batch_op.drop_column("funders")

    with op.batch_alter_table("snapshot_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_snapshot_lines_snapshot_id"))

    op.drop_table("snapshot_lines")
    with op.batch_alter_table("snapshot_credits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_snapshot_credits_snapshot_id"))

    op.drop_table("snapshot_credits")
    op.drop_table("snapshots")
