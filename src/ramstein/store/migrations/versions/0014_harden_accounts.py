"""accounts can be disabled: a disabled account neither signs in nor uses its tokens"""

from __future__ import annotations

from alembic import op

from ramstein.store.migrations import shapes

revision = "0014"  # created 2026-11-30 08:45:00
down_revision = "0013"


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.add_column(shapes.column("disabled_at datetime?"))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_column("disabled_at")
