"""The counting root flows of a period, summed where their credit is plain, for the split
of counted military aid by supply (`shares.supply`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.domain.contributions import (
    COUNTED_STATUSES,
    Category,
    Channel,
    Contribution,
    Funder,
    Status,
    Visibility,
)
from ramstein.store.access import visible_clause
from ramstein.store.models import ContributionRow


def counted_roots(
    session: Session, start: date, end: date, viewer: Viewer | None = None
) -> list[Contribution]:
    """Counting root flows dated in [start, end] that the viewer sees, by what splits them.

    Flows without funders are summed by donor, currency, day, category, channel, source and
    status (their credit goes whole to the donor, so the sum is credited as its rows are);
    flows with funders come whole. Channelled flows are never credited and are left out.
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
    keys = (t.donor, t.currency, t.date, t.category, t.channel, t.source, t.status)
    summed = [
        Contribution(
            id=f"supply:{i}",
            donor=donor,
            amount=float(total or 0.0),
            currency=currency,
            date=day,
            category=Category(category),
            status=Status(status),
            channel=Channel(channel),
            source=source,
        )
        for i, (donor, currency, day, category, channel, source, status, total) in enumerate(
            session.execute(
                select(*keys, func.sum(t.amount))
                .where(*where, t.funders.is_(None))
                .group_by(*keys)
                .order_by(*keys)
            )
        )
    ]
    funded = [
        Contribution(
            id=r.external_id,
            donor=r.donor,
            amount=r.amount,
            currency=r.currency,
            date=r.date,
            category=Category(r.category),
            status=Status(r.status),
            visibility=Visibility(r.visibility),
            channel=Channel(r.channel),
            source=r.source,
            funders=tuple(Funder(str(i), float(s)) for i, s in r.funders or ()),
        )
        for r in session.scalars(
            select(t).where(*where, t.funders.is_not(None)).order_by(t.external_id)
        )
    ]
    return summed + funded
