"""Monthly sums of plain contributions, kept in step with the ledger in each transaction.

Shares need what each donor counted, not each row: `contribution_sums` holds, per donor,
currency, month, status and visibility, the sum, count and first date of the plain
contributions (an amount, no funders, no parent, not the parent of another flow). Every
write marks the months it touches; before the transaction commits (or before a read in
it), those months are summed again from their rows, so the table is never behind what
the same transaction sees. Many months at once (a bulk import) re-sum the whole table in
one statement.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    delete,
    event,
    extract,
    func,
    insert,
    inspect,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from ramstein.store.context import write_context
from ramstein.store.models import ContributionRow, ContributionSumRow

Month = tuple[str, int, int]  # donor, year, month
# Beyond this many months one statement over the whole ledger is cheaper than one per month.
RESUM_ALL = 64

_contributions = ContributionRow.__table__
_sums = ContributionSumRow.__table__
_COLUMNS = [column.name for column in _sums.columns]


def _plain() -> list[ColumnElement[bool]]:
    """The rows a sum stands in for: priced, with no funders, no parent, parent of none."""
    c = _contributions.c
    parents = select(c.parent).where(c.parent.is_not(None))
    return [
        c.amount.is_not(None),
        c.funders.is_(None),  # JSON(none_as_null): SQL NULL
        c.parent.is_(None),
        c.external_id.not_in(parents),
    ]


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def touch(session: Session, months: Iterable[Month], parents: Iterable[str] = ()) -> None:
    """Mark months (and the months of the given parent flows) to be summed again."""
    context = write_context(session)
    context.sum_months.update(months)
    context.sum_parents.update(parents)


def _track(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush: note the months (old and new) of every contribution written."""
    months: set[Month] = set()
    parents: set[str] = set()
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if not isinstance(obj, ContributionRow):
                continue
            state = inspect(obj)
            donors = set(_values(state, "donor"))
            months |= {(d, day.year, day.month) for d in donors for day in _values(state, "date")}
            parents |= set(_values(state, "parent"))
    if months or parents:
        touch(session, months, parents)


def _values(state: Any, key: str) -> set[Any]:
    """An attribute's values before and after this flush, None left out."""
    history = state.attrs[key].load_history()
    return {v for v in (*history.deleted, *history.unchanged, *history.added) if v is not None}


def refresh(session: Session) -> None:
    """Sum again every month marked in this transaction, so the table matches the rows."""
    session.flush()
    context = write_context(session)
    months, parents = context.sum_months, context.sum_parents
    context.sum_months, context.sum_parents = set(), set()
    if not (months or parents):
        return
    c = _contributions.c
    wanted = sorted(parents)
    for i in range(0, len(wanted), 500):
        for donor, day in session.execute(
            select(c.donor, c.date).where(c.external_id.in_(wanted[i : i + 500]))
        ):
            months.add((donor, day.year, day.month))
    if len(months) > RESUM_ALL:
        _resum_all(session)
        return
    for donor, year, month in sorted(months):
        _resum_month(session, donor, year, month)


def _summed(
    year: ColumnElement[int], month: ColumnElement[int], *where: ColumnElement[bool]
) -> Select[Any]:
    """The sums table's rows for the plain contributions matching `where`."""
    c = _contributions.c
    return (
        select(
            c.donor,
            c.currency,
            year,
            month,
            c.status,
            c.visibility,
            func.min(c.date),
            func.sum(c.amount),
            func.count(),
        )
        .where(*where, *_plain())
        .group_by(c.donor, c.currency, year, month, c.status, c.visibility)
    )


def _resum_all(session: Session) -> None:
    c = _contributions.c
    year = cast(extract("year", c.date), Integer).label("yr")
    month = cast(extract("month", c.date), Integer).label("mo")
    if session.get_bind().dialect.name == "postgresql":
        # A hash aggregate over a million rows needs more than the default 4 MB of sort
        # memory, and JIT compiling costs more than it saves on one aggregate.
        session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(text("SET LOCAL jit = off"))
    session.execute(delete(ContributionSumRow))
    session.execute(insert(ContributionSumRow).from_select(_COLUMNS, _summed(year, month)))


