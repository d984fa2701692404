"""indexes for contribution lists

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 06:09:11.879814
"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    shapes.index("contributions", "date", "external_id")
    shapes.index("contributions", "donor", "date")


def downgrade() -> None:
    shapes.unindex("contributions", "donor", "date")
    shapes.unindex("contributions", "date", "external_id")
