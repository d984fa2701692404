"""job queue: attempts, progress and dedupe on planner jobs; Procrastinate's schema on PostgreSQL"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"  # created 2026-11-30 08:40:00
down_revision = "0011"


def _columns() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column("inputs_digest", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("time_limit", sa.Float(), nullable=False, server_default="120"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("queue_id", sa.Integer(), nullable=True),
        sa.Column("incumbent", sa.Float(), nullable=True),
        sa.Column("bound", sa.Float(), nullable=True),
        sa.Column("elapsed", sa.Float(), nullable=True),
    )


ACTIVE = sa.text("status IN ('queued', 'running')")


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        for column in _columns():
            batch.add_column(column)
    op.create_index("ix_jobs_status_kind", "jobs", ["status", "kind"])
    # Jobs from before the queue carry no digest: give each its own, then one active job
    # per planner and inputs is a unique index.
    op.execute("UPDATE jobs SET inputs_digest = 'legacy-' || CAST(id AS VARCHAR(20))")
    op.create_index(
        "uq_jobs_active_digest",
        "jobs",
        ["inputs_digest"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    bind = op.get_bind()
    installed = bind.dialect.name == "postgresql" and bind.scalar(
        sa.text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
    )
    if bind.dialect.name == "postgresql" and not installed:
        # Procrastinate keeps its queue in the same database: its schema, as shipped with the
        # pinned version, is installed here so that one `upgrade` sets the whole store up.
        from procrastinate.schema import SchemaManager

        raw = op.get_bind().connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        try:
            # The driver's own cursor, without parameters: the schema's `%` and `:` are SQL.
            cursor.execute(SchemaManager.get_schema())
        finally:
            cursor.close()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("events", "periodic_defers", "jobs", "workers"):
            op.execute(f"DROP TABLE IF EXISTS procrastinate_{table} CASCADE")
        for kind in ("job_status", "job_event_type", "job_to_defer_v1"):
            op.execute(f"DROP TYPE IF EXISTS procrastinate_{kind} CASCADE")
        functions = op.get_bind().scalars(
            sa.text(
                "SELECT oid::regprocedure::text FROM pg_proc WHERE proname LIKE 'procrastinate%'"
            )
        )
        for function in list(functions):
            op.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    op.drop_index("uq_jobs_active_digest", table_name="jobs")
    op.drop_index("ix_jobs_status_kind", table_name="jobs")
    with op.batch_alter_table("jobs") as batch:
        for column in _columns():
            batch.drop_column(column.name)
