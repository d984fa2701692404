"""The ledger as a viewer may see it: visible rows, aggregates under disclosure control."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ramstein.domain.access import Role, Viewer, can_see, withheld
from ramstein.domain.contributions import Category, Channel, Contribution, Status
from ramstein.ledger.standing import Standing
from ramstein.shares.credit import flows
from ramstein.shares.fair import counts
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
    nation = viewer.nation if viewer.role is Role.NATION else None
    return repo.page_contributions(
        session,
        visible_to=(viewer.role is Role.COORDINATOR, viewer.signed_in, nation),
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
    """One group's total in EUR, or withheld."""

    key: str
    total_eur: float | None
    contributions: int | None
    withheld: bool


def totals(session: Session, viewer: Viewer, by: str) -> list[Aggregate]:
    """Totals in EUR by nation, category or month over every row, under disclosure control."""
    fx = fx_store.table(session)
    groups: dict[str, list[tuple[str, float, bool]]] = defaultdict(list)
    for c in repo.list_contributions(session):
        if c.amount is None:
            continue
        key = {"nation": c.donor, "category": c.category.value, "month": c.date.strftime("%Y-%m")}[
            by
        ]
        eur = fx.convert_on(c.amount, c.currency, "EUR", c.date, field=f"contributions[{c.id}]")
        groups[key].append((c.donor, eur, can_see(viewer, c)))
    result = []
    for key in sorted(groups):
        rows = groups[key]
        hide = withheld(viewer, rows)
        result.append(
            Aggregate(
                key,
                None if hide else sum(a for _, a, _ in rows),
                None if hide else len(rows),
                hide,
            )
        )
    return result


def shares_for(viewer: Viewer, standing: Standing) -> list[dict[str, Any]]:
    """Per nation: which figures the viewer may not see (its credited total hides a row)."""
    hidden: dict[str, list[tuple[str, float, bool]]] = defaultdict(list)
    scenario = standing.scenario
    fx = scenario.fx_table()
    for flow in flows(scenario.contributions, fx, lambda c: counts(c, scenario)):
        seen = can_see(viewer, flow.contribution)
        for credit in flow.credits:
            hidden[credit.iso3].append((flow.contribution.donor, credit.eur, seen))
    return [
        {"iso3": n.iso3, "withheld": withheld(viewer, hidden.get(n.iso3, []))}
        for n in standing.result.nations
    ]


def nation_lines(viewer: Viewer, standing: Standing) -> list[dict[str, Any]]:
    """Each nation's line as the viewer may see it, largest fair share first.

    Counted, gap and % of GDP are None (and `withheld` true) where they would reveal a
    contribution the viewer may not see; `change_eur` is the change against the base case.
    """
    flags = {f["iso3"]: f["withheld"] for f in shares_for(viewer, standing)}
    before = standing.base.by_iso3() if standing.base else {}
    lines = []
    for n in sorted(standing.result.nations, key=lambda n: (-n.fair_share_eur, n.iso3)):
        hidden = flags[n.iso3]
        lines.append(
            {
                "iso3": n.iso3,
                "name": n.name,
                "participating": n.participating,
                "key_share": n.key_share,
                "fair_share_eur": n.fair_share_eur,
                "counted_eur": None if hidden else n.counted_eur,
                "gap_eur": None if hidden else n.gap_eur,
                "counted_pct_of_gdp": None if hidden else n.counted_pct_of_gdp,
                "withheld": hidden,
                "change_eur": n.fair_share_eur - before[n.iso3].fair_share_eur if before else None,
            }
        )
    return lines


def counted_total(viewer: Viewer, standing: Standing) -> float | None:
    """All credited contributions of the period together, or None where that is withheld."""
    scenario = standing.scenario
    fx = scenario.fx_table()
    rows = [
        (flow.contribution.donor, credit.eur, can_see(viewer, flow.contribution))
        for flow in flows(scenario.contributions, fx, lambda c: counts(c, scenario))
        for credit in flow.credits
    ]
    return None if withheld(viewer, rows) else sum(eur for _, eur, _ in rows)
