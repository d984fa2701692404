"""Read and write the ledger's rows as domain values; the caller owns the transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ramstein.domain.contribution_schema import ENUMS, STORED
from ramstein.domain.contributions import (
    COUNTED_STATUSES,
    Category,
    Contribution,
    ContributionEvent,
    Funder,
    Status,
    Visibility,
)
from ramstein.domain.errors import InputError
from ramstein.domain.lifecycle import check_amount, check_transition, is_behind
from ramstein.domain.money import FxRate, FxRule
from ramstein.domain.nations import IndicatorValue, Nation, NationGroup
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.domain.types import check_id
from ramstein.shares.credit import check_funders
from ramstein.store import fx as fx_store
from ramstein.store import sums
from ramstein.store.models import (
    LINKED,
    ContributionEventRow,
    ContributionRow,
    FxRateRow,
    IndicatorRow,
    NationRow,
    ScenarioRow,
)


def upsert_nation(session: Session, nation: Nation) -> None:
    """Create or update a nation and its indicator values."""
    row = session.get(NationRow, nation.iso3)
    if row is None:
        session.add(NationRow(iso3=nation.iso3, name=nation.name, group=nation.group.value))
    else:
        row.name = nation.name
        row.group = nation.group.value
    existing = {
        (r.indicator, r.year): r
        for r in session.scalars(select(IndicatorRow).where(IndicatorRow.iso3 == nation.iso3))
    }
    for indicator, series in nation.indicators.items():
        for year, value in series.items():
            ind = existing.get((indicator, year))
            if ind is None:
                session.add(
                    IndicatorRow(
                        iso3=nation.iso3,
                        indicator=indicator,
                        year=year,
                        amount=value.amount,
                        currency=value.currency,
                        unit=value.unit,
                        source=value.source,
                    )
                )
            else:
                ind.amount, ind.currency, ind.unit = value.amount, value.currency, value.unit
                ind.source = value.source or ind.source


def list_nations(session: Session) -> list[Nation]:
    """Every stored nation with its indicator series, by ISO3."""
    indicators: dict[str, dict[str, dict[int, IndicatorValue]]] = {}
    for r in session.scalars(select(IndicatorRow)):
        indicators.setdefault(r.iso3, {}).setdefault(r.indicator, {})[r.year] = IndicatorValue(
            r.amount, r.currency, r.unit, r.source
        )
    return [
        Nation(n.iso3, n.name, NationGroup(n.group), indicators.get(n.iso3, {}))
        for n in session.scalars(select(NationRow).order_by(NationRow.iso3))
    ]


def upsert_fx(session: Session, rate: FxRate) -> None:
    """Create or update one annual FX rate."""
    row = session.scalar(
        select(FxRateRow).where(
            FxRateRow.source == rate.source,
            FxRateRow.target == rate.target,
            FxRateRow.year == rate.year,
        )
    )
    if row is None:
        session.add(
            FxRateRow(
                source=rate.source,
                target=rate.target,
                year=rate.year,
                rate=rate.rate,
                origin=rate.origin,
            )
        )
    else:
        row.rate = rate.rate
        row.origin = rate.origin or row.origin


def list_fx(session: Session) -> list[FxRate]:
    """Every stored FX rate."""
    return [
        FxRate(r.source, r.target, r.year, r.rate, r.origin)
        for r in session.scalars(select(FxRateRow).order_by(FxRateRow.id))
    ]


def save_scenario(session: Session, scenario: Scenario) -> None:
    """Store the scenario's terms under its name and make it the current one."""
    row = session.scalar(select(ScenarioRow).where(ScenarioRow.name == scenario.name))
    if row is None:
        row = ScenarioRow(name=scenario.name)
        session.add(row)
    row.baseline_amount = scenario.baseline_amount
    row.baseline_currency = scenario.baseline_currency
    row.period_start = scenario.period_start
    row.period_end = scenario.period_end
    row.key_indicator = scenario.key_indicator
    row.key_year = scenario.key_year
    row.opt_out_share = scenario.opt_out_share.value
    row.members = [n.iso3 for n in scenario.nations]
    row.opt_out = list(scenario.opt_out)
    row.key_options = key_options(scenario) or None
    for other in session.scalars(select(ScenarioRow).where(ScenarioRow.is_current)):
        if other is not row:
            other.is_current = False
    row.is_current = True


