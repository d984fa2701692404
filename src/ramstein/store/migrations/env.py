"""Alembic environment: runs on the connection Ramstein hands over."""

from __future__ import annotations

from alembic import context

from ramstein.store.models import Base, ours

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through ramstein.store.db.upgrade()")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_name=ours,
)
with context.begin_transaction():
    context.run_migrations()
