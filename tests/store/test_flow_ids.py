"""Ids stored before the one id rule: joint procurement's `C/L/ISO3` read as `C:L:ISO3`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from ramstein.store import repositories as repo
from ramstein.store.context import AUDITED_WRITE
from ramstein.store.db import Store, alembic_config
from tests.conftest import Cli
from tests.io.test_round_trip import ledger_with_procurement


def _old_ids(store: Store) -> None:
    """Write the procurement flows' ids as they were made before migration 0010 (plain SQL,
    as a store from before the audit guard holds them)."""
    with store.engine.begin() as connection:
        connection.info[AUDITED_WRITE] = True
        for table, column in (
            ("contributions", "external_id"),
            ("contributions", "parent"),
            ("offers", "id"),
        ):
            old = f"UPDATE {table} SET {column} = REPLACE({column}, ':', '/') "
            connection.execute(text(old + f"WHERE {column} LIKE 'NSPA-IRIST-2025:%'"))


def test_the_migration_rewrites_old_flow_ids_and_they_import_back(
    empty_cli: Cli, tmp_path: Path
) -> None:
    cli = empty_cli
    ledger_with_procurement(cli, tmp_path)
    store = Store(cli.url)
    with store.transaction() as session:
        before = repo.list_contributions(session)
    _old_ids(store)
    with store.transaction() as session:
        old = {c.id for c in repo.list_contributions(session) if c.id.startswith("NSPA")}
        offers = {r[0] for r in session.execute(text("SELECT id FROM offers"))}
    assert old == {"NSPA-IRIST-2025/L1/DEU", "NSPA-IRIST-2025/L1/NLD"}
    assert any(o.startswith("NSPA-IRIST-2025/") for o in offers)
    cfg = alembic_config()
    with store.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0009")
        command.upgrade(cfg, "head")
    with store.transaction() as session:
        assert repo.list_contributions(session) == before
        offers = {r[0] for r in session.execute(text("SELECT id FROM offers"))}
    store.close()
    assert not any("/" in o for o in offers)
    assert any(o.startswith("NSPA-IRIST-2025:") for o in offers)
    out = tmp_path / "out.csv"
    assert cli("export", str(out)).exit_code == 0
    again = cli("import", "contributions", str(out))
    assert again.exit_code == 0, again.stderr
    assert "0 created, 0 changed" in again.stdout
