"""Shares from sums in the database equal shares from every row, flows and all."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from ramstein.domain.access import ALLIANCE, PUBLIC, Role, Viewer
from ramstein.domain.contributions import (
    CONTRIBUTION_VISIBILITIES,
    Category,
    Contribution,
    Funder,
    Status,
)
from ramstein.io import washington
from ramstein.ledger.loading import load_scenario
from ramstein.ledger.standing import current_scenario
from ramstein.shares.fair import compute_shares
from ramstein.store.db import Store


def _ledger() -> tuple[Contribution, ...]:
    rng = random.Random(11)
    pledge, _ = washington.scenario()
    donors = [n.iso3 for n in pledge.nations]
    plain = [
        Contribution(
            id=f"P{i}",
            donor=rng.choice(donors),
            amount=rng.randint(1, 900) * 1e6,
            currency=rng.choice(["EUR", "USD"]),
            date=date(2024, 6, 1) + timedelta(days=rng.randint(0, 300)),
            category=Category.IN_KIND,
            status=rng.choice([s for s in Status if s is not Status.CANCELLED]),
            visibility=rng.choice(CONTRIBUTION_VISIBILITIES),
        )
        for i in range(400)
    ]
    plain = [replace(c, currency="EUR") if c.date.year > 2024 else c for c in plain]
    flows = [
        Contribution("FUND", "DEU", 5e8, "EUR", date(2025, 2, 1), Category.TRUST_FUND,
                     Status.DELIVERED),
        Contribution("BUY", "POL", 3e8, "EUR", date(2025, 3, 1), Category.IN_KIND,
                     Status.DELIVERED, parent="FUND"),
        Contribution("SHELLS", "CZE", 8e8, "EUR", date(2025, 4, 1), Category.EQUIPMENT,
                     Status.CONTRACTED, funders=(Funder("DNK", 0.5), Funder("NLD", 0.5))),
    ]  # fmt: skip
    return (*plain, *flows)


def test_sums_in_the_database_give_the_same_shares_for_every_viewer(store_url: str) -> None:
    store = Store(store_url)
    pledge, others = washington.scenario()
    with store.transaction() as session:
        load_scenario(
            session,
            replace(pledge, contributions=pledge.contributions + _ledger()),
            actor="test",
            reason="test",
            other_nations=others,
        )
    with store.transaction() as session:
        full = current_scenario(session)
        summed = current_scenario(session, condensed=True)
        assert len(summed.contributions) < len(full.contributions)
        for year in (2024, 2025):
            a = compute_shares(full.for_period(year)).by_iso3()
            b = compute_shares(summed.for_period(year)).by_iso3()
            assert any(line.counted_eur for line in a.values())
            for iso3, line in a.items():
                assert b[iso3].counted_eur == pytest.approx(line.counted_eur, rel=1e-12, abs=1e-3)
        # Each viewer's shares over the rows it may see: the sums keep visibility apart.
        for viewer in (PUBLIC, ALLIANCE, Viewer(Role.NATION, "DEU"), Viewer(Role.NATION, "POL")):
            rows = current_scenario(session, viewer=viewer)
            sums = current_scenario(session, condensed=True, viewer=viewer)
            assert {c.id for c in rows.contributions} < {c.id for c in full.contributions}
            a = compute_shares(rows).by_iso3()
            b = compute_shares(sums).by_iso3()
            assert a != compute_shares(full).by_iso3()
            for iso3, line in a.items():
                assert b[iso3].counted_eur == pytest.approx(line.counted_eur, rel=1e-12, abs=1e-3)
    store.close()
