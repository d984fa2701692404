"""audit leaves (every row of a bulk import) and signed checkpoints of the chain's head

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 09:25:00
"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    shapes.create(
        "audit_leaves",
        shapes.integer("audit_id"),
        shapes.integer("position"),
        shapes.string("entity", 60),
        shapes.string("entity_id"),
        shapes.digest("digest"),
        shapes.refers("audit_id", "audit_records.id"),
        key=("audit_id", "position"),
    )
    shapes.create(
        "audit_checkpoints",
        shapes.integer("id"),
        shapes.moment("at"),
        shapes.integer("record_id"),
        shapes.digest("hash"),
        shapes.digest("public_key"),
        shapes.string("signature", 128),
    )


def downgrade() -> None:
    shapes.drop("audit_checkpoints", "audit_leaves")
