"""Alembic environment: runs on the connection Ramstein hands over."""

from __future__ import annotations

from alembic import context

from ramstein.store.audit import baseline_at_upgrade
from ramstein.store.context import AUDITED_WRITE
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


# A migration is the schema's own change, run by the operator before the application
# writes: its statements may touch audited tables (a data migration such as 0010's id
# rewrite runs before the state-covering chain of 0013-0014 exists on an old store).
connection.info[AUDITED_WRITE] = True
try:
    with context.begin_transaction():
        migration = context.get_context()
        since = migration.get_current_revision()
        context.run_migrations()
        to = migration.get_current_revision()
        # An existing store moved to head: its earlier records digest its rows by an older
        # schema, or not at all before 0015, so `audit verify` needs the state as found.
        head = context.script.get_current_head()
        if since is not None and to is not None and to != since and to == head:
            # Only at head: state digests follow the models, which are the head's schema.
            baseline_at_upgrade(connection, since, to)
finally:
    connection.info.pop(AUDITED_WRITE, None)
