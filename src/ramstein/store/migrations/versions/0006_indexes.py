"""indexes for contribution lists"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0006"  # created 2026-11-23 06:09:11.879814
down_revision = "0005"


def upgrade() -> None:
    shapes.index("contributions", "date", "external_id")
    shapes.index("contributions", "donor", "date")


def downgrade() -> None:
    shapes.unindex("contributions", "donor", "date")
    shapes.unindex("contributions", "date", "external_id")
