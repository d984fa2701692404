"""The migrations: their shared shapes, their independence from the models, and the whole
chain down to nothing and up again (SQLite and PostgreSQL)."""

from __future__ import annotations

import ast
from importlib.resources import files
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ramstein.store.db import alembic_config, make_engine, upgrade
from ramstein.store.migrations import shapes
from ramstein.store.models import Base, ours

MIGRATIONS = Path(str(files("ramstein.store") / "migrations"))


def test_a_column_spec_reads_as_its_sqlalchemy_type() -> None:
    cols = shapes.columns("id int, name str200, amount float?, at datetime, note text")
    assert [(c.name, repr(c.type), c.nullable) for c in cols] == [
        ("id", "Integer()", False),
        ("name", "String(length=200)", False),
        ("amount", "Float()", True),
        ("at", "DateTime(timezone=True)", False),
        ("note", "Text()", False),
    ]
    # Fresh objects each time: a column belongs to one table.
    assert shapes.column("id int") is not shapes.column("id int")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("amount money", "column amount: unknown type 'money'"),
        ("code str0", "column code: unknown type 'str0'"),
        ("amount", "column 'amount': write it as 'name type' or 'name type?'"),
        ("", "column '': write it as 'name type' or 'name type?'"),
    ],
)
def test_a_bad_column_spec_is_named(spec: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        shapes.column(spec)
    assert str(raised.value) == message


def _imports(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_revisions_and_their_shapes_never_import_the_models() -> None:
    # A revision's schema must not follow later changes of the models: of Ramstein, the
    # revisions import the shapes only, and the shapes nothing.
    paths = [MIGRATIONS / "shapes.py", *sorted((MIGRATIONS / "versions").glob("*.py"))]
    assert len(paths) > 17
    for path in paths:
        ours_ = {m for m in _imports(path) if m.startswith("ramstein")}
        assert ours_ <= {"ramstein.store.migrations"}, path.name


def test_the_chain_goes_down_to_nothing_and_up_to_the_models(store_url: str) -> None:
    engine = make_engine(store_url)
    upgrade(engine)
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "base")
    with engine.connect() as connection:
        left = [t for t in sa.inspect(connection).get_table_names() if ours(t, "table", None)]
    assert left == ["alembic_version"]
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": ours})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
