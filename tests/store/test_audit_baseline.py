"""A store made before the state digests (revision 0013), upgraded to head: one baseline
record attests its rows as found, `audit verify` holds, and a direct edit after the upgrade
is found and named (SQLite and PostgreSQL; issue 17, item 4)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, create_engine, func, select, text

from ramstein.domain.audit import GENESIS, chain_hash, digest
from ramstein.store.audit import BASELINE, UPGRADE_ACTOR, records, verify_state
from ramstein.store.db import Store, alembic_config, make_engine
from ramstein.store.models import AuditLeafRow
from tests.conftest import Cli

# Rows as a store at 0013 held them: nations, a catalog (items, an offer, a requirement),
# contributions, one passing on to another.
OLD_ROWS: list[tuple[str, str, dict[str, Any]]] = [
    ("nations", "DEU", {"iso3": "DEU", "name": "Germany", "group": "EU"}),
    ("nations", "FRA", {"iso3": "FRA", "name": "France", "group": "EU"}),
    ("items", "IRIS-T", {"id": "IRIS-T", "name": "IRIS-T SLM", "note": ""}),
    ("items", "GEPARD", {"id": "GEPARD", "name": "Gepard", "note": "35 mm"}),
    (
        "offers",
        "DEU-O1",
        {
            "id": "DEU-O1",
            "donor": "DEU",
            "item": "IRIS-T",
            "quantity": 2,
            "available_from": date(2025, 3, 1),
            "visibility": "public",
            "note": "",
        },
    ),
    (
        "requirements",
        "R1",
        {
            "id": "R1",
            "item": "GEPARD",
            "quantity": 4,
            "priority": 1,
            "needed_by": None,
            "substitutes": "[]",
            "note": "",
        },
    ),
]


def _contribution(key: int, external_id: str, amount: float, parent: str | None) -> dict[str, Any]:
    return {
        "id": key,
        "external_id": external_id,
        "donor": "DEU",
        "recipient": "UKR",
        "amount": amount,
        "currency": "EUR",
        "date": date(2025, 2, key),
        "category": "equipment",
        "channel": "bilateral",
        "status": "delivered",
        "visibility": "public",
        "source": "ministry",
        "description": f"row {key}",
        "version": 1,
        "funders": None,
        "parent": parent,
    }


OLD_ROWS += [
    ("contributions", "1", _contribution(1, "DEU-1", 5e8, None)),
    ("contributions", "2", _contribution(2, "DEU-2", 2e8, "DEU-1")),
    ("contributions", "3", _contribution(3, "DEU-3", 7e7, None)),
]


def _old_record(conn: Connection, prev: str, entity: str, entity_id: str, values: Any) -> str:
    """An audit record as the code before 0015 wrote it: a JSON digest of the values."""
    at = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    after = digest(values)
    hashed = chain_hash(prev, at, "system", "create", entity, entity_id, "", after)
    conn.execute(
        text(
            "INSERT INTO audit_records (at, actor, action, entity, entity_id, before_digest, "
            "after_digest, prev_hash, hash) VALUES (:at, 'system', 'create', :entity, :eid, '', "
            ":after, :prev, :hash)"
        ),
        {
            "at": at,
            "entity": entity,
            "eid": entity_id,
            "after": after,
            "prev": prev,
            "hash": hashed,
        },
    )
    return hashed


def store_before_digests(url: str) -> None:
    """A store at revision 0013 with its rows and chain written the old way (plain SQL)."""
    engine = make_engine(url)
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0013")
    with engine.begin() as conn:
        prev = GENESIS
        for table, key, values in OLD_ROWS:
            columns = ", ".join(f'"{c}"' for c in values)
            marks = ", ".join(f":{c}" for c in values)
            conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)
            prev = _old_record(conn, prev, table, key, values)
    engine.dispose()


def _sql(url: str, statement: str) -> None:
    """Change the database directly, as someone with its password would."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


@pytest.fixture(autouse=True)
def _audit_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAMSTEIN_AUDIT_KEY", str(tmp_path / "audit-key.pem"))


@pytest.fixture
def upgraded(empty_cli: Cli) -> Cli:
    """The old store, upgraded to head by opening it."""
    store_before_digests(empty_cli.url)
    Store(empty_cli.url).close()
    return empty_cli


def test_the_upgrade_writes_one_baseline_of_every_audited_row(upgraded: Cli) -> None:
    store = Store(upgraded.url)
    with store.transaction(write=False) as session:
        chain = records(session)
        leaves = session.scalars(select(AuditLeafRow).order_by(AuditLeafRow.position)).all()
    store.close()
    assert len(chain) == len(OLD_ROWS) + 1
    baseline = chain[-1]
    assert (baseline.action, baseline.actor) == (BASELINE, UPGRADE_ACTOR)
    assert baseline.entity.startswith("upgrade 0013 to ")
    assert baseline.entity_id == f"state as found, {len(OLD_ROWS)} rows"
    assert {(x.entity, x.entity_id) for x in leaves} == {(t, k) for t, k, _ in OLD_ROWS}
    assert all(x.audit_id == baseline.id for x in leaves)


