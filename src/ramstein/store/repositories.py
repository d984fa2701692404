"""Read and write the ledger's rows as domain values; the caller owns the transaction."""

from __future__ import annotations

import math
import re
import secrets
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ramstein.domain.access import Action, Viewer, may, visible
from ramstein.domain.contribution_schema import ENUMS, STORED
from ramstein.domain.contributions import (
    COUNTED_STATUSES,
    Category,
    Contribution,
    ContributionEvent,
    Funder,
    Status,
    TitleTransfer,
    Visibility,
    check_visibility,
)
from ramstein.domain.errors import InputError
from ramstein.domain.lifecycle import check_amount, check_title, check_transition, is_behind
from ramstein.domain.money import FxRate, FxRule, FxTable
from ramstein.domain.nations import IndicatorValue, Nation, NationGroup
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.domain.types import check_id
from ramstein.shares.credit import EUR_TOLERANCE, check_funders, to_eur
from ramstein.store import fx as fx_store
from ramstein.store import sums
from ramstein.store.access import visible_clause
from ramstein.store.models import (
    LINKED,
    ContributionEventRow,
    ContributionRow,
    FxRateRow,
    IndicatorRow,
    NationRow,
    ScenarioRow,
    TitleTransferRow,
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
    session: Session,
    *,
    condensed: bool = False,
    viewer: Viewer | None = None,
    year: int | None = None,
) -> Scenario | None:
    """The current scenario with its members' indicators, all FX rates and their contributions.

    `condensed` sums the counting contributions in the database (see `condensed_contributions`):
    the same shares at any ledger size, without per-contribution detail. With a `viewer`, the
    scenario holds only the contributions that viewer may see: everything computed from it
    is then computed as on a store without the others.
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
                condensed_contributions(session, start, end, viewer)
                if condensed
                else list_contributions(session, viewer=viewer)
            )
            if c.donor in set(members)
        ),
        **options,
        partial=True,
    )
    return scenario.for_period(year) if year is not None else scenario


def condensed_contributions(
    session: Session, start: date, end: date, viewer: Viewer | None = None
) -> list[Contribution]:
    """The counting contributions, summed in the database where credit is plain.

    Contributions with funders or a parent, and the parents of others, come one by one (their
    credit needs them whole). All others that count (contracted, shipped or delivered, with an
    amount) are summed by donor, currency, year, status, visibility and whether they lie in the
    period [start, end], from the monthly sums kept beside the ledger (`store.sums`): each
    sum stands in for its rows, dated at its first row. Shares, disclosure control and
    what-ifs are unchanged by the summing (up to float rounding). With a `viewer`, only the
    rows and sums it may see (the sums keep each row's visibility and donor apart).
    """
    table = ContributionRow
    # Few flows are linked: found by their partial index, and their parents by id. A parent
    # is never in the sums, even when its children are hidden from the viewer.
    linked_rows = list(session.scalars(select(table).where(LINKED)))
    parents = sorted({r.parent for r in linked_rows if r.parent})
    for i in range(0, len(parents), 500):
        linked_rows += session.scalars(
            select(table).where(table.external_id.in_(parents[i : i + 500]), ~LINKED)
        )
    linked = sorted(
        (
            contribution_of(r)
            for r in linked_rows
            if viewer is None or visible(viewer, r.visibility, r.donor)
        ),
        key=lambda c: (c.date, c.id),
    )
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
        if viewer is None or visible(viewer, visibility, donor)
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


def contribution_of(row: ContributionRow) -> Contribution:
    """The contribution a stored row holds."""
    values = {n: getattr(row, n) for n in STORED}
    for name, convert in _FROM_COLUMN.items():
        values[name] = convert(values[name])
    return Contribution(id=row.external_id, status=Status(row.status), **values)


# An id that begins with a nation's code and a hyphen (`DEU-...`) is that nation's: only its
# rows carry it. So a nation choosing ids under its own prefix can only ever collide with
# a row of its own, which it sees: an id never tells one nation of another's rows.
_PREFIX = re.compile(r"^([A-Z]{3})-")
# Dates outside these years are typing errors, not contributions.
FIRST_YEAR, LAST_YEAR = 1991, 2100


def own_ids(
    session: Session,
    rid: str,
    donor: str,
    writer: Viewer | None,
    field: str,
    *,
    nations: set[str] | None = None,
) -> None:
    """Ids under a nation's prefix are that nation's; a nation account uses its own prefix
    (contributions and offers alike). `nations`: the known ISO3 codes, when the caller
    checks many rows (else each prefix is looked up)."""
    own = writer.nation if writer is not None and writer.role.value == "nation" else None
    if own is not None and not rid.startswith(f"{own}-"):
        raise InputError(field, f"must begin with {own}- (or leave it out to have one assigned)")
    found = _PREFIX.match(rid)
    if not found or found[1] == donor:
        return
    known = found[1] in nations if nations is not None else session.get(NationRow, found[1])
    if known:
        raise InputError(field, f"ids beginning {found[1]}- belong to {found[1]}'s rows")


def _check_id(session: Session, contribution: Contribution, writer: Viewer | None) -> None:
    own_ids(
        session, contribution.id, contribution.donor, writer, f"contributions[{contribution.id}].id"
    )


def new_contribution_id(session: Session, donor: str) -> str:
    """A fresh id under the donor's prefix, random so that it tells nothing of other rows."""
    while True:
        cid = f"{donor}-{secrets.token_hex(6).upper()}"
        if _row(session, cid) is None:
            return cid


def check_new_id(session: Session, contribution: Contribution, writer: Viewer | None) -> None:
    """Refuse an unknown donor, or an id the writer may not choose (see `_check_id`), before
    looking the id up."""
    if session.get(NationRow, contribution.donor) is None:
        field = f"contributions[{contribution.id}].donor"
        raise InputError(field, f"unknown nation {contribution.donor!r}")
    _check_id(session, contribution, writer)


def _check_values(contribution: Contribution) -> None:
    """Every field as the shared figures need it: a finite amount, a real date."""
    field = f"contributions[{contribution.id}]"
    if contribution.amount is not None and not (
        math.isfinite(contribution.amount) and contribution.amount >= 0
    ):
        raise InputError(f"{field}.amount", "must be a finite amount, zero or more")
    if not FIRST_YEAR <= contribution.date.year <= LAST_YEAR:
        raise InputError(f"{field}.date", f"must lie in {FIRST_YEAR}-{LAST_YEAR}")
    check_visibility(contribution.visibility, field=field)


def _check_fields(session: Session, contribution: Contribution) -> None:
    """Every field as the shared figures need it: finite amount, real date, a rate to EUR."""
    _check_values(contribution)
    # The one write-time rate check (store/fx.py): a currency with rates, one for its day.
    fx_store.check_contributions(fx_store.table(session), [contribution])


def _check_funders(contribution: Contribution, writer: Viewer | None, nations: set[str]) -> None:
    """Funders are known nations in shares adding to one, others than the donor only when a
    coordinator (or the operator) writes."""
    check_funders(contribution)
    field = f"contributions[{contribution.id}]"
    for f in contribution.funders:
        if f.iso3 not in nations:
            raise InputError(f"{field}.funders", f"unknown nation {f.iso3!r}")
        if f.iso3 != contribution.donor and writer and not may(writer, Action.NAME_FUNDERS):
            raise InputError(f"{field}.funders", "only coordinators may name other nations")


def _check_flow(session: Session, contribution: Contribution, writer: Viewer | None) -> None:
    """Funders as `_check_funders`; the parent is another stored flow the writer may see, and
    an unknown and an unseen parent get the same answer."""
    named = {f.iso3 for f in contribution.funders}
    _check_funders(
        contribution, writer, {n for n in named if session.get(NationRow, n) is not None}
    )
    field = f"contributions[{contribution.id}]"
    parent = contribution.parent
    if parent is not None:
        row = _row(session, parent)
        if row is None or not _sees(writer, row):
            raise InputError(f"{field}.parent", f"unknown contribution {parent!r}")
    seen = {contribution.id}
    while parent is not None:
        if parent in seen:
            raise InputError(f"{field}.parent", "makes a cycle")
        row = _row(session, parent)
        if row is None:
            break
        seen.add(parent)
        parent = row.parent


def check_new_rows(session: Session, new: list[Contribution], fx: FxTable | None = None) -> None:
    """The checks of `upsert_contribution`, for rows about to be written in bulk (before
    anything is): every bulk path is the operator's or a coordinator's (writer None), so
    funders may name other nations and every stored row may be a parent. Raises InputError
    naming the first bad row."""
    nations = set(session.scalars(select(NationRow.iso3)))
    ids = {c.id for c in new}
    for c in new:
        field = f"contributions[{c.id}]"
        check_id(c.id, f"{field}.id")
        check_amount(c.status, c.amount, field=field)
        if c.donor not in nations:
            raise InputError(f"{field}.donor", f"unknown nation {c.donor!r}")
        own_ids(session, c.id, c.donor, None, f"{field}.id", nations=nations)
        _check_values(c)
        _check_funders(c, None, nations)
    fx_store.check_contributions(fx or fx_store.table(session), new)
    # Parents: another row of the same write, or a stored one; no chain of them a cycle.
    parent_of = {c.id: c.parent for c in new}
    outside = sorted({c.parent for c in new if c.parent is not None} - ids)
    for i in range(0, len(outside), 500):
        chunk = outside[i : i + 500]
        query = select(ContributionRow.external_id, ContributionRow.parent)
        for cid, parent in session.execute(query.where(ContributionRow.external_id.in_(chunk))):
            parent_of[cid] = parent
    for c in new:
        field = f"contributions[{c.id}].parent"
        if c.parent is not None and c.parent not in parent_of:
            raise InputError(field, f"unknown contribution {c.parent!r}")
        seen, parent = {c.id}, c.parent
        while parent is not None and parent in parent_of:
            if parent in seen:
                raise InputError(field, "makes a cycle")
            seen.add(parent)
            parent = parent_of[parent]


def check_new_flows(session: Session, new: list[Contribution], fx: FxTable | None = None) -> None:
    """After rows written in bulk: no flow passes on more than it got (`_check_passed_on`
    for each parent the new rows name)."""
    checked: set[str] = set()
    fx = fx or fx_store.table(session)
    for c in new:
        if c.parent is not None and c.parent not in checked:
            checked.add(c.parent)
            _check_passed_on(session, c, None, fx)


def _sees(writer: Viewer | None, row: ContributionRow) -> bool:
    return writer is None or visible(writer, row.visibility, row.donor)


def _check_passed_on(
    session: Session,
    contribution: Contribution,
    writer: Viewer | None,
    fx: FxTable | None = None,
) -> None:
    """No flow passes on more than it got, among the flows the writer may see (so that the
    answer tells nothing of others); shares never depend on it, it only catches mistakes."""
    fx = fx or fx_store.table(session)
    field = f"contributions[{contribution.id}]"
    families = []
    if contribution.parent is not None:
        families.append(contribution.parent)
    families.append(contribution.id)
    for parent_id in families:
        parent = _row(session, parent_id)
        if parent is None or parent.amount is None:
            continue
        children = [
            contribution_of(r)
            for r in session.scalars(
                select(ContributionRow).where(ContributionRow.parent == parent_id)
            )
            if _sees(writer, r)
        ]
        passed = math.fsum(to_eur(c, fx) for c in children)
        if passed > to_eur(contribution_of(parent), fx) + EUR_TOLERANCE:
            target = "amount" if parent_id == contribution.id else "parent"
            raise InputError(
                f"{field}.{target}", f"flows from {parent_id!r} would add up to more than it"
            )


def list_contributions(
    session: Session,
    *,
    donor: str | None = None,
    status: Status | None = None,
    id_prefix: str | None = None,
    viewer: Viewer | None = None,
) -> list[Contribution]:
    """Stored contributions (those a `viewer` may see, if given), optionally of one donor,
    in one status or with an id prefix, by date then id."""
    query = select(ContributionRow).order_by(ContributionRow.date, ContributionRow.external_id)
    if viewer is not None:
        query = query.where(
            visible_clause(viewer, ContributionRow.visibility, ContributionRow.donor)
        )
    if id_prefix is not None:
        query = query.where(ContributionRow.external_id.startswith(id_prefix, autoescape=True))
    if donor is not None:
        query = query.where(ContributionRow.donor == donor)
    if status is not None:
        query = query.where(ContributionRow.status == status.value)
    return [contribution_of(r) for r in session.scalars(query)]


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
    session: Session,
    contribution: Contribution,
    *,
    actor: str,
    reason: str,
    writer: Viewer | None = None,
) -> bool:
    """Create or update a contribution by its id; a status change goes through the lifecycle.

    A status behind the stored one is kept as stored: the ledger has moved on since the
    source was written. Returns whether anything changed. Every field is checked (so that
    no stored row can make a shared figure fail); `writer` is the account writing (None:
    the operator at the command line), whose lane `_check_id` and `_check_flow` keep.
    """
    field = f"contributions[{contribution.id}]"
    check_id(contribution.id, f"{field}.id")
    check_amount(contribution.status, contribution.amount, field=field)
    if session.get(NationRow, contribution.donor) is None:
        raise InputError(f"{field}.donor", f"unknown nation {contribution.donor!r}")
    _check_id(session, contribution, writer)
    _check_fields(session, contribution)
    row = _row(session, contribution.id, events=True)
    values = row_values(contribution)
    _check_flow(session, contribution, writer)
    if row is None:
        row = ContributionRow(external_id=contribution.id, status=contribution.status.value)
        row.events = []
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        _append_event(session, row, contribution.status, actor=actor, reason=reason)
        session.flush()
        _check_passed_on(session, contribution, writer)
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
    if changed:
        session.flush()
        _check_passed_on(session, contribution, writer)
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
    session: Session,
    contribution_id: str,
    to: Status,
    *,
    actor: str,
    reason: str,
    title: TitleTransfer | None = None,
) -> Contribution:
    """Move a stored contribution to status `to`, appending the event; returns it after.

    A move to delivered records when and where title passed (`title`, required then).
    """
    field = f"contributions[{contribution_id}]"
    row = _row(session, contribution_id, events=True)
    if row is None:
        raise InputError(field, "no such contribution")
    check_transition(Status(row.status), to, field=field)
    check_amount(to, row.amount, field=field)
    check_title(to, title, field=field)
    if title is not None and not FIRST_YEAR <= title.on.year <= LAST_YEAR:
        raise InputError(f"{field}.on", f"must lie in {FIRST_YEAR}-{LAST_YEAR}")
    _append_event(session, row, to, actor=actor, reason=reason)
    if title is not None:
        session.add(
            TitleTransferRow(
                contribution_id=row.id,
                on=title.on,
                place=title.place.strip(),
                actor=actor,
                at=datetime.now(UTC),
            )
        )
    session.flush()
    return contribution_of(row)


