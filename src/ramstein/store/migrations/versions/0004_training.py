"""training: courses, sessions, cohorts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 05:40:17.274478
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("duration_days", sa.Integer(), nullable=False),
        sa.Column("crews", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "cohorts",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("course", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column("priority", sa.Float(), nullable=False),
        sa.Column("requirement", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["course"],
            ["courses.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("course", sa.String(length=100), nullable=False),
        sa.Column("host", sa.String(length=3), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["course"],
            ["courses.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("training_sessions")
    op.drop_table("cohorts")
    op.drop_table("courses")
