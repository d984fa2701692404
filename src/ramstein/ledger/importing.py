"""Imports of contributions, offers and requirements: every bad row reported, or all written.

Each import is one transaction. Rows are checked first, all of them; if any is bad, the
report lists every bad row (row number, column, reason) and nothing is written. Rows are
keyed by their `id`, so importing the same file again changes nothing. New contributions
are written in bulk (a million rows is a normal national ledger export), with their first
lifecycle event each and one audit record for the import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from typing import TYPE_CHECKING, Annotated, Any, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from ramstein.domain.contributions import (
    Category,
    Channel,
    Contribution,
    Funder,
    Status,
    Visibility,
)
from ramstein.domain.errors import ImportRejected, InputError, RowError
from ramstein.domain.items import Offer, Requirement
from ramstein.domain.lifecycle import check_amount
from ramstein.domain.sheets import Row, columns
from ramstein.domain.text import printable_id
from ramstein.shares.credit import check_funders
from ramstein.store import audit, catalog, sums
from ramstein.store import repositories as repo
from ramstein.store.models import ContributionEventRow, ContributionRow, NationRow

if TYPE_CHECKING:
    import psycopg

Tick = Callable[[int], None]
ISO3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
RowId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[^\s/]+$"),
    AfterValidator(printable_id),
]
BULK = 5000


@dataclass(frozen=True)
class ImportSummary:
    """What an import did."""

    created: int
    changed: int
    unchanged: int


class _Lax(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


class ContributionRowDoc(_Lax):
    id: RowId
    donor: ISO3
    amount: Annotated[float, Field(ge=0, le=1e15)] | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"
    date: date
    category: Category
    status: Status
    visibility: Visibility = Visibility.PUBLIC
    channel: Channel = Channel.BILATERAL
    recipient: ISO3 = "UKR"
    funders: str = ""
    parent: RowId | None = None
    source: Annotated[str, StringConstraints(max_length=2000)] = ""
    description: Annotated[str, StringConstraints(max_length=2000)] = ""


def _blank_to_default(cells: dict[str, str]) -> dict[str, Any]:
    """Empty cells mean 'not given', so that the field's default (or None) applies."""
    return {k: v for k, v in cells.items() if v != ""}


def _pydantic_errors(row: int, exc: ValidationError) -> list[RowError]:
    return [
        RowError(row, str(e["loc"][0]) if e["loc"] else "(row)", e["msg"]) for e in exc.errors()
    ]


def _funders(text: str) -> tuple[Funder, ...]:
    parts = []
    for token in text.replace(",", " ").split():
        iso3, _, share = token.partition(":")
        try:
            parts.append(Funder(iso3.strip().upper(), float(share)))
        except ValueError:
            raise ValueError(f"{token!r} is not ISO3:share") from None
    return tuple(parts)


def _check_header(header: list[str], kind: str, required: Iterable[str]) -> None:
    known = {c.name for c in columns(kind)}
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError("header", f"missing column(s) {', '.join(missing)}")
    unknown = [h for h in header if h and h not in known]
    if unknown:
        raise InputError("header", f"unknown column(s) {', '.join(unknown)}")


