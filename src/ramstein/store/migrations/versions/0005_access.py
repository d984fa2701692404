"""access: accounts, tokens, audit chain, idempotency keys, jobs, contribution versions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 05:57:11.875713
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ramstein.store.migrations import shapes

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    shapes.create(
        "accounts",
        shapes.integer("id"),
        shapes.string("name"),
        shapes.word("role"),
        shapes.iso("nation", nullable=True),
        shapes.text("password_hash", nullable=True),
        shapes.moment("created_at"),
        shapes.unique("name"),
    )
    shapes.create(
        "audit_records",
        shapes.integer("id"),
        *shapes.stamp(),
        shapes.word("action"),
        shapes.string("entity", 60),
        shapes.string("entity_id"),
        shapes.digest("before_digest"),
        shapes.digest("after_digest"),
        shapes.digest("prev_hash"),
        shapes.digest("hash"),
    )
    shapes.create(
        "idempotency_keys",
        shapes.string("key"),
        shapes.string("account"),
        shapes.digest("request_digest"),
        shapes.integer("status_code"),
        shapes.document("response"),
        shapes.moment("created_at"),
        key=("key",),
    )
    shapes.create(
        "jobs",
        shapes.integer("id"),
        shapes.word("kind"),
        shapes.word("status"),
        shapes.string("actor"),
        shapes.moment("created_at"),
        shapes.moment("finished_at", nullable=True),
        shapes.integer("plan_version", nullable=True),
        shapes.text("error"),
    )
    shapes.create(
        "tokens",
        shapes.integer("id"),
        shapes.integer("account_id"),
        shapes.digest("token_hash"),
        shapes.moment("expires_at"),
        shapes.moment("revoked_at", nullable=True),
        shapes.refers("account_id", "accounts.id"),
        shapes.unique("token_hash"),
    )
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_column("version")
    shapes.drop("tokens", "jobs", "idempotency_keys", "audit_records", "accounts")
