"""A bulk import's digests are the ones `audit verify` recomputes from the stored rows: the
fast digest of a row given as a tuple equals `Shape.digest` of the same values by name (every
audited table, any values), and an import of varied rows verifies on SQLite and PostgreSQL,
a direct edit of one of them still named."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from ramstein.store import state
from ramstein.store.audit import audited_tables
from ramstein.store.bulk import CONTRIBUTION_COLUMNS
from tests.conftest import Cli

SHAPES = audited_tables()

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
_datetimes = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1)) | (
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1)).map(
        lambda d: d.replace(tzinfo=timezone(timedelta(hours=2)))
    )
)
# Each canonical form's values, None included ("%" and the separators in text too). Text is
# any that UTF-8 can hold (no lone surrogates): what a database can store and hand back.
VALUES: dict[Any, st.SearchStrategy[Any]] = {
    state._text: st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
    | st.sampled_from(["%s", "%", "\x1f\x1e"]),
    state._int: st.integers(min_value=-(2**62), max_value=2**62),
    state._float: st.floats(allow_nan=False) | st.integers(-(10**6), 10**6),
    state._date: st.dates(),
    state._datetime: _datetimes,
    state._bool: st.booleans(),
    state._json: _json,
}


@st.composite
def _rows(draw: st.DrawFn) -> tuple[state.Shape, list[str], dict[str, Any], dict[str, Any]]:
    """A table, the columns its rows vary in (the rest fixed), and one row's values."""
    shape = draw(st.sampled_from(sorted(SHAPES.values(), key=lambda s: s.table.name)))
    values = {name: draw(st.none() | VALUES[canon]) for name, canon in shape.columns}
    varying = draw(st.lists(st.sampled_from(shape.names), min_size=1, unique=True))
    fixed = {n: values[n] for n in shape.names if n not in varying and draw(st.booleans())}
    for name in shape.names:  # a column neither varying nor fixed is None, as in `digest`
        if name not in varying and name not in fixed:
            values[name] = None
    return shape, varying, fixed, values


@settings(max_examples=400, deadline=None)
@given(_rows())
def test_the_fast_digest_is_shape_digest(
    case: tuple[state.Shape, list[str], dict[str, Any], dict[str, Any]],
) -> None:
    shape, varying, fixed, values = case
    digest = shape.digester(varying, fixed)
    assert digest(tuple(values[n] for n in varying)) == shape.digest(values)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 2**40),
    st.text(min_size=1, max_size=20),
    st.none() | st.floats(min_value=0, max_value=1e15),
    st.dates(),
    st.none() | st.lists(st.tuples(st.text(max_size=3), st.floats(0.01, 1)), max_size=3),
    st.none() | st.text(max_size=20),
    st.text(max_size=30),
)
def test_a_contribution_row_digests_as_shape_digest(
    key: int,
    external_id: str,
    amount: float | None,
    day: date,
    funders: list[tuple[str, float]] | None,
    parent: str | None,
    description: str,
) -> None:
    # The bulk writer's row: CONTRIBUTION_COLUMNS in order, as `column_values` makes them.
    values = {
        "id": key,
        "external_id": external_id,
        "status": "committed",
        "version": 1,
        "donor": "DEU",
        "amount": amount,
        "currency": "EUR",
        "date": day,
        "category": "in_kind",
        "visibility": "public",
        "channel": "bilateral",
        "recipient": "UKR",
        "funders": [list(f) for f in funders] if funders else None,
        "parent": parent,
        "source": "",
        "description": description,
    }
    shape = SHAPES["contributions"]
    assert sorted(values) == sorted(shape.names)
    row = tuple(values[n] for n in CONTRIBUTION_COLUMNS)
    assert shape.digester(CONTRIBUTION_COLUMNS)(row) == shape.digest(values)
    events = SHAPES["contribution_events"]
    now = datetime.now(UTC)
    fixed = {"at": now, "actor": "a%s", "from_status": None, "reason": "r\x1f"}
    event = {"id": key + 1, "contribution_id": key, "to_status": "committed", **fixed}
    fast = events.digester(("id", "contribution_id", "to_status"), fixed)
    assert fast((key + 1, key, "committed")) == events.digest(event)


def test_a_digester_refuses_unknown_or_overlapping_columns() -> None:
    shape = SHAPES["contribution_events"]
    for order, fixed in ((["nope"], {}), ([], {}), (["id"], {"id": 1}), (["id"], {"x": 1})):
        with pytest.raises(ValueError, match="cannot digest rows"):
            shape.digester(order, fixed)


HEADER = (
    "id,donor,amount,currency,date,category,status,visibility,channel,recipient,funders,"
    "parent,source,description"
)
ROWS = [
    "B-1,DEU,1000000,EUR,2024-03-01,equipment,contracted,public,bilateral,UKR,,,src,plain",
    "B-2,FRA,,EUR,2024-04-02,training,announced,alliance,nato,UKR,,,,no amount",
    "B-3,DEU,250000.5,USD,2024-05-03,in_kind,delivered,nation,bilateral,UKR,"
    "DEU:0.5 FRA:0.5,,,funded by two",
    "B-4,NLD,1000,EUR,2025-01-04,industry,committed,public,multilateral,UKR,,B-1,,"
    "a flow on: 100 % of it, ünïcode",
]


@pytest.fixture(autouse=True)
def _audit_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAMSTEIN_AUDIT_KEY", str(tmp_path / "audit-key.pem"))


def test_a_bulk_import_verifies_and_an_edit_is_named(cli: Cli, tmp_path: Path) -> None:
    assert cli("load", "washington-2024").exit_code == 0
    source = tmp_path / "bulk.csv"
    source.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    imported = cli("import", "contributions", str(source))
    assert imported.exit_code == 0, imported.stderr
    holds = cli("audit", "verify")
    assert holds.exit_code == 0, holds.stderr
    engine = create_engine(cli.url)
    with engine.begin() as conn:
        key = conn.execute(text("SELECT id FROM contributions WHERE external_id = 'B-3'")).one()
        conn.execute(text("UPDATE contributions SET source = 'x' WHERE external_id = 'B-3'"))
    engine.dispose()
    refused = cli("audit", "verify")
    assert refused.exit_code == 1
    assert f"contributions {key[0]}" in refused.stderr
    assert "changed outside the audit" in refused.stderr