def parse_contributions(
    header: list[str],
    rows: Iterable[Row],
    nations: set[str],
    stored_ids: Callable[[set[str]], set[str]],
    tick: Tick | None = None,
) -> list[Contribution]:
    """Contributions from rows; raises ImportRejected listing every bad row."""
    _check_header(header, "contributions", ("id", "donor", "date", "category", "status"))
    found: list[Contribution] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    rows_of: dict[str, int] = {}
    for row in rows:
        if tick is not None:
            tick(1)
        try:
            doc = ContributionRowDoc.model_validate(_blank_to_default(row.cells))
        except ValidationError as exc:
            errors.extend(_pydantic_errors(row.number, exc))
            donor = row.cells.get("donor", "").strip()
            if donor and donor not in nations and all(e["loc"] != ("donor",) for e in exc.errors()):
                errors.append(RowError(row.number, "donor", f"unknown nation {donor!r}"))
            continue
        bad = len(errors)
        if doc.id in first_row:
            errors.append(
                RowError(row.number, "id", f"{doc.id!r} is also on row {first_row[doc.id]}")
            )
        first_row.setdefault(doc.id, row.number)
        if doc.donor not in nations:
            errors.append(RowError(row.number, "donor", f"unknown nation {doc.donor!r}"))
        try:
            funders = _funders(doc.funders)
        except ValueError as exc:
            errors.append(RowError(row.number, "funders", str(exc)))
            funders = ()
        c = Contribution(
            id=doc.id,
            donor=doc.donor,
            amount=doc.amount,
            currency=doc.currency,
            date=doc.date,
            category=doc.category,
            status=doc.status,
            visibility=doc.visibility,
            channel=doc.channel,
            recipient=doc.recipient,
            source=doc.source,
            description=doc.description,
            funders=funders,
            parent=doc.parent,
        )
        try:
            check_amount(c.status, c.amount, field="")
        except InputError as exc:
            errors.append(RowError(row.number, "amount", exc.message))
        try:
            check_funders(c, nations)
        except InputError as exc:
            errors.append(RowError(row.number, "funders", exc.message))
        if len(errors) == bad:
            found.append(c)
            rows_of[c.id] = row.number
    # A parent is another row of the file or a stored contribution.
    parents = {c.parent for c in found if c.parent is not None}
    known = set(first_row) | stored_ids(parents - set(first_row))
    for c in found:
        if c.parent is not None and c.parent not in known:
            errors.append(RowError(rows_of[c.id], "parent", f"unknown contribution {c.parent!r}"))
        if c.parent == c.id:
            errors.append(RowError(rows_of[c.id], "parent", "is the row itself"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))
    return found


def stored_ids(session: Session) -> Callable[[set[str]], set[str]]:
    """A lookup of which of some contribution ids are stored."""

    def lookup(ids: set[str]) -> set[str]:
        found: set[str] = set()
        wanted = sorted(ids)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            found |= set(
                session.scalars(
                    select(ContributionRow.external_id).where(
                        ContributionRow.external_id.in_(chunk)
                    )
                )
            )
        return found

    return lookup


def known_nations(session: Session) -> set[str]:
    """The ISO3 codes the store knows."""
    return set(session.scalars(select(NationRow.iso3)))


def write_contributions(
    session: Session,
    contributions: list[Contribution],
    *,
    actor: str,
    reason: str,
    tick: Tick | None = None,
) -> ImportSummary:
    """Create new contributions in bulk and update changed ones through the lifecycle."""
    ids = {c.id for c in contributions}
    existing: dict[str, tuple[Any, ...]] = {}
    if ids:
        cols = [
            getattr(ContributionRow, k)
            for k in ("external_id", "status", *repo.row_values(contributions[0]))
        ]
        for row in session.execute(select(*cols)):
            if row[0] in ids:
                existing[row[0]] = tuple(row[1:])
    new = [c for c in contributions if c.id not in existing]
    changed = [
        c
        for c in contributions
        if c.id in existing and existing[c.id] != (c.status.value, *repo.row_values(c).values())
    ]
    # Parents first, so that each link finds its row when it is checked.
    new.sort(key=lambda c: c.parent is not None)
    now = datetime.now(UTC)
    if new:
        # The chain's lock first: keys are assigned here, and the record follows the rows.
        audit.lock(session)
        leaves = _insert_new(session, new, now=now, actor=actor, reason=reason, tick=tick)
        audit.record_bulk(session, "import", "contributions", leaves)
    for c in changed:
        repo.upsert_contribution(session, c, actor=actor, reason=reason)
        if tick is not None:
            tick(1)
    session.flush()
    return ImportSummary(len(new), len(changed), len(contributions) - len(new) - len(changed))


EVENT_COLUMNS = ["id", "contribution_id", "at", "actor", "from_status", "to_status", "reason"]


def _same(value: Any) -> Any:
    return value


