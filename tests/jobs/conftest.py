"""Job-test fixtures: a loaded store and a coordinator's token, on SQLite or PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.conftest import Cli, Washington


@dataclass(frozen=True)
class Loaded:
    """A store holding the Washington dataset, and a coordinator's bearer token."""

    url: str
    token: str


def load(url: str, washington: Washington) -> Loaded:
    """The Washington dataset (`load washington-2024`) in the store at `url`, and a
    coordinator."""
    washington(Cli(url))
    store = Store(url)
    with store.transaction(actor="test") as session:
        token = create_account(session, "coord", Role.COORDINATOR)
    store.close()
    return Loaded(url, token)


@pytest.fixture
def pg_loaded(migrated_postgres_url: str, washington: Washington) -> Loaded:
    """The Washington dataset on a fresh PostgreSQL database."""
    return load(migrated_postgres_url, washington)


@pytest.fixture
def sqlite_loaded(tmp_path: Path, washington: Washington) -> Loaded:
    """The Washington dataset in a fresh SQLite file."""
    return load(f"sqlite:///{tmp_path / 'ramstein.db'}", washington)
