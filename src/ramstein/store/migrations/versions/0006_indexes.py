"""indexes for contribution lists

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 06:09:11.879814
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contributions_date_external_id", ["date", "external_id"], unique=False
        )
        batch_op.create_index("ix_contributions_donor_date", ["donor", "date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index("ix_contributions_donor_date")
        batch_op.drop_index("ix_contributions_date_external_id")
