"""contribution sums: monthly sums of plain contributions, and an index of linked flows"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ramstein.store.migrations import shapes

revision = "0009"  # created 2026-11-23 11:21:56.561352
down_revision = "0008"

LINKED = sa.text("funders IS NOT NULL OR parent IS NOT NULL")


def upgrade() -> None:
    shapes.create(
        "contribution_sums",
        "donor str3, currency str3, year int, month int, status str20, visibility str20,"
        " first_date date, total float, row_count int",
        key=("donor", "currency", "year", "month", "status", "visibility"),
    )
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contributions_linked",
            ["external_id"],
            unique=False,
            sqlite_where=LINKED,
            postgresql_where=LINKED,
        )
    _fill()


def _fill() -> None:
    """Sum the contributions already stored (the same rule as `store.sums`)."""
    c = sa.table(
        "contributions",
        sa.column("external_id", sa.String()),
        sa.column("donor", sa.String()),
        sa.column("currency", sa.String()),
        sa.column("date", sa.Date()),
        sa.column("status", sa.String()),
        sa.column("visibility", sa.String()),
        sa.column("amount", sa.Float()),
        sa.column("funders", sa.JSON()),
        sa.column("parent", sa.String()),
    ).c
    sums = sa.table(
        "contribution_sums",
        *(sa.column(n) for n in ("donor", "currency", "year", "month", "status", "visibility",
                                 "first_date", "total", "row_count")),
    )  # fmt: skip
    year = sa.cast(sa.extract("year", c.date), sa.Integer)
    month = sa.cast(sa.extract("month", c.date), sa.Integer)
    parents = sa.select(c.parent).where(c.parent.is_not(None))
    summed = (
        sa.select(c.donor, c.currency, year, month, c.status, c.visibility,
                  sa.func.min(c.date), sa.func.sum(c.amount), sa.func.count())
        .where(c.amount.is_not(None), sa.text("funders IS NULL"), c.parent.is_(None),
               c.external_id.not_in(parents))
        .group_by(c.donor, c.currency, year, month, c.status, c.visibility)
    )  # fmt: skip
    op.execute(sums.insert().from_select([col.name for col in sums.c], summed))


def downgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_contributions_linked",
            sqlite_where=LINKED,
            postgresql_where=LINKED,
        )
    shapes.drop("contribution_sums")
