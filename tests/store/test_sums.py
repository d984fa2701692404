"""The monthly sums follow every way of writing a contribution, in the same transaction."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.contributions import (
    CONTRIBUTION_VISIBILITIES,
    Category,
    Contribution,
    Funder,
    Status,
    TitleTransfer,
)
from ramstein.domain.lifecycle import COUNTED_STATUSES
from ramstein.io import washington
from ramstein.ledger import importing
from ramstein.ledger.loading import load_scenario
from ramstein.store import repositories as repo
from ramstein.store import sums
from ramstein.store.db import Store, alembic_config
from ramstein.store.models import ContributionSumRow

DONORS = ("DEU", "FRA", "POL", "USA", "GBR", "NLD")
FORWARD = {
    Status.ANNOUNCED: Status.COMMITTED,
    Status.COMMITTED: Status.CONTRACTED,
    Status.CONTRACTED: Status.SHIPPED,
    Status.SHIPPED: Status.DELIVERED,
}


def _plain(rows: list[Contribution]) -> list[Contribution]:
    parents = {c.parent for c in rows if c.parent}
    return [
        c
        for c in rows
        if c.amount is not None and not c.funders and c.parent is None and c.id not in parents
    ]


def _expected_table(session: Session) -> dict[tuple[Any, ...], tuple[date, float, int]]:
    """The sums table as the rule says it should be, from every stored row."""
    found: dict[tuple[Any, ...], list[Any]] = {}
    for c in _plain(repo.list_contributions(session)):
        key = (c.donor, c.currency, c.date.year, c.date.month, c.status.value, c.visibility.value)
        entry = found.setdefault(key, [c.date, 0.0, 0])
        entry[0] = min(entry[0], c.date)
        entry[1] += c.amount or 0.0
        entry[2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in found.items()}


def _table(session: Session) -> dict[tuple[Any, ...], tuple[date, float, int]]:
    return {
        (r.donor, r.currency, r.year, r.month, r.status, r.visibility): (
            r.first_date,
            r.total,
            r.row_count,
        )
        for r in session.scalars(select(ContributionSumRow))
    }


def _contribution(rng: random.Random, cid: str, **fields: Any) -> Contribution:
    status = rng.choice([*FORWARD, Status.DELIVERED])
    day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
    values: dict[str, Any] = {
        "id": cid,
        "donor": rng.choice(DONORS),
        # Whole hundred-thousands: sums are exact in any order, so tables compare with ==.
        "amount": None if status is Status.ANNOUNCED else rng.randint(1, 900) * 1e5,
        "currency": "EUR",
        "date": day,
        "category": Category.EQUIPMENT,
        "status": status,
        "visibility": rng.choice(CONTRIBUTION_VISIBILITIES),
    }
    values.update(fields)
    return Contribution(**values)


def _stored(session: Session, cid: str) -> Contribution:
    return next(c for c in repo.list_contributions(session) if c.id == cid)


def _store(url: str) -> Store:
    store = Store(url)
    pledge, others = washington.scenario()
    with store.transaction() as session:
        load_scenario(session, pledge, actor="test", reason="test", other_nations=others)
    return store


def test_sums_follow_upserts_status_changes_links_and_bulk_imports(store_url: str) -> None:
    store = _store(store_url)
    rng = random.Random(5)
    ids: list[str] = []
    for round_ in range(12):
        with store.transaction() as session:
            for k in range(rng.randint(1, 6)):
                action = rng.choice(("new", "edit", "advance", "child", "funded"))
                if action == "new" or not ids:
                    c = _contribution(rng, f"R{round_}-{k}")
                elif action == "edit":
                    old = _stored(session, rng.choice(ids))
                    # Another donor, month and amount: both the old and the new month move.
                    c = replace(
                        old,
                        donor=rng.choice(DONORS),
                        date=old.date + timedelta(days=rng.randint(-60, 60)),
                        amount=None if old.amount is None else old.amount + 1e5,
                        visibility=rng.choice(CONTRIBUTION_VISIBILITIES),
                    )
                elif action == "advance":
                    now = _stored(session, rng.choice(ids))
                    if now.status in FORWARD and now.amount is not None:
                        to = FORWARD[now.status]
                        # A delivery says where title passed.
                        title = TitleTransfer(now.date, "Kyiv") if to is Status.DELIVERED else None
                        repo.change_status(session, now.id, to, actor="t", reason="t", title=title)
                    continue
                elif action == "child":
                    # The parent leaves the sums: its credit now needs it whole.
                    # (It passes nothing on: a flow never passes on more than it got.)
                    c = _contribution(
                        rng,
                        f"C{round_}-{k}",
                        parent=rng.choice(ids),
                        status=Status.DELIVERED,
                        amount=0.0,
                    )
                else:
                    c = _contribution(
                        rng, f"F{round_}-{k}", funders=(Funder("DEU", 0.5), Funder("FRA", 0.5))
                    )
                repo.upsert_contribution(session, c, actor="t", reason="t")
                ids.append(c.id)
            if round_ % 4 == 3:
                # A bulk import: over many months (one statement for the whole table) or few.
                months = 30 if round_ % 8 == 3 else 1
                # Its first row is a flow that passes nothing on, as a single write's child:
                # a bulk write is held to the same rule (issue 16).
                batch = [
                    _contribution(
                        rng,
                        f"B{round_}-{k}",
                        date=date(2024, 1, 1) + timedelta(days=31 * (k % months)),
                        **(
                            {"parent": rng.choice(ids), "amount": 0.0, "status": Status.DELIVERED}
                            if k == 0
                            else {}
                        ),
                    )
                    for k in range(120)
                ]
                importing.write_contributions(session, batch, actor="t", reason="t")
                ids += [c.id for c in batch]
            # Read inside the transaction: the sums already include what it wrote.
            sums.refresh(session)
            assert _table(session) == _expected_table(session)
        with store.transaction() as session:
            assert _table(session) == _expected_table(session)
            assert _table(session)  # the ledger has plain rows to sum
    store.close()


def test_grouped_sums_cut_months_at_the_period_edges(store_url: str) -> None:
    store = _store(store_url)
    rng = random.Random(8)
    batch = [_contribution(rng, f"G{k}") for k in range(400)]
    with store.transaction() as session:
        importing.write_contributions(session, batch, actor="t", reason="t")
    counted = [s.value for s in COUNTED_STATUSES]
    for start, end in (
        (date(2024, 1, 1), date(2024, 12, 31)),  # whole months only
        (date(2024, 3, 15), date(2025, 2, 10)),  # two cut months
        (date(2024, 6, 5), date(2024, 6, 20)),  # inside one month
    ):
        with store.transaction() as session:
            expected: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [date.max, 0.0, 0])
            for c in _plain(repo.list_contributions(session)):
                if c.status.value not in counted:
                    continue
                inside = int(start <= c.date <= end)
                key = (c.donor, c.currency, c.date.year, c.status.value, c.visibility.value, inside)
                expected[key][0] = min(expected[key][0], c.date)
                expected[key][1] += c.amount or 0.0
                expected[key][2] += 1
            got = sums.grouped(session, start, end, counted)
            assert [g for g, *_ in got] == sorted(expected)
            assert {g: [first, total, n] for g, first, total, n in got} == dict(expected)
            assert any(g[-1] == 1 for g, *_ in got) and any(g[-1] == 0 for g, *_ in got)
    store.close()


def test_the_migration_sums_a_ledger_already_stored(empty_store_url: str) -> None:
    store = _store(empty_store_url)
    rng = random.Random(3)
    batch = [_contribution(rng, f"M{k}") for k in range(200)]
    batch.append(_contribution(rng, "CHILD", parent="M0"))
    with store.transaction() as session:
        importing.write_contributions(session, batch, actor="t", reason="t")
        expected = _expected_table(session)
    cfg = alembic_config()
    with store.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0008")
        command.upgrade(cfg, "head")
    with store.transaction() as session:
        assert _table(session) == expected
        assert len(expected) > 50
    store.close()
