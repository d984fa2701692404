"""audit leaves (every row of a bulk import) and signed checkpoints of the chain's head"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0015"  # created 2026-11-30 09:25:00
down_revision = "0014"


def upgrade() -> None:
    shapes.create(
        "audit_leaves",
        "audit_id int, position int, entity str60, entity_id str200, digest str64",
        refers={"audit_id": "audit_records.id"},
        key=("audit_id", "position"),
    )
    shapes.create(
        "audit_checkpoints",
        "id int, at datetime, record_id int, hash str64, public_key str64, signature str128",
    )


def downgrade() -> None:
    shapes.drop("audit_checkpoints", "audit_leaves")
