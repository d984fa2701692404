"""Job-test fixtures: a loaded store and a coordinator's token, on SQLite or PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.conftest import Cli


@dataclass(frozen=True)
class Loaded:
    """A store holding the Washington dataset, and a coordinator's bearer token."""

    url: str
    token: str


def load(url: str) -> Loaded:
    """Load the Washington dataset into the store at `url` and make a coordinator."""
    assert Cli(url)("load", "washington-2024").exit_code == 0
    store = Store(url)
    with store.transaction(actor="test") as session:
        token = create_account(session, "coord", Role.COORDINATOR)
    store.close()
    return Loaded(url, token)


@pytest.fixture
def pg_loaded(postgres_url: str) -> Loaded:
    """The Washington dataset on a fresh PostgreSQL database."""
    return load(postgres_url)


@pytest.fixture
def sqlite_loaded(tmp_path: Path) -> Loaded:
    """The Washington dataset in a fresh SQLite file."""
    return load(f"sqlite:///{tmp_path / 'ramstein.db'}")
