"""access: accounts, tokens, audit chain, idempotency keys, jobs, contribution versions"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ramstein.store.migrations import shapes

revision = "0005"  # created 2026-11-23 05:57:11.875713
down_revision = "0004"


def upgrade() -> None:
    shapes.create(
        "accounts",
        "id int, name str200, role str20, nation str3?, password_hash text?, created_at datetime",
        unique=("name",),
    )
    shapes.create(
        "audit_records",
        "id int, at datetime, actor str200, action str20, entity str60, entity_id str200,"
        " before_digest str64, after_digest str64, prev_hash str64, hash str64",
    )
    shapes.create(
        "idempotency_keys",
        "key str200, account str200, request_digest str64, status_code int, response json,"
        " created_at datetime",
        key=("key",),
    )
    shapes.create(
        "jobs",
        "id int, kind str20, status str20, actor str200, created_at datetime,"
        " finished_at datetime?, plan_version int?, error text",
    )
    shapes.create(
        "tokens",
        "id int, account_id int, token_hash str64, expires_at datetime, revoked_at datetime?",
        refers={"account_id": "accounts.id"},
        unique=("token_hash",),
    )
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_column("version")
    shapes.drop("tokens", "jobs", "idempotency_keys", "audit_records", "accounts")