def _resum_month(session: Session, donor: str, year: int, month: int) -> None:
    c = _contributions.c
    start, end = _month_range(year, month)
    session.execute(
        delete(ContributionSumRow).where(
            _sums.c.donor == donor, _sums.c.year == year, _sums.c.month == month
        )
    )
    summed = _summed(
        literal(year, Integer),
        literal(month, Integer),
        c.donor == donor,
        c.date.between(start, end),
    )
    session.execute(insert(ContributionSumRow).from_select(_COLUMNS, summed))


Group = tuple[str, str, int, str, str, int]  # donor, currency, year, status, visibility, inside


def grouped(
    session: Session, start: date, end: date, statuses: Iterable[str]
) -> list[tuple[Group, date, float, int]]:
    """Plain contributions in `statuses` summed by donor, currency, year, status, visibility
    and whether they lie in [start, end]: (group, first date, total, count), sorted by group.

    Whole months come from the monthly sums; a month the period cuts is summed from its rows.
    """
    refresh(session)
    wanted = list(statuses)
    cut: set[tuple[int, int]] = set()
    if start.day != 1:
        cut.add((start.year, start.month))
    if end != _month_range(end.year, end.month)[1]:
        cut.add((end.year, end.month))
    s = _sums.c
    found: dict[Group, list[Any]] = {}

    def add(group: Group, first: date, total: float, count: int) -> None:
        entry = found.setdefault(group, [first, 0.0, 0])
        entry[0] = min(entry[0], first)
        entry[1] += total
        entry[2] += count

    whole = select(
        s.donor, s.currency, s.year, s.month, s.status, s.visibility,
        s.first_date, s.total, s.row_count,
    ).where(s.status.in_(wanted))  # fmt: skip
    # In month order, so that each group's float sum is the same on every run.
    for donor, currency, year, month, status, visibility, first, total, count in sorted(
        session.execute(whole), key=lambda r: (r[2], r[3], r[0], r[1], r[4], r[5])
    ):
        if (year, month) in cut:
            continue
        month_start, month_end = _month_range(year, month)
        inside = int(start <= month_start and month_end <= end)  # not cut: wholly in or out
        add((donor, currency, year, status, visibility, inside), first, float(total), count)
    for year, month in sorted(cut):
        for group, first, total, count in _cut_month(session, year, month, start, end, wanted):
            add(group, first, total, count)
    return [(g, v[0], v[1], v[2]) for g, v in sorted(found.items())]


def _cut_month(
    session: Session, year: int, month: int, start: date, end: date, statuses: list[str]
) -> list[tuple[Group, date, float, int]]:
    """One month the period cuts, summed from its rows on each side of the cut."""
    c = _contributions.c
    first, last = _month_range(year, month)
    inside = case((and_(c.date >= start, c.date <= end), 1), else_=0).label("inside")
    rows = session.execute(
        select(
            c.donor,
            c.currency,
            c.status,
            c.visibility,
            inside,
            func.min(c.date),
            func.sum(c.amount),
            func.count(),
        )
        .where(c.date >= first, c.date <= last, c.status.in_(statuses), *_plain())
        .group_by(c.donor, c.currency, c.status, c.visibility, inside)
    )
    return [
        ((donor, currency, year, status, visibility, int(flag)), day, float(total), int(count))
        for donor, currency, status, visibility, flag, day, total, count in rows
    ]


def install(sessions: sessionmaker[Session]) -> None:
    """Keep the sums in step: note written months on flush, sum them again before commit."""
    event.listen(sessions, "before_flush", _track)
    event.listen(sessions, "before_commit", refresh)
