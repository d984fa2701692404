"""training: courses, sessions, cohorts"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0004"  # created 2026-11-23 05:40:17.274478
down_revision = "0003"


def upgrade() -> None:
    shapes.create(
        "courses", "code str100, name str200, duration_days int, crews json", key=("code",)
    )
    shapes.create(
        "cohorts",
        "id str200, course str100, size int, available_from date, needed_by date, priority float,"
        " requirement str200",
        refers={"course": "courses.code"},
    )
    shapes.create(
        "training_sessions",
        "id str200, course str100, host str3, site str200, start date, end date, capacity int,"
        " language str40",
        refers={"course": "courses.code"},
    )


def downgrade() -> None:
    shapes.drop("training_sessions", "cohorts", "courses")
