"""credit, key options and snapshots"""

from __future__ import annotations

from alembic import op

from ramstein.store.migrations import shapes

revision = "0007"  # created 2026-11-23 07:20:19.955558
down_revision = "0006"


def upgrade() -> None:
    shapes.create(
        "snapshots",
        "id int, year int, label str10, cutoff date, taken_at datetime, actor str200,"
        " baseline_eur float, uncovered_eur float",
        unique=("year", "label"),
    )
    shapes.create(
        "snapshot_credits",
        "id int, snapshot_id int, contribution str200, iso3 str3, eur float",
        refers={"snapshot_id": "snapshots.id"},
    )
    shapes.index("snapshot_credits", "snapshot_id")
    shapes.create(
        "snapshot_lines",
        "id int, snapshot_id int, iso3 str3, participating bool, key_share float,"
        " fair_share_eur float, counted_eur float, gap_eur float, counted_pct_of_gdp float",
        refers={"snapshot_id": "snapshots.id"},
    )
    shapes.index("snapshot_lines", "snapshot_id")
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(shapes.column("funders json?"))
        batch_op.add_column(shapes.column("parent str200?"))
        batch_op.create_index(batch_op.f("ix_contributions_parent"), ["parent"], unique=False)

    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.add_column(shapes.column("key_options json?"))


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
