"""The scenarios whose shares were written down before keys had optional rules."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date, timedelta

import tests.conftest as c
from ramstein.domain.contributions import Category, Contribution, Status
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.io import washington
from ramstein.io.scenario_json import parse_scenario

# The statuses as they were when the golden file was written (before `shipped`): the same
# random draws make the same ledger.
GOLDEN_STATUSES = [
    Status.ANNOUNCED,
    Status.COMMITTED,
    Status.CONTRACTED,
    Status.DELIVERED,
    Status.CANCELLED,
]


def golden_scenarios() -> dict[str, Scenario]:
    """Washington as loaded, with what-ifs, a 2024 ledger of 300 random rows, the example."""
    s, _ = washington.scenario()
    rng = random.Random(7)
    allies = [n.iso3 for n in s.nations]
    extra = tuple(
        Contribution(
            id=f"g{i}",
            donor=rng.choice(allies),
            amount=rng.uniform(1e6, 3e9),
            currency=rng.choice(["EUR", "USD"]),
            date=date(2024, 1, 1) + timedelta(days=rng.randrange(366)),
            category=rng.choice(list(Category)),
            status=rng.choice(GOLDEN_STATUSES),
        )
        for i in range(300)
    )
    counted = replace(
        s,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        contributions=s.contributions + extra,
    )
    ex = parse_scenario(json.dumps(c.EXAMPLE_SCENARIO))
    return {
        "washington": s,
        "washington_uncovered": s.what_if(mode=OptOutShare.UNCOVERED),
        "washington_without_usa": s.what_if(without=("USA",)),
        "washington_2024_counted": counted,
        "washington_2024_counted_uncovered": counted.what_if(
            without=("DEU", "FRA"), mode=OptOutShare.UNCOVERED
        ),
        "example": ex,
    }
