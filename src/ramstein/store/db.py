"""Open the store: an engine for the URL, migrations to head, and sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ramstein.store import audit, releases, snapshots, sums


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
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
        sums.install(self._sessions)
        snapshots.guard()
        releases.guard()

    @contextmanager
    def transaction(self, actor: str = "system") -> Iterator[Session]:
        """A session committed when the block ends, rolled back whole if it raises.

        Every write in it is audited under `actor`.
        """
        with self._sessions.begin() as session:
            session.info["actor"] = actor
            yield session

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()
