"""The store on SQLite and PostgreSQL: migrations, round trips and the event log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from ramstein.domain.contributions import (
    CONTRIBUTION_VISIBILITIES,
    Category,
    Channel,
    Contribution,
    Status,
)
from ramstein.domain.errors import InputError
from ramstein.io import washington
from ramstein.ledger.loading import load_scenario
from ramstein.store import repositories as repo
from ramstein.store.db import Store
from ramstein.store.models import Base, ContributionEventRow, ours


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def washington_store(store: Store) -> Store:
    pledge, others = washington.scenario()
    with store.transaction() as session:
        load_scenario(session, pledge, actor="test", reason="fixture", other_nations=others)
    return store


def test_migrations_build_exactly_the_models(empty_store_url: str) -> None:
    store = Store(empty_store_url)
    with store.engine.connect() as connection:
        # Procrastinate's tables share the database (PostgreSQL) and are not Ramstein's models.
        context = MigrationContext.configure(connection, opts={"include_name": ours})
        diff = compare_metadata(context, Base.metadata)
    store.close()
    assert diff == []


def test_opening_twice_keeps_the_data(washington_store: Store) -> None:
    again = Store(washington_store.url)
    with again.transaction() as session:
        assert len(repo.list_nations(session)) == 37
    again.close()


def test_current_scenario_round_trips_the_washington_pledge(washington_store: Store) -> None:
    pledge, _ = washington.scenario()
    with washington_store.transaction() as session:
        stored = repo.current_scenario(session)
    assert stored is not None
    assert [n.iso3 for n in stored.nations] == [n.iso3 for n in pledge.nations]
    assert stored.opt_out == ("HUN",)
    assert stored.baseline_amount == 40e9
    assert {c.id for c in stored.contributions} == {c.id for c in pledge.contributions}
    usa = next(n for n in stored.nations if n.iso3 == "USA")
    gdp = usa.indicator("gdp", 2023)
    assert gdp is not None and gdp.source == "WB-WDI-2024-09"


def test_status_changes_are_appended_never_overwritten(washington_store: Store) -> None:
    with washington_store.transaction() as session:
        repo.change_status(
            session, "WAS24-DEU-PATRIOT", Status.COMMITTED, actor="deu-mod", reason="signed"
        )
    with washington_store.transaction() as session:
        repo.change_status(
            session, "WAS24-DEU-PATRIOT", Status.CANCELLED, actor="deu-mod", reason="withdrawn"
        )
        history = repo.contribution_history(session, "WAS24-DEU-PATRIOT")
    assert [(e.from_status, e.to_status, e.actor) for e in history] == [
        (None, Status.ANNOUNCED, "test"),
        (Status.ANNOUNCED, Status.COMMITTED, "deu-mod"),
        (Status.COMMITTED, Status.CANCELLED, "deu-mod"),
    ]
    assert history[2].reason == "withdrawn"


@pytest.mark.parametrize(
    ("moves", "message"),
    [
        ([Status.COMMITTED, Status.ANNOUNCED], "cannot move from committed back to announced"),
        ([Status.CANCELLED, Status.COMMITTED], "is cancelled, which is final"),
        ([Status.CONTRACTED], "amount: required when status is contracted"),
    ],
)
def test_illegal_moves_are_refused_and_leave_no_event(
    washington_store: Store, moves: list[Status], message: str
) -> None:
    with pytest.raises(InputError, match=message), washington_store.transaction() as session:
        for to in moves:
            repo.change_status(session, "WAS24-ITA-SAMPT", to, actor="t", reason="")
    with washington_store.transaction() as session:
        assert len(repo.contribution_history(session, "WAS24-ITA-SAMPT")) == 1
        count = session.scalar(select(func.count()).select_from(ContributionEventRow))
    assert count == 6


def test_a_reload_keeps_a_status_the_ledger_moved_on(washington_store: Store) -> None:
    with washington_store.transaction() as session:
        repo.change_status(session, "WAS24-ROU-PATRIOT", Status.COMMITTED, actor="t", reason="")
    pledge, others = washington.scenario()
    with washington_store.transaction() as session:
        summary = load_scenario(session, pledge, actor="t", reason="", other_nations=others)
        (rou,) = [c for c in repo.list_contributions(session) if c.id == "WAS24-ROU-PATRIOT"]
    assert summary.contributions_changed == 0
    assert rou.status is Status.COMMITTED


# PostgreSQL's text cannot hold NUL, and surrogates are not text.
texts = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=60)
contributions = st.builds(
    Contribution,
    id=st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=40),
    donor=st.sampled_from(["USA", "DEU", "POL", "JPN"]),
    amount=st.one_of(st.none(), st.floats(min_value=0, max_value=1e12, allow_nan=False)),
    currency=st.sampled_from(["EUR", "USD"]),
    # Up to the last day of the ECB history the package ships: a USD row needs a rate.
    date=st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 10, 30)),
    category=st.sampled_from(list(Category)),
    status=st.sampled_from([Status.ANNOUNCED, Status.COMMITTED, Status.CANCELLED]),
    visibility=st.sampled_from(CONTRIBUTION_VISIBILITIES),
    channel=st.sampled_from(list(Channel)),
    recipient=st.just("UKR"),
    source=texts,
    description=texts,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(contribution=contributions)
def test_contributions_round_trip_through_the_store(
    washington_store: Store, contribution: Contribution
) -> None:
    contribution = replace(contribution, id=f"rt-{contribution.id}")
    with washington_store.transaction() as session:
        repo.upsert_contribution(session, contribution, actor="t", reason="")
        (back,) = [c for c in repo.list_contributions(session) if c.id == contribution.id]
        session.rollback()
    assert back == contribution
