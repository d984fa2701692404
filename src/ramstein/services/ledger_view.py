"""The ledger as a viewer may see it: its rows, and every figure computed from them alone."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.domain.contributions import Category, Channel, Contribution, Status
from ramstein.domain.scenario import OptOutShare
from ramstein.io.scenario_json import nation_document
from ramstein.ledger.standing import Standing, current_scenario, what_if_shares
from ramstein.shares.credit import to_eur
from ramstein.store import fx as fx_store
from ramstein.store import repositories as repo


@dataclass(frozen=True)
class Filters:
    """What a contributions list is narrowed to."""

    donor: str | None = None
    category: Category | None = None
    status: Status | None = None
    channel: Channel | None = None
    date_from: date | None = None
    date_to: date | None = None


def visible_contributions(
    session: Session, viewer: Viewer, filters: Filters, *, limit: int, offset: int
) -> tuple[list[tuple[Contribution, int]], int]:
    """One page of the contributions the viewer may see (with versions), and how many in all.

    Hidden rows are excluded by the database before filtering and counting, so neither a
    filter nor the total betrays a row the viewer may not see.
    """
    return repo.page_contributions(
        session,
        viewer=viewer,
        donor=filters.donor,
        category=filters.category.value if filters.category else None,
        status=filters.status.value if filters.status else None,
        channel=filters.channel.value if filters.channel else None,
        date_from=filters.date_from,
        date_to=filters.date_to,
        limit=limit,
        offset=offset,
    )


@dataclass(frozen=True)
class Aggregate:
    """One group's total in EUR over the rows a viewer may see, and how many rows."""

    key: str
    total_eur: float
    contributions: int


def totals(session: Session, viewer: Viewer, by: str) -> list[Aggregate]:
    """Totals in EUR by nation, category or month over the rows the viewer may see."""
    fx = fx_store.table(session)
    groups: dict[str, list[float]] = defaultdict(list)
    for c in repo.list_contributions(session, viewer=viewer):
        if c.amount is None:
            continue
        key = {"nation": c.donor, "category": c.category.value, "month": c.date.strftime("%Y-%m")}[
            by
        ]
        groups[key].append(to_eur(c, fx))
    return [Aggregate(key, math.fsum(groups[key]), len(groups[key])) for key in sorted(groups)]


def viewer_standing(
    session: Session,
    viewer: Viewer,
    *,
    without: tuple[str, ...] = (),
    baseline_eur: float | None = None,
    mode: OptOutShare | None = None,
) -> Standing:
    """The shares of the current scenario over the contributions the viewer may see."""
    scenario = current_scenario(session, condensed=True, viewer=viewer)
    return what_if_shares(scenario, without=without, baseline_eur=baseline_eur, mode=mode)


def nation_lines(standing: Standing) -> list[dict[str, Any]]:
    """Each nation's line, largest fair share first; `change_eur` is against the base case."""
    before = standing.base.by_iso3() if standing.base else {}
    lines = []
    for n in sorted(standing.result.nations, key=lambda n: (-n.fair_share_eur, n.iso3)):
        lines.append(
            {
                "iso3": n.iso3,
                "name": n.name,
                **nation_document(n),  # the `ramstein.shares/1` line, its name after its code
                "change_eur": n.fair_share_eur - before[n.iso3].fair_share_eur if before else None,
            }
        )
    return lines


def counted_total(standing: Standing) -> float:
    """All credited contributions of the period together (of the standing's scenario)."""
    return math.fsum(n.counted_eur for n in standing.result.nations)