def current_scenario(
    session: Session, *, condensed: bool = False, year: int | None = None
) -> Scenario | None:
    """The current scenario with its members' indicators, all FX rates and their contributions.

    `condensed` sums the counting contributions in the database (see `condensed_contributions`):
    the same shares at any ledger size, without per-contribution detail.
    """
    row = session.scalar(select(ScenarioRow).where(ScenarioRow.is_current))
    if row is None:
        return None
    nations = {n.iso3: n for n in list_nations(session)}
    members = [str(m) for m in row.members]
    options = key_fields(row.key_options or {})
    # Sums stand in for their rows at one rate a year: exact under the annual rule only.
    condensed = condensed and options.get("fx_rule", FxRule.ANNUAL) is FxRule.ANNUAL
    start, end = row.period_start, row.period_end
    if year is not None:
        start, end = date(year, 1, 1), date(year, 12, 31)
    scenario = Scenario(
        name=row.name,
        baseline_amount=row.baseline_amount,
        baseline_currency=row.baseline_currency,
        period_start=row.period_start,
        period_end=row.period_end,
        key_indicator=row.key_indicator,
        key_year=row.key_year,
        nations=tuple(nations[m] for m in members),
        opt_out=tuple(str(o) for o in row.opt_out),
        opt_out_share=OptOutShare(row.opt_out_share),
        fx=tuple(list_fx(session)),
        fx_history=fx_store.history(session),
        contributions=tuple(
            c
            for c in (
                condensed_contributions(session, start, end)
                if condensed
                else list_contributions(session)
            )
            if c.donor in set(members)
        ),
        **options,
    )
    return scenario.for_period(year) if year is not None else scenario


def condensed_contributions(session: Session, start: date, end: date) -> list[Contribution]:
    """The counting contributions, summed in the database where credit is plain.

    Contributions with funders or a parent, and the parents of others, come one by one (their
    credit needs them whole). All others that count (contracted or delivered, with an amount)
    are summed by donor, currency, year, status, visibility and whether they lie in the
    period [start, end], from the monthly sums kept beside the ledger (`store.sums`): each
    sum stands in for its rows, dated at its first row. Shares, disclosure control and
    what-ifs are unchanged by the summing (up to float rounding).
    """
    table = ContributionRow
    # Few flows are linked: found by their partial index, and their parents by id.
    linked_rows = list(session.scalars(select(table).where(LINKED)))
    parents = sorted({r.parent for r in linked_rows if r.parent})
    for i in range(0, len(parents), 500):
        linked_rows += session.scalars(
            select(table).where(table.external_id.in_(parents[i : i + 500]), ~LINKED)
        )
    linked = sorted((_to_domain(r) for r in linked_rows), key=lambda c: (c.date, c.id))
    groups = sums.grouped(session, start, end, [s.value for s in COUNTED_STATUSES])
    summed = [
        Contribution(
            id=f"sum:{donor}:{currency}:{int(y)}:{status}:{visibility}:{inside}",
            donor=donor,
            amount=float(total),
            currency=currency,
            date=first,
            category=Category.IN_KIND,
            status=Status(status),
            visibility=Visibility(visibility),
            description=f"{n} contributions summed",
        )
        for (donor, currency, y, status, visibility, inside), first, total, n in groups
    ]
    return summed + linked


def key_options(scenario: Scenario) -> dict[str, Any]:
    """The scenario's optional key rules as stored: only those it sets."""
    options: dict[str, Any] = {}
    if scenario.key_years:
        options["years"] = list(scenario.key_years)
    for name in ("floor", "ceiling", "gradient"):
        value = getattr(scenario, f"key_{name}")
        if value is not None:
            options[name] = value
    if scenario.fx_rule is not FxRule.ANNUAL:
        options["fx_rule"] = scenario.fx_rule.value
    if scenario.periods:
        options["periods"] = [list(p) for p in scenario.periods]
    return options


def key_fields(options: dict[str, Any]) -> dict[str, Any]:
    """Scenario keyword arguments from stored key options."""
    fields: dict[str, Any] = {
        f"key_{k}": v for k, v in options.items() if k not in ("years", "fx_rule", "periods")
    }
    if "periods" in options:
        fields["periods"] = tuple((int(y), int(k)) for y, k in options["periods"])
    if "fx_rule" in options:
        fields["fx_rule"] = FxRule(options["fx_rule"])
    if "years" in options:
        fields["key_years"] = tuple(int(y) for y in options["years"])
    return fields


def _row(session: Session, contribution_id: str, *, events: bool = False) -> ContributionRow | None:
    """The stored row of a contribution (with its events loaded when asked), or None."""
    query = select(ContributionRow).where(ContributionRow.external_id == contribution_id)
    if events:
        query = query.options(selectinload(ContributionRow.events))
    return session.scalar(query)


def _funders_of(cells: list[Any] | None) -> tuple[Funder, ...]:
    return tuple(Funder(str(i), float(share)) for i, share in cells or ())


