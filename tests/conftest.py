"""Fixtures: a store on SQLite and on a throwaway PostgreSQL, the CLI, and scenarios."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_postgresql.executors.proc import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

# The CLI's Rich console reads its width when it is made, at import: wide, on every worker.
os.environ["COLUMNS"] = "200"

from ramstein.cli import app
from ramstein.store.db import Store, make_engine
from ramstein.store.models import Base
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


def _janitor(server: PostgreSQLExecutor, name: str, template: str | None = None) -> DatabaseJanitor:
    return DatabaseJanitor(
        user=server.user,
        host=server.host,
        port=server.port,
        dbname=name,
        template_dbname=template,
    )


def _pg_url(server: PostgreSQLExecutor, name: str) -> str:
    return f"postgresql+psycopg://{server.user}@{server.host}:{server.port}/{name}"


# The planners a template may run after the load, in this order (as `make demo` does).
PLANNERS = ("match", "route", "train")


def _build(kind: str, url: str) -> None:
    """Build template `kind` at `url`: "migrated" (an empty store at head), or
    "washington[-no-kiel][+planner...]": the commands `load washington-2024 [--no-kiel]`
    and then each planner named, exactly as a test would run them."""
    Store(url).close()
    if kind != "migrated":
        _run(Cli(url), kind)


def _run(cli: Cli, kind: str) -> None:
    """Run the commands of template `kind` (not "migrated") through `cli`."""
    dataset, *planners = kind.split("+")
    commands = [
        ["load", "washington-2024", *(["--no-kiel"] if dataset.endswith("no-kiel") else [])]
    ]
    commands += [[planner] for planner in planners]
    for args in commands:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)


class Templates:
    """Stores built once per worker and copied for each test that asks for one.

    Migrating a fresh store (17 revisions) and loading the Washington dataset cost far more
    than copying the result: a SQLite file is copied, a PostgreSQL database is created from
    the template database (`CREATE DATABASE ... TEMPLATE`). A copy is the very store the
    commands built, row for row; tests about migrations and empty stores do not use them
    (`empty_store_url`, `postgres_url`).
    """

    def __init__(self, request: pytest.FixtureRequest, folder: Path) -> None:
        self._request = request
        self._folder = folder
        self._sqlite: dict[str, Path] = {}
        self._postgres: dict[str, str] = {}

    def sqlite(self, kind: str, path: Path, *, replace: bool = True) -> str:
        """A copy of the `kind` template at `path`, its URL. Without `replace`, a file already
        there (another fixture's store at the same path) is kept as it is."""
        if kind not in self._sqlite:
            built = self._folder / f"{kind}.db"
            _build(kind, f"sqlite:///{built}")
            self._sqlite[kind] = built
        if replace or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self._sqlite[kind], path)
        return f"sqlite:///{path}"

    def postgres(self, kind: str, name: str) -> str:
        """A copy of the `kind` template as database `name` (dropped first if it exists)."""
        server: PostgreSQLExecutor = self._request.getfixturevalue("pg_server")
        if kind not in self._postgres:
            template = f"ramstein_template_{len(self._postgres)}"
            _janitor(server, template).init()
            _build(kind, _pg_url(server, template))
            self._postgres[kind] = template
        janitor = _janitor(server, name, template=self._postgres[kind])
        janitor.drop()
        janitor.init()
        return _pg_url(server, name)

    def copy(self, kind: str, url: str) -> str:
        """Replace the store at `url` (a test's own) by a copy of the `kind` template."""
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return self.sqlite(kind, Path(parsed.database or ""))
        return self.postgres(kind, parsed.database or "")

    def untouched(self, url: str) -> bool:
        """Whether the store at `url` is still as new: missing, without tables, or holding
        no row but what migrating an empty store writes (so a copy loses nothing)."""
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
            return True
        counts = _row_counts(url)
        if not counts:
            return True
        if "migrated" not in self._sqlite:
            self.sqlite("migrated", self._folder / "probe.db")
        return counts == _row_counts(f"sqlite:///{self._sqlite['migrated']}")


def _row_counts(url: str) -> dict[str, int]:
    """Rows per table of Ramstein's models (none if the store has no tables yet)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            return {
                table.name: connection.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables
                if table.name in present
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def templates(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Templates:
    """This worker's template stores, built when first asked for."""
    return Templates(request, tmp_path_factory.mktemp("templates"))


@pytest.fixture
def postgres_url(pg_server: PostgreSQLExecutor) -> Iterator[str]:
    """A fresh, really empty database on the throwaway server, dropped after the test."""
    name = f"ramstein_test_{next(_db_counter)}"
    janitor = _janitor(pg_server, name)
    janitor.init()
    try:
        yield _pg_url(pg_server, name)
    finally:
        janitor.drop()


@pytest.fixture
def migrated_postgres_url(pg_server: PostgreSQLExecutor, templates: Templates) -> Iterator[str]:
    """A fresh database migrated to head (a copy of the worker's template), dropped after."""
    name = f"ramstein_test_{next(_db_counter)}"
    try:
        yield templates.postgres("migrated", name)
    finally:
        _janitor(pg_server, name).drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A really empty store's URL (no tables yet), on SQLite and on PostgreSQL: for tests
    about migrations and about what opening a new store does."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ramstein.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, templates: Templates) -> str:
    """An empty store's URL, migrated to head, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return templates.sqlite("migrated", tmp_path / "ramstein.db", replace=False)
    url: str = request.getfixturevalue("migrated_postgres_url")
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
def empty_cli(empty_store_url: str) -> Cli:
    """The CLI over a really empty store (no tables yet), for tests about migrations."""
    return Cli(empty_store_url)


@pytest.fixture
def sqlite_cli(tmp_path: Path, templates: Templates) -> Cli:
    """The CLI over an empty SQLite store (migrated), for tests that are not about the database."""
    return Cli(templates.sqlite("migrated", tmp_path / "ramstein.db", replace=False))


class Washington:
    """`washington(cli)`: the store behind `cli` (still empty) becomes a copy of the Washington
    dataset as `ramstein load washington-2024` leaves it (`kiel=False`: `--no-kiel`), with the
    plans of the `planners` named run on it after the load (`match`, `route`, `train`).
    Built once per worker; for tests about what follows the load rather than the load itself.
    """

    def __init__(self, templates: Templates) -> None:
        self._templates = templates

    def __call__(self, cli: Cli, *, kiel: bool = True, planners: tuple[str, ...] = ()) -> Cli:
        assert list(planners) == [p for p in PLANNERS if p in planners], planners
        kind = "+".join(["washington" if kiel else "washington-no-kiel", *planners])
        if self._templates.untouched(cli.url):
            cli.url = self._templates.copy(kind, cli.url)
        else:  # the store holds rows already (another fixture's at the same path): run them
            _run(cli, kind)
        return cli


@pytest.fixture(scope="session")
def washington(templates: Templates) -> Washington:
    """Copies of the Washington dataset (see `Washington`)."""
    return Washington(templates)


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
