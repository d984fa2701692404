"""The audit chain covers the stored state: each tampering case is found and named
(SQLite and PostgreSQL), plain SQL writes to audited tables are refused, and concurrent
CLI imports on SQLite leave one linear chain (issue 17)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, text

from ramstein.domain.audit import chain_hash
from ramstein.store.audit import UnauditedWrite
from ramstein.store.db import Store
from ramstein.store.models import ItemComponentRow
from tests.conftest import Cli, Washington

HEADER = "id,donor,amount,currency,date,category,status,visibility"


@pytest.fixture(autouse=True)
def _audit_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAMSTEIN_AUDIT_KEY", str(tmp_path / "audit-key.pem"))


@pytest.fixture
def imported(cli: Cli, tmp_path: Path, washington: Washington) -> Cli:
    washington(cli)
    rows = [
        f"T-{k},DEU,{k + 1}00,EUR,2025-02-{k + 1:02d},in_kind,delivered,public" for k in range(9)
    ]
    source = tmp_path / "t.csv"
    source.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    assert cli("import", "contributions", str(source)).exit_code == 0
    assert cli("contribution", "status", "T-1", "transferred").exit_code in (0, 2)
    holds = cli("audit", "verify")
    assert holds.exit_code == 0, holds.stderr
    return cli


def _sql(cli: Cli, *statements: str) -> None:
    """Change the database directly, as someone with its password would."""
    engine = create_engine(cli.url)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def _refused(cli: Cli, *args: str) -> str:
    result = cli("audit", "verify", *args)
    assert result.exit_code == 1, result.stdout
    assert result.stderr.count("\n") == 1
    return str(result.stderr)


def test_a_direct_edit_is_found_and_named(imported: Cli) -> None:
    _sql(imported, "UPDATE contributions SET amount = 99e9 WHERE external_id = 'T-3'")
    message = _refused(imported)
    assert message.startswith("error: contributions ")
    assert "changed outside the audit" in message


def test_a_direct_delete_is_found_and_named(imported: Cli) -> None:
    _sql(
        imported,
        "DELETE FROM contribution_events WHERE contribution_id IN "
        "(SELECT id FROM contributions WHERE external_id = 'T-4')",
        "DELETE FROM contributions WHERE external_id = 'T-4'",
    )
    assert "deleted outside the audit" in _refused(imported)


def test_a_row_added_outside_the_audit_is_found(imported: Cli) -> None:
    _sql(imported, "INSERT INTO items (id, name, note) VALUES ('GHOST', 'ghost', '')")
    assert "items GHOST: stored but never recorded" in _refused(imported)


def test_a_changed_bulk_leaf_breaks_its_merkle_root(imported: Cli) -> None:
    # The test's own import is the last bulk record (the dataset's Kiel rows came before).
    _sql(
        imported,
        "UPDATE audit_leaves SET digest = 'ab' WHERE position = 3 "
        "AND audit_id = (SELECT max(audit_id) FROM audit_leaves)",
    )
    assert "(import contributions 18 rows " in _refused(imported)


def test_a_cut_tail_is_found_by_the_checkpoint(imported: Cli, tmp_path: Path) -> None:
    point = tmp_path / "checkpoint.json"
    assert imported("audit", "checkpoint", "--out", str(point)).exit_code == 0
    head = json.loads(point.read_text())["record_id"]
    _sql(
        imported,
        f"DELETE FROM audit_leaves WHERE audit_id > {head - 5}",
        f"DELETE FROM audit_records WHERE id > {head - 5}",
    )
    assert "the chain's tail was cut" in _refused(imported, "--checkpoint", str(point))


def test_a_rebuilt_chain_is_found_by_the_checkpoint(imported: Cli, tmp_path: Path) -> None:
    point = tmp_path / "checkpoint.json"
    assert imported("audit", "checkpoint", "--out", str(point)).exit_code == 0
    # Alter one record and recompute every later hash: the links hold again...
    engine = create_engine(imported.url)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT * FROM audit_records ORDER BY id")).mappings().all()
        previous = None
        for r in rows:
            actor = "someone else" if r["id"] == 10 else r["actor"]
            prev = r["prev_hash"] if previous is None else previous
            at = r["at"] if isinstance(r["at"], datetime) else datetime.fromisoformat(r["at"])
            previous = chain_hash(
                prev,
                at,
                actor,
                r["action"],
                r["entity"],
                r["entity_id"],
                r["before_digest"],
                r["after_digest"],
            )
            conn.execute(
                text(
                    "UPDATE audit_records SET actor = :a, prev_hash = :p, hash = :h WHERE id = :i"
                ),
                {"a": actor, "p": prev, "h": previous, "i": r["id"]},
            )
    engine.dispose()
    assert imported("audit", "verify").exit_code == 0  # ...so only the checkpoint tells
    assert "the chain was rebuilt" in _refused(imported, "--checkpoint", str(point))
    report = imported("report", "--out", str(point.parent / "review.html"))
    assert report.exit_code == 0
    assert "Audit checkpoint: record" in (point.parent / "review.html").read_text()


def test_plain_sql_writes_to_audited_tables_are_refused(imported: Cli) -> None:
    store = Store(imported.url)
    with (
        pytest.raises(UnauditedWrite, match="item_components is audited"),
        store.transaction() as session,
    ):
        session.execute(delete(ItemComponentRow))
    store.close()
    assert imported("audit", "verify").exit_code == 0


def test_concurrent_cli_imports_on_sqlite_leave_one_chain(
    sqlite_cli: Cli, tmp_path: Path, washington: Washington
) -> None:
    washington(sqlite_cli)
    env = {**os.environ, "RAMSTEIN_DATABASE_URL": sqlite_cli.url}
    for round_ in range(2):
        files = []
        for who in ("a", "b"):
            path = tmp_path / f"{who}{round_}.csv"
            rows = [
                f"{who.upper()}{round_}-{k},DEU,{k + 1},EUR,2025-03-01,in_kind,delivered,public"
                for k in range(500)
            ]
            path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
            files.append(path)
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "ramstein.cli", "import", "contributions", str(f)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for f in files
        ]
        for run in runs:
            _, err = run.communicate(timeout=300)
            assert run.returncode in (0, 2), err
            if run.returncode == 2:
                assert err.count("\n") == 1 and err.startswith("error: store: busy"), err
    verified = sqlite_cli("audit", "verify")
    assert verified.exit_code == 0, verified.stderr
    engine = create_engine(sqlite_cli.url)
    with engine.connect() as conn:
        forks = conn.execute(
            text("SELECT prev_hash FROM audit_records GROUP BY prev_hash HAVING count(*) > 1")
        ).all()
    engine.dispose()
    assert forks == []