# How a stored column's value becomes the record's: enums by their value, funders by pairs.
_FROM_COLUMN: dict[str, Any] = {
    **{name: kind for name, kind in ENUMS.items() if name in STORED},
    "funders": _funders_of,
}


def _to_domain(row: ContributionRow) -> Contribution:
    values = {n: getattr(row, n) for n in STORED}
    for name, convert in _FROM_COLUMN.items():
        values[name] = convert(values[name])
    return Contribution(id=row.external_id, status=Status(row.status), **values)


def _check_flow(session: Session, contribution: Contribution) -> None:
    """Funders are known nations in shares adding to one; the parent is another stored flow."""
    check_funders(contribution)
    field = f"contributions[{contribution.id}]"
    for f in contribution.funders:
        if session.get(NationRow, f.iso3) is None:
            raise InputError(f"{field}.funders", f"unknown nation {f.iso3!r}")
    parent = contribution.parent
    seen = {contribution.id}
    while parent is not None:
        if parent in seen:
            raise InputError(f"{field}.parent", "makes a cycle")
        row = _row(session, parent)
        if row is None:
            raise InputError(f"{field}.parent", f"unknown contribution {parent!r}")
        seen.add(parent)
        parent = row.parent


def list_contributions(
    session: Session,
    *,
    donor: str | None = None,
    status: Status | None = None,
    id_prefix: str | None = None,
) -> list[Contribution]:
    """Stored contributions, optionally of one donor, in one status or with an id prefix."""
    query = select(ContributionRow).order_by(ContributionRow.date, ContributionRow.external_id)
    if id_prefix is not None:
        query = query.where(ContributionRow.external_id.startswith(id_prefix, autoescape=True))
    if donor is not None:
        query = query.where(ContributionRow.donor == donor)
    if status is not None:
        query = query.where(ContributionRow.status == status.value)
    return [_to_domain(r) for r in session.scalars(query)]


def _append_event(
    session: Session, row: ContributionRow, to: Status, *, actor: str, reason: str
) -> None:
    from_status = Status(row.status) if row.events else None
    session.add(
        ContributionEventRow(
            contribution=row,
            at=datetime.now(UTC),
            actor=actor,
            from_status=from_status.value if from_status else None,
            to_status=to.value,
            reason=reason,
        )
    )
    row.status = to.value


_FACTS = attrgetter(*STORED)
_ENUMS = tuple(i for i, name in enumerate(STORED) if name in ENUMS)
_FUNDERS = STORED.index("funders")


def column_values(c: Contribution) -> list[Any]:
    """A contribution's facts as its row's columns `STORED` hold them (status and keys aside):
    enums by their value, funders as [[iso3, share], ...] or NULL."""
    values = list(_FACTS(c))
    for i in _ENUMS:
        values[i] = values[i].value
    funders = values[_FUNDERS]
    values[_FUNDERS] = [[f.iso3, f.share] for f in funders] if funders else None
    return values


def row_values(c: Contribution) -> dict[str, Any]:
    """A contribution's facts by column name (see `column_values`)."""
    return dict(zip(STORED, column_values(c), strict=True))


def upsert_contribution(
    session: Session, contribution: Contribution, *, actor: str, reason: str
) -> bool:
    """Create or update a contribution by its id; a status change goes through the lifecycle.

    A status behind the stored one is kept as stored: the ledger has moved on since the
    source was written. Returns whether anything changed.
    """
    field = f"contributions[{contribution.id}]"
    check_id(contribution.id, f"{field}.id")
    check_amount(contribution.status, contribution.amount, field=field)
    if session.get(NationRow, contribution.donor) is None:
        raise InputError(f"{field}.donor", f"unknown nation {contribution.donor!r}")
    fx_store.check_contributions(fx_store.table(session), [contribution])
    row = _row(session, contribution.id, events=True)
    values = row_values(contribution)
    _check_flow(session, contribution)
    if row is None:
        row = ContributionRow(external_id=contribution.id, status=contribution.status.value)
        row.events = []
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        _append_event(session, row, contribution.status, actor=actor, reason=reason)
        return True
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if row.status != contribution.status.value and not is_behind(
        contribution.status, Status(row.status)
    ):
        check_transition(Status(row.status), contribution.status, field=field)
        _append_event(session, row, contribution.status, actor=actor, reason=reason)
        changed = True
    check_amount(Status(row.status), row.amount, field=field)
    return changed


