"""training: courses, sessions, cohorts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 05:40:17.274478
"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    shapes.create(
        "courses",
        shapes.string("code", 100),
        shapes.string("name"),
        shapes.integer("duration_days"),
        shapes.document("crews"),
        key=("code",),
    )
    shapes.create(
        "cohorts",
        shapes.string("id"),
        shapes.string("course", 100),
        shapes.integer("size"),
        shapes.day("available_from"),
        shapes.day("needed_by"),
        shapes.number("priority"),
        shapes.string("requirement"),
        shapes.refers("course", "courses.code"),
    )
    shapes.create(
        "training_sessions",
        shapes.string("id"),
        shapes.string("course", 100),
        shapes.iso("host"),
        shapes.string("site"),
        shapes.day("start"),
        shapes.day("end"),
        shapes.integer("capacity"),
        shapes.string("language", 40),
        shapes.refers("course", "courses.code"),
    )


def downgrade() -> None:
    shapes.drop("training_sessions", "cohorts", "courses")
