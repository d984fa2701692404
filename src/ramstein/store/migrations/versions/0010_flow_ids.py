"""flow ids: ids with '/' (joint procurement's donated units) rewritten with ':'

Ids are one URL path segment and one spreadsheet cell (`domain.types`): joint procurement
used to name a buyer's donated units `CONTRACT/LOT/ISO3`, which no import reads back and no
page can address. Those ids, and the references to them, now read `CONTRACT:LOT:ISO3`.
"""

from __future__ import annotations

from alembic import op

revision = "0010"  # created 2026-11-30 09:00:00
down_revision = "0009"

# Each column that holds such an id: the contribution's own, the flow it passes on, the
# offer of the same units, and the consignment that carries them.
COLUMNS = (
    ("contributions", "external_id"),
    ("contributions", "parent"),
    ("offers", "id"),
    ("consignments", "fulfils"),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        op.execute(
            f"UPDATE {table} SET {column} = REPLACE({column}, '/', ':') WHERE {column} LIKE '%/%'"
        )


def downgrade() -> None:
    # The old ids were unreadable by the importers; nothing to restore them for.
    pass