def _copy(
    connection: Connection,
    table_name: str,
    cols: list[str],
    rows: Iterator[tuple[Any, ...]],
    tick: Tick | None,
) -> None:
    """Rows into a PostgreSQL table by COPY, in this transaction: one stream, no statements."""
    raw = cast("psycopg.Connection[Any]", connection.connection.dbapi_connection)
    n = 0
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table_name} ({', '.join(cols)}) FROM STDIN") as copy,
    ):
        for n, row in enumerate(rows, start=1):
            copy.write_row(row)
            if tick is not None and n % BULK == 0:
                tick(BULK)
        if tick is not None and n % BULK:
            tick(n % BULK)


def _insert_new(
    session: Session,
    new: list[Contribution],
    *,
    now: datetime,
    actor: str,
    reason: str,
    tick: Tick | None,
) -> list[audit.Leaf]:
    """Insert new contributions and their first events in bulk, with keys assigned here;
    returns the audit leaf of every row written.

    Keys can be assigned here because every writer holds the audit chain's lock (taken by
    `audit.lock` before this runs); PostgreSQL's sequences are moved past them after.
    """
    connection = session.connection()
    dialect = connection.dialect
    first = (session.scalar(select(func.max(ContributionRow.id))) or 0) + 1
    first_event = (session.scalar(select(func.max(ContributionEventRow.id))) or 0) + 1
    leaves = _leaves(new, first, first_event, now, actor, reason)
    # COPY on PostgreSQL, the driver's own executemany on SQLite, values converted once by
    # the columns' own processors: SQLAlchemy's per-row parameter handling would cost more
    # than the inserts themselves.
    table, log = ContributionRow.__table__, ContributionEventRow.__table__
    names = ["id", "external_id", "status", "version", *repo.row_values(new[0])]
    day = table.c.date.type.dialect_impl(dialect).bind_processor(dialect) or _same
    blob = table.c.funders.type.dialect_impl(dialect).bind_processor(dialect) or _same
    at = (log.c.at.type.dialect_impl(dialect).bind_processor(dialect) or _same)(now)
    contribution_rows = (
        (
            first + k,
            c.id,
            c.status.value,
            1,
            c.donor,
            c.recipient,
            c.amount,
            c.currency,
            day(c.date),
            c.category.value,
            c.channel.value,
            c.visibility.value,
            c.source,
            c.description,
            blob([[f.iso3, f.share] for f in c.funders]) if c.funders else None,
            c.parent,
        )
        for k, c in enumerate(new)
    )
    event_rows = (
        (first_event + k, first + k, at, actor, None, c.status.value, reason)
        for k, c in enumerate(new)
    )
    with audit.bulk_write(session):
        _write_rows(connection, names, contribution_rows, event_rows, tick)
    sums.touch(
        session,
        {(c.donor, c.date.year, c.date.month) for c in new},
        {c.parent for c in new if c.parent is not None},
    )
    # Fresh statistics, or the planner takes a million new rows for an empty table.
    connection.exec_driver_sql("ANALYZE contributions")
    connection.exec_driver_sql("ANALYZE contribution_events")
    if connection.dialect.name == "postgresql":
        for name in ("contributions", "contribution_events"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            )
    return leaves


def _leaves(
    new: list[Contribution],
    first: int,
    first_event: int,
    now: datetime,
    actor: str,
    reason: str,
) -> list[audit.Leaf]:
    """The audit leaf (state digest) of each contribution and first event about to be
    written, computed from the values as the rows will hold them."""
    shapes = audit.audited_tables()
    rows, events = shapes["contributions"], shapes["contribution_events"]
    leaves: list[audit.Leaf] = []
    for k, c in enumerate(new):
        values = {"id": first + k, "external_id": c.id, "status": c.status.value, "version": 1}
        values.update(repo.row_values(c))
        leaves.append(audit.Leaf("contributions", str(first + k), rows.digest(values)))
        event = {
            "id": first_event + k,
            "contribution_id": first + k,
            "at": now,
            "actor": actor,
            "from_status": None,
            "to_status": c.status.value,
            "reason": reason,
        }
        leaves.append(audit.Leaf("contribution_events", str(first_event + k), events.digest(event)))
    return leaves


