"""The counting root flows of a period, summed where their credit is plain, for the split
of counted military aid by supply (`shares.supply`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, extract, func, literal, select
from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.domain.contributions import (
    COUNTED_STATUSES,
    Category,
    Channel,
    Contribution,
    Status,
)
from ramstein.store.access import visible_clause
from ramstein.store.models import ContributionRow
from ramstein.store.repositories import contribution_of


def counted_roots(
    session: Session,
    start: date,
    end: date,
    viewer: Viewer | None = None,
    *,
    unspecified_sources: Collection[str] = (),
    by_day: bool = False,
) -> list[Contribution]:
    """Counting root flows dated in [start, end] that the viewer sees, by what splits them.

    Flows without funders are summed by donor, currency, year (or day, `by_day`, when each
    day has its own rate), category, channel, status and whether their source is one of
    `unspecified_sources`: their credit goes whole to the donor, so each sum (dated at its
    first row) is credited as its rows are. Flows with funders come whole. Channelled flows
    are never credited and are left out.
    """
    t = ContributionRow
    where = [
        t.parent.is_(None),
        t.amount.is_not(None),
        t.status.in_([s.value for s in COUNTED_STATUSES]),
        t.date >= start,
        t.date <= end,
    ]
    if viewer is not None:
        where.append(visible_clause(viewer, t.visibility, t.donor))
    when: ColumnElement[Any] = t.date.expression if by_day else extract("year", t.date)
    source: ColumnElement[Any] = (
        case((t.source.in_(sorted(unspecified_sources)), t.source), else_=literal(""))
        if unspecified_sources
        else literal("")
    )
    keys = (t.donor, t.currency, when, t.category, t.channel, t.status, source)
    query = (
        select(*keys, func.min(t.date), func.sum(t.amount))
        .where(*where, t.funders.is_(None))
        .group_by(*keys)
        .order_by(*keys)
    )
    summed = [
        Contribution(
            id=f"supply:{i}",
            donor=donor,
            amount=float(total or 0.0),
            currency=currency,
            date=first,
            category=Category(category),
            status=Status(status),
            channel=Channel(channel),
            source=src,
        )
        for i, (donor, currency, _when, category, channel, status, src, first, total) in (
            enumerate(session.execute(query))
        )
    ]
    funded = [
        contribution_of(r)
        for r in session.scalars(
            select(t).where(*where, t.funders.is_not(None)).order_by(t.external_id)
        )
    ]
    return summed + funded