def test_without_the_baseline_the_old_records_fail_verification(upgraded: Cli) -> None:
    store = Store(upgraded.url)
    with store.transaction(write=False) as session:
        chain = records(session)
        before = verify_state(session, chain[:-1])
        after = verify_state(session, chain)
    store.close()
    # Every old record digests its row the old way: each row reads as changed.
    assert len(before) == len(OLD_ROWS)
    assert {f.problem for f in before} == {"changed outside the audit"}
    assert after == []


def test_verify_holds_after_the_upgrade_and_says_what_the_baseline_attests(upgraded: Cli) -> None:
    result = upgraded("audit", "verify")
    assert result.exit_code == 0, result.stderr
    assert f"{len(OLD_ROWS) + 1} records" in result.stdout
    assert "baseline" in result.stdout
    assert "state as found at the upgrade" in result.stdout


def test_reopening_the_store_writes_no_second_baseline(upgraded: Cli) -> None:
    for _ in range(2):
        Store(upgraded.url).close()
    store = Store(upgraded.url)
    with store.transaction(write=False) as session:
        actions = [r.action for r in records(session)]
    store.close()
    assert actions.count(BASELINE) == 1


def test_a_fresh_store_has_no_baseline(empty_cli: Cli) -> None:
    store = Store(empty_cli.url)
    with store.transaction(write=False) as session:
        assert records(session) == []
    store.close()


def test_a_direct_edit_after_the_upgrade_is_found_and_named(upgraded: Cli) -> None:
    _sql(upgraded.url, "UPDATE contributions SET amount = 99e9 WHERE external_id = 'DEU-3'")
    result = upgraded("audit", "verify")
    assert result.exit_code == 1, result.stdout
    assert result.stderr == "error: contributions 3: changed outside the audit\n"


def test_a_catalog_edit_and_a_delete_after_the_upgrade_are_named(upgraded: Cli) -> None:
    _sql(upgraded.url, "UPDATE items SET name = 'Gepard 1A2' WHERE id = 'GEPARD'")
    result = upgraded("audit", "verify")
    assert result.exit_code == 1
    assert result.stderr == "error: items GEPARD: changed outside the audit\n"
    _sql(upgraded.url, "UPDATE items SET name = 'Gepard' WHERE id = 'GEPARD'")
    assert upgraded("audit", "verify").exit_code == 0
    _sql(upgraded.url, "DELETE FROM offers WHERE id = 'DEU-O1'")
    result = upgraded("audit", "verify")
    assert result.stderr == "error: offers DEU-O1: deleted outside the audit\n"


def test_writes_after_the_baseline_are_verified_from_it(upgraded: Cli, tmp_path: Path) -> None:
    source = tmp_path / "new.csv"
    source.write_text(
        "id,donor,amount,currency,date,category,status,visibility\n"
        "DEU-4,DEU,1000,EUR,2025-04-01,equipment,delivered,public\n"
    )
    imported = upgraded("import", "contributions", str(source))
    assert imported.exit_code == 0, imported.stderr
    assert upgraded("audit", "verify").exit_code == 0
    store = Store(upgraded.url)
    with store.transaction(write=False) as session:
        leaves = session.scalar(select(func.count()).select_from(AuditLeafRow))
        actions = [r.action for r in records(session)]
    store.close()
    assert actions[-2:] == [BASELINE, "import"]
    assert leaves == len(OLD_ROWS) + 2  # the new row and its first event
    _sql(upgraded.url, "UPDATE contributions SET amount = 1 WHERE external_id = 'DEU-4'")
    assert (
        upgraded("audit", "verify").stderr == "error: contributions 4: changed outside the audit\n"
    )


def test_an_edited_baseline_leaf_breaks_the_chain(upgraded: Cli) -> None:
    # Re-hash an edited row into its leaf: the baseline's Merkle root no longer holds.
    _sql(upgraded.url, "UPDATE items SET name = 'Gepard 1A2' WHERE id = 'GEPARD'")
    _sql(
        upgraded.url,
        "UPDATE audit_leaves SET digest = '" + "0" * 64 + "' WHERE entity_id = 'GEPARD'",
    )
    result = upgraded("audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: audit record {len(OLD_ROWS) + 1} (baseline upgrade")
    assert result.stderr.endswith("breaks the chain\n")