def _write_rows(
    connection: Connection,
    names: list[str],
    contribution_rows: Iterator[tuple[Any, ...]],
    event_rows: Iterator[tuple[Any, ...]],
    tick: Tick | None,
) -> None:
    dialect = connection.dialect
    if dialect.name == "postgresql":
        _copy(connection, "contributions", names, contribution_rows, tick)
        _copy(connection, "contribution_events", EVENT_COLUMNS, event_rows, None)
    else:
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        for table_name, cols, rows, step in (
            ("contributions", names, contribution_rows, tick),
            ("contribution_events", EVENT_COLUMNS, event_rows, None),
        ):
            insert = (
                f"INSERT INTO {table_name} ({', '.join(cols)}) "
                f"VALUES ({', '.join([mark] * len(cols))})"
            )
            while chunk := list(islice(rows, BULK)):
                connection.exec_driver_sql(insert, chunk)
                if step is not None:
                    step(len(chunk))


class OfferRowDoc(_Lax):
    id: RowId
    donor: ISO3
    item: RowId
    quantity: Annotated[int, Field(gt=0, le=1_000_000)]
    available_from: date | None = None
    visibility: Visibility = Visibility.PUBLIC
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class RequirementRowDoc(_Lax):
    id: RowId
    item: RowId
    quantity: Annotated[int, Field(gt=0, le=1_000_000)]
    priority: Annotated[float, Field(gt=0, le=1e9)]
    needed_by: date | None = None
    substitutes: str = ""
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


def _catalog_rows(
    kind: str, header: list[str], rows: Iterable[Row], model: type[_Lax], required: tuple[str, ...]
) -> tuple[list[tuple[int, Any]], list[RowError]]:
    _check_header(header, kind, required)
    good: list[tuple[int, Any]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        try:
            doc = model.model_validate(_blank_to_default(row.cells))
        except ValidationError as exc:
            errors.extend(_pydantic_errors(row.number, exc))
            continue
        key = str(doc.model_dump()["id"])
        if key in seen:
            errors.append(RowError(row.number, "id", f"{key!r} is also on row {seen[key]}"))
            continue
        seen[key] = row.number
        good.append((row.number, doc))
    return good, errors


def import_offers(session: Session, header: list[str], rows: Iterable[Row]) -> ImportSummary:
    """Offers from rows (every bad row reported first); same ids update."""
    docs, errors = _catalog_rows(
        "offers", header, rows, OfferRowDoc, ("id", "donor", "item", "quantity")
    )
    items = {i.id for i in catalog.list_items(session)}
    nations = known_nations(session)
    errors += [
        RowError(n, col, msg)
        for n, d in docs
        for col, msg in (
            ("item", f"unknown item {d.item!r}") if d.item not in items else ("", ""),
            ("donor", f"unknown nation {d.donor!r}") if d.donor not in nations else ("", ""),
        )
        if col
    ]
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))
    before = {o.id: o for o in catalog.list_offers(session)}
    created = changed = 0
    for _, d in docs:
        offer = Offer(d.id, d.donor, d.item, d.quantity, d.available_from, d.visibility, d.note)
        if offer.id not in before:
            created += 1
        elif before[offer.id] != offer:
            changed += 1
        else:
            continue
        catalog.upsert_offer(session, offer)
    session.flush()
    return ImportSummary(created, changed, len(docs) - created - changed)


def import_requirements(session: Session, header: list[str], rows: Iterable[Row]) -> ImportSummary:
    """Requirements from rows (every bad row reported first); same ids update."""
    docs, errors = _catalog_rows(
        "requirements", header, rows, RequirementRowDoc, ("id", "item", "quantity", "priority")
    )
    items = {i.id for i in catalog.list_items(session)}
    for n, d in docs:
        for item in (d.item, *d.substitutes.split()):
            if item not in items:
                column = "item" if item == d.item else "substitutes"
                errors.append(RowError(n, column, f"unknown item {item!r}"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))
    before = {r.id: r for r in catalog.list_requirements(session)}
    created = changed = 0
    for _, d in docs:
        req = Requirement(
            d.id, d.item, d.quantity, d.priority, d.needed_by, tuple(d.substitutes.split()), d.note
        )
        if req.id not in before:
            created += 1
        elif before[req.id] != req:
            changed += 1
        else:
            continue
        catalog.upsert_requirement(session, req)
    session.flush()
    return ImportSummary(created, changed, len(docs) - created - changed)
