"""fx days: daily euro reference rates imported beside the ECB history the package ships"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0011"  # created 2026-11-30 08:40:00
down_revision = "0010"


def upgrade() -> None:
    shapes.create(
        "fx_days", "currency str3, day date, rate float, origin str200", key=("currency", "day")
    )


def downgrade() -> None:
    shapes.drop("fx_days")
