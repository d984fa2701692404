"""credit, key options and snapshots

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 07:20:19.955558
"""

from __future__ import annotations

from alembic import op

from ramstein.store.migrations import shapes

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    shapes.create(
        "snapshots",
        shapes.integer("id"),
        shapes.integer("year"),
        shapes.string("label", 10),
        shapes.day("cutoff"),
        *shapes.stamp("taken_at"),
        shapes.number("baseline_eur"),
        shapes.number("uncovered_eur"),
        shapes.unique("year", "label"),
    )
    shapes.create(
        "snapshot_credits",
        shapes.integer("id"),
        shapes.integer("snapshot_id"),
        shapes.string("contribution"),
        shapes.iso("iso3"),
        shapes.number("eur"),
        shapes.refers("snapshot_id", "snapshots.id"),
    )
    shapes.index("snapshot_credits", "snapshot_id")
    shapes.create(
        "snapshot_lines",
        shapes.integer("id"),
        shapes.integer("snapshot_id"),
        shapes.iso("iso3"),
        shapes.flag("participating"),
        shapes.number("key_share"),
        shapes.number("fair_share_eur"),
        shapes.number("counted_eur"),
        shapes.number("gap_eur"),
        shapes.number("counted_pct_of_gdp"),
        shapes.refers("snapshot_id", "snapshots.id"),
    )
    shapes.index("snapshot_lines", "snapshot_id")
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(shapes.document("funders", nullable=True))
        batch_op.add_column(shapes.string("parent", nullable=True))
        batch_op.create_index(batch_op.f("ix_contributions_parent"), ["parent"], unique=False)

    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.add_column(shapes.document("key_options", nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.drop_column("key_options")

    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contributions_parent"))
        batch_op.drop_column("parent")
        batch_op.drop_column("funders")

    shapes.unindex("snapshot_lines", "snapshot_id")
    shapes.drop("snapshot_lines")
    shapes.unindex("snapshot_credits", "snapshot_id")
    shapes.drop("snapshot_credits", "snapshots")
