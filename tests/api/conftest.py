"""API fixtures: a loaded store, accounts of every role, and an in-process client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from ramstein.domain.access import Role
from ramstein.store.accounts import create_account
from ramstein.store.db import Store
from tests.conftest import Cli, Washington


@dataclass(frozen=True)
class Callers:
    """Bearer headers per role (nation accounts for Germany and Poland)."""

    coordinator: dict[str, str]
    deu: dict[str, str]
    pol: dict[str, str]
    recipient: dict[str, str]
    public: dict[str, str]


@pytest.fixture
def loaded(cli: Cli, washington: Washington) -> Cli:
    """A store holding the Washington dataset (`load washington-2024 --no-kiel`)."""
    return washington(cli, kiel=False)


@pytest.fixture
def callers(loaded: Cli) -> Callers:
    """One account of each role."""
    store = Store(loaded.url)
    tokens = {}
    with store.transaction(actor="test") as session:
        tokens["coordinator"] = create_account(session, "coord", Role.COORDINATOR)
        tokens["deu"] = create_account(session, "deu-mod", Role.NATION, nation="DEU")
        tokens["pol"] = create_account(session, "pol-mod", Role.NATION, nation="POL")
        tokens["recipient"] = create_account(session, "ukr-liaison", Role.RECIPIENT)
    store.close()
    bearer = {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}
    return Callers(public={}, **bearer)


@pytest.fixture
def api(loaded: Cli) -> Iterator[TestClient]:
    """The app over the loaded store."""
    with TestClient(create_app(loaded.url)) as client:
        yield client


def error_of(response: object) -> str:
    """A 422's first error as one line: `field: message`."""
    first = response.json()["detail"][0]  # type: ignore[attr-defined]
    return f"{first['loc'][-1]}: {first['msg']}"
