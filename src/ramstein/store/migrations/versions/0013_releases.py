"""releases: published rounded totals that include confidential rows, never changed"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0013"  # created 2026-11-30 08:30:00
down_revision = "0012"


def upgrade() -> None:
    shapes.create(
        "releases",
        "id int, year int, published_on date, published_at datetime, actor str200,"
        " unit_eur float, cells json, basis json",
    )
    shapes.index("releases", "year")


def downgrade() -> None:
    shapes.unindex("releases", "year")
    shapes.drop("releases")