def title_of(session: Session, contribution_id: str) -> TitleTransfer | None:
    """When and where title to a contribution passed, if its delivery recorded it."""
    row = _row(session, contribution_id)
    if row is None:
        return None
    title = session.get(TitleTransferRow, row.id)
    return None if title is None else TitleTransfer(title.on, title.place)


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
    return None if row is None else (contribution_of(row), row.version)


def update_contribution(
    session: Session,
    contribution_id: str,
    changes: dict[str, object],
    *,
    expected: int | None,
    writer: Viewer | None = None,
) -> tuple[Contribution, int]:
    """Change a contribution's facts if its version is still `expected` (when given),
    checking every field as `upsert_contribution` does.

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
    changed = contribution_of(row)
    with session.no_autoflush:  # a concurrent writer's version shows at the flush below
        _check_fields(session, changed)
    try:
        session.flush()
    except StaleDataError:
        # Another writer committed between our read and our write: the version moved on.
        # Without If-Match it is a lost race (the store's WriteConflict, a 409).
        if expected is None:
            raise
        raise StaleVersion(None) from None
    _check_passed_on(session, changed, writer)
    return contribution_of(row), row.version


class StaleVersion(Exception):
    """The row changed since the version the caller read (now at `current`, if known)."""

    def __init__(self, current: int | None) -> None:
        super().__init__(f"version is now {current}" if current else "version changed")
        self.current = current


def page_contributions(
    session: Session,
    *,
    viewer: Viewer,
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

    The viewer's access rule is applied by the database (`visible_clause`), so that hidden
    rows are never counted, filtered or paged.
    """
    query = select(ContributionRow).where(
        visible_clause(viewer, ContributionRow.visibility, ContributionRow.donor)
    )
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
    return [(contribution_of(r), r.version) for r in rows], total
