"""Fixtures: a store on SQLite and on a throwaway PostgreSQL, the CLI, and scenarios."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_postgresql.executors.proc import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor
from typer.testing import CliRunner, Result

# The CLI's Rich console reads its width when it is made, at import: wide, on every worker.
os.environ["COLUMNS"] = "200"

from ramstein.cli import app
from tests.postgres import start_postgres

EXAMPLE_SCENARIO: dict[str, Any] = {
    "format": "ramstein.scenario/1",
    "name": "Washington pledge, year one",
    "baseline": {"amount": 40000000000, "currency": "EUR"},
    "period": {"start": "2025-01-01", "end": "2025-12-31"},
    "key": {"indicator": "gdp", "year": 2023},
    "opt_out": ["HUN"],
    "opt_out_share": "redistribute",
    "nations": [
        {
            "iso3": "USA",
            "name": "United States",
            "gdp": {"2023": {"amount": 27720.7, "currency": "USD", "unit": "bn"}},
        },
        {
            "iso3": "HUN",
            "name": "Hungary",
            "gdp": {"2023": {"amount": 212.4, "currency": "USD", "unit": "bn"}},
        },
    ],
    "fx": [{"from": "USD", "to": "EUR", "year": 2023, "rate": 0.9248}],
    "contributions": [
        {
            "id": "c1",
            "donor": "USA",
            "amount": 1.2e9,
            "currency": "EUR",
            "date": "2025-02-10",
            "category": "equipment",
            "status": "delivered",
            "visibility": "public",
        }
    ],
}


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgreSQLExecutor]:
    """A throwaway PostgreSQL server for the session (run as `postgres` when we are root)."""
    with start_postgres() as executor:
        yield executor


_db_counter = iter(range(1_000_000))


@pytest.fixture
def postgres_url(pg_server: PostgreSQLExecutor) -> Iterator[str]:
    """A fresh, empty database on the throwaway server, dropped after the test."""
    name = f"ramstein_test_{next(_db_counter)}"
    janitor = DatabaseJanitor(
        user=pg_server.user,
        host=pg_server.host,
        port=pg_server.port,
        dbname=name,
    )
    janitor.init()
    try:
        yield f"postgresql+psycopg://{pg_server.user}@{pg_server.host}:{pg_server.port}/{name}"
    finally:
        janitor.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store's URL, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ramstein.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


class Cli:
    """Runs `ramstein` in-process against one store."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(
            app, list(args), env={"RAMSTEIN_DATABASE_URL": self.url, "COLUMNS": "200"}
        )


@pytest.fixture
def cli(store_url: str) -> Cli:
    """The CLI over an empty store (SQLite and PostgreSQL)."""
    return Cli(store_url)


@pytest.fixture
def sqlite_cli(tmp_path: Path) -> Cli:
    """The CLI over an empty SQLite store, for tests that are not about the database."""
    return Cli(f"sqlite:///{tmp_path / 'ramstein.db'}")


@pytest.fixture
def example_scenario() -> dict[str, Any]:
    """A deep copy of the scenario example of `ramstein.scenario/1`."""
    copied: dict[str, Any] = json.loads(json.dumps(EXAMPLE_SCENARIO))
    return copied


@pytest.fixture
def write_json(tmp_path: Path) -> Any:
    """Write a document to a file in tmp_path and return its path as a string."""

    def write(doc: Any, name: str = "scenario.json") -> str:
        path = tmp_path / name
        path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
        return str(path)

    return write


def set_path(doc: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    """Set `value` at `path` in a JSON document and return the document (for bad inputs)."""
    node: Any = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return doc


def assert_bad_input(result: Result, message: str) -> None:
    """Exit status 2, nothing on stdout, and one line on stderr starting with `message`."""
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