def note_event(session: Session, contribution_id: str, *, actor: str, reason: str) -> None:
    """Append an event that keeps the status: a revision of the row's facts, and why."""
    row = _row(session, contribution_id, events=True)
    if row is None:
        raise InputError(f"contributions[{contribution_id}]", "no such contribution")
    _append_event(session, row, Status(row.status), actor=actor, reason=reason)


def withdraw(session: Session, contribution_id: str, *, actor: str, reason: str) -> None:
    """Cancel a contribution its source no longer reports, whatever its status (never delete).

    Not a lifecycle move but a correction of the record: a delivered row a tracker withdraws
    was never delivered as recorded, so it is cancelled with the source's reason.
    """
    row = _row(session, contribution_id, events=True)
    if row is None:
        raise InputError(f"contributions[{contribution_id}]", "no such contribution")
    if row.status != Status.CANCELLED.value:
        _append_event(session, row, Status.CANCELLED, actor=actor, reason=reason)


def change_status(
    session: Session, contribution_id: str, to: Status, *, actor: str, reason: str
) -> Contribution:
    """Move a stored contribution to status `to`, appending the event; returns it after."""
    field = f"contributions[{contribution_id}]"
    row = _row(session, contribution_id, events=True)
    if row is None:
        raise InputError(field, "no such contribution")
    check_transition(Status(row.status), to, field=field)
    check_amount(to, row.amount, field=field)
    _append_event(session, row, to, actor=actor, reason=reason)
    session.flush()
    return _to_domain(row)


def contribution_history(session: Session, contribution_id: str) -> list[ContributionEvent]:
    """A contribution's status events, oldest first."""
    row = _row(session, contribution_id, events=True)
    if row is None:
        raise InputError(f"contributions[{contribution_id}]", "no such contribution")
    return [
        ContributionEvent(
            at=e.at,
            actor=e.actor,
            from_status=Status(e.from_status) if e.from_status else None,
            to_status=Status(e.to_status),
            reason=e.reason,
        )
        for e in row.events
    ]


def get_contribution(session: Session, contribution_id: str) -> tuple[Contribution, int] | None:
    """A contribution and its version, or None."""
    row = _row(session, contribution_id)
    return None if row is None else (_to_domain(row), row.version)


def update_contribution(
    session: Session, contribution_id: str, changes: dict[str, object], *, expected: int | None
) -> tuple[Contribution, int]:
    """Change a contribution's facts if its version is still `expected` (when given).

    Raises StaleVersion when another write got there first.
    """
    row = _row(session, contribution_id)
    if row is None:
        raise InputError(f"contributions[{contribution_id}]", "no such contribution")
    if expected is not None and row.version != expected:
        raise StaleVersion(row.version)
    for key, value in changes.items():
        setattr(row, key, value.value if hasattr(value, "value") else value)
    check_amount(Status(row.status), row.amount, field=f"contributions[{contribution_id}]")
    try:
        session.flush()
    except StaleDataError:
        # Another writer committed between our read and our write: the version moved on.
        # Without If-Match it is a lost race (the store's WriteConflict, a 409).
        if expected is None:
            raise
        raise StaleVersion(None) from None
    return _to_domain(row), row.version


class StaleVersion(Exception):
    """The row changed since the version the caller read (now at `current`, if known)."""

    def __init__(self, current: int | None) -> None:
        super().__init__(f"version is now {current}" if current else "version changed")
        self.current = current


def page_contributions(
    session: Session,
    *,
    visible_to: tuple[bool, bool, str | None],
    donor: str | None = None,
    category: str | None = None,
    status: str | None = None,
    channel: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[tuple[Contribution, int]], int]:
    """One page of contributions with their versions, and how many match in all.

    `visible_to` is (everything?, signed in?, nation): the visibility rule as the database
    applies it, so that hidden rows are never counted, filtered or paged.
    """
    everything, signed_in, nation = visible_to
    query = select(ContributionRow)
    if not everything:
        allowed = ["public", "alliance"] if signed_in else ["public"]
        rule: ColumnElement[bool] = ContributionRow.visibility.in_(allowed)
        if nation:
            rule = or_(rule, ContributionRow.donor == nation)
        query = query.where(rule)
    for column, value in (
        (ContributionRow.donor, donor),
        (ContributionRow.category, category),
        (ContributionRow.status, status),
        (ContributionRow.channel, channel),
    ):
        if value is not None:
            query = query.where(column == value)
    if date_from is not None:
        query = query.where(ContributionRow.date >= date_from)
    if date_to is not None:
        query = query.where(ContributionRow.date <= date_to)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(ContributionRow.date, ContributionRow.external_id)
        .limit(limit)
        .offset(offset)
    )
    return [(_to_domain(r), r.version) for r in rows], total
