"""Open the store: an engine for the URL, migrations to head, and sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ramstein.store import audit, releases, snapshots, sums
from ramstein.store.context import WRITE_OPTION, begin

# How long a SQLite writer waits for another process's write lock before giving up.
SQLITE_BUSY_SECONDS = 20.0


class WriteConflict(Exception):
    """A write lost a race with another (same row, same key, or the store was busy)."""


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is off: `_sqlite_begin` says how each one begins.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A writing transaction takes the file's write lock before it reads anything, so that
    # writers in any process queue up instead of failing to upgrade a read lock, and each
    # sees the audit chain's head only once the previous writer has committed.
    options = connection.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return  # `Store.reads`: every statement on its own
    connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE_OPTION) else "BEGIN")


def conflict_of(exc: BaseException) -> WriteConflict | None:
    """The write conflict a database error stands for, or None if it is something else."""
    if isinstance(exc, StaleDataError):
        return WriteConflict("version: another write changed this row first; read it again")
    if isinstance(exc, IntegrityError):
        return WriteConflict(f"store: the write collides with stored data ({_first_line(exc)})")
    if isinstance(exc, OperationalError) and any(
        word in str(exc.orig).lower() for word in ("locked", "busy")
    ):
        return WriteConflict("store: busy with another write; try again")
    if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in (
        "40001",  # serialization failure
        "40P01",  # deadlock detected
        "55P03",  # lock not available
    ):
        return WriteConflict("store: another write got there first; try again")
    return None


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0][:200] if exc.orig else type(exc).__name__


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(files("ramstein.store") / "migrations"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Run the migrations up to head on `engine`."""
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


class Store:
    """The database behind one URL, migrated on open; `transaction()` is one unit of work."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if migrate:  # off only where the opener knows the store is migrated already
            upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        audit.install(self._sessions)
        audit.guard(self.engine)
        sums.install(self._sessions)
        snapshots.guard()
        releases.guard()

    @contextmanager
    def transaction(self, actor: str = "system", *, write: bool = True) -> Iterator[Session]:
        """A session committed when the block ends, rolled back whole if it raises.

        Every write in it is audited under `actor`. `write=False` promises only reads, so
        SQLite need not take its write lock up front. A write that loses a race (a stale
        version, a duplicate key, a busy store) raises `WriteConflict`, the transaction
        rolled back.
        """
        try:
            with self._sessions.begin() as session:
                begin(session, actor)
                if write and self.engine.dialect.name == "sqlite":
                    session.connection(execution_options={WRITE_OPTION: True})
                yield session
        except (DBAPIError, StaleDataError) as exc:
            conflict = conflict_of(exc)
            if conflict is None:
                raise
            raise conflict from exc

    @contextmanager
    def reads(self) -> Iterator[Session]:
        """A session for reads only, each statement committed on its own: no transaction
        stays open between them, so a long computation over what was read (a planner's
        solve) holds no lock on the store (SQLite's would stop every writer) and no
        snapshot. Each statement sees the latest committed data, as in PostgreSQL's
        default (read committed) transactions."""
        with self._sessions() as session:
            begin(session, "system")
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            yield session

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()
