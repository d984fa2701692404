"""Tables of the ledger: nations, indicators, FX rates, scenarios, contributions and events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    or_,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every Ramstein table."""


class NationRow(Base):
    """A nation known to the ledger."""

    __tablename__ = "nations"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(20))


class IndicatorRow(Base):
    """One year's value of one indicator of one nation."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("iso3", "indicator", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    iso3: Mapped[str] = mapped_column(ForeignKey("nations.iso3"))
    indicator: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    unit: Mapped[str] = mapped_column(String(4))
    source: Mapped[str] = mapped_column(String(200))


class FxRateRow(Base):
    """One unit of `source` is worth `rate` units of `target` in `year`."""

    __tablename__ = "fx_rates"
    __table_args__ = (UniqueConstraint("source", "target", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(3))
    target: Mapped[str] = mapped_column(String(3))
    year: Mapped[int] = mapped_column(Integer)
    rate: Mapped[float] = mapped_column(Float)
    origin: Mapped[str] = mapped_column(String(200))


class FxDayRow(Base):
    """EUR 1 was worth `rate` units of `currency` on `day`: a rate imported beyond the bundle."""

    __tablename__ = "fx_days"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    rate: Mapped[float] = mapped_column(Float)
    origin: Mapped[str] = mapped_column(String(200))


class ScenarioRow(Base):
    """A burden-sharing scenario: baseline, period, key, members and opt-outs."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    baseline_amount: Mapped[float] = mapped_column(Float)
    baseline_currency: Mapped[str] = mapped_column(String(3))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    key_indicator: Mapped[str] = mapped_column(String(40))
    key_year: Mapped[int] = mapped_column(Integer)
    opt_out_share: Mapped[str] = mapped_column(String(20))
    members: Mapped[list[Any]] = mapped_column(JSON)
    opt_out: Mapped[list[Any]] = mapped_column(JSON)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    # The key's optional rules (years, floor, ceiling, gradient); null keeps the plain key.
    key_options: Mapped[dict[str, Any] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True
    )


class ContributionRow(Base):
    """A contribution; its status changes are kept as events."""

    __tablename__ = "contributions"
    __table_args__ = (
        Index("ix_contributions_donor_date", "donor", "date"),
        Index("ix_contributions_date_external_id", "date", "external_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    donor: Mapped[str] = mapped_column(ForeignKey("nations.iso3"))
    recipient: Mapped[str] = mapped_column(String(3))
    amount: Mapped[float | None] = mapped_column(Float, nullable=True)
    currency: Mapped[str] = mapped_column(String(3))
    date: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    visibility: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    # Who paid, as [[iso3, share], ...], when that is not (only) the donor.
    funders: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    # The external id of the flow whose money this one passes on (credited at the root).
    parent: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    # Optimistic concurrency: the ETag of the API; an update of a stale version fails.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    events: Mapped[list[ContributionEventRow]] = relationship(
        back_populates="contribution", order_by="ContributionEventRow.id"
    )


# A contribution whose credit needs it whole: it names funders or a parent. The few such
# flows are found by a partial index; JSON(none_as_null) stores "no funders" as SQL NULL.
LINKED = or_(ContributionRow.funders.is_not(None), ContributionRow.parent.is_not(None))
Index(
    "ix_contributions_linked",
    ContributionRow.external_id,
    sqlite_where=LINKED,
    postgresql_where=LINKED,
)


class ContributionEventRow(Base):
    """An appended status change: who, when, from, to, why. Never edited."""

    __tablename__ = "contribution_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)

    contribution: Mapped[ContributionRow] = relationship(back_populates="events")


class ContributionSumRow(Base):
    """Plain contributions summed by donor, currency, month, status and visibility.

    Derived from `contributions` and kept in step with it in the same transaction (see
    `store.sums`), so that shares cost the same at any ledger size. Plain means: an amount,
    no funders, no parent and not the parent of another flow.
    """

    __tablename__ = "contribution_sums"

    donor: Mapped[str] = mapped_column(String(3), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    visibility: Mapped[str] = mapped_column(String(20), primary_key=True)
    first_date: Mapped[date] = mapped_column(Date)
    total: Mapped[float] = mapped_column(Float)
    row_count: Mapped[int] = mapped_column(Integer)


class ItemRow(Base):
    """A type of equipment in the catalog."""

    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    # Sensitive: serial numbers are checked at dispatch, at each hub and at receipt.
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class ItemComponentRow(Base):
    """`quantity` units of `component` go into one unit of `parent`."""

    __tablename__ = "item_components"
    __table_args__ = (UniqueConstraint("parent", "component"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent: Mapped[str] = mapped_column(ForeignKey("items.id"))
    component: Mapped[str] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)


class RequirementRow(Base):
    """The recipient's requirement for an item."""

    __tablename__ = "requirements"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    item: Mapped[str] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    priority: Mapped[float] = mapped_column(Float)
    needed_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    substitutes: Mapped[list[Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text)
    coalition: Mapped[str | None] = mapped_column(
        ForeignKey("coalitions.id"), nullable=True, index=True
    )


class OfferRow(Base):
    """A donor's offer of units of an item."""

    __tablename__ = "offers"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    donor: Mapped[str] = mapped_column(ForeignKey("nations.iso3"))
    item: Mapped[str] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    available_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    visibility: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    coalition: Mapped[str | None] = mapped_column(
        ForeignKey("coalitions.id"), nullable=True, index=True
    )


class PlanRow(Base):
    """A versioned plan: who ran which planner when, on which inputs, with what result."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("kind", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    inputs_digest: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    bound: Mapped[float] = mapped_column(Float)
    optimal: Mapped[bool] = mapped_column(Boolean)
    solver: Mapped[str] = mapped_column(String(40))
    seconds: Mapped[float] = mapped_column(Float)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class NetworkRow(Base):
    """The logistics network's calendar: period 0 is `start`, periods are days or weeks."""

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[date] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(10))
    horizon: Mapped[int] = mapped_column(Integer)
    late_weight: Mapped[float] = mapped_column(Float)


class NodeRow(Base):
    """A depot, hub or destination."""

    __tablename__ = "nodes"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    throughput: Mapped[int | None] = mapped_column(Integer, nullable=True)
    owner: Mapped[str] = mapped_column(String(3))
    location: Mapped[str] = mapped_column(String(200))


class LinkRow(Base):
    """A link between two nodes."""

    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("source", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(ForeignKey("nodes.id"))
    target: Mapped[str] = mapped_column(ForeignKey("nodes.id"))
    transit: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    cost: Mapped[float] = mapped_column(Float)


class ThroughputOverrideRow(Base):
    """A hub's throughput over dated periods (a closure is throughput 0)."""

    __tablename__ = "throughput_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hub: Mapped[str] = mapped_column(ForeignKey("nodes.id"))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    throughput: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)


class ConsignmentRow(Base):
    """Pallets of one item to move, linked to the contribution or offer they fulfil."""

    __tablename__ = "consignments"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    item: Mapped[str] = mapped_column(String(200))
    pallets: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(ForeignKey("nodes.id"))
    destination: Mapped[str] = mapped_column(ForeignKey("nodes.id"))
    ready: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    priority: Mapped[float] = mapped_column(Float)
    fulfils: Mapped[str] = mapped_column(String(200))
    # How the consignment's contents are paid for (domain.contributions.Channel).
    channel: Mapped[str] = mapped_column(
        String(20), default="bilateral", server_default="bilateral"
    )


class ConsignmentEventRow(Base):
    """An appended tracking event; never edited."""

    __tablename__ = "consignment_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consignment: Mapped[str] = mapped_column(ForeignKey("consignments.id"))
    kind: Mapped[str] = mapped_column(String(20))
    pallets: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(ForeignKey("nodes.id"))
    to: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)


class CourseRow(Base):
    """A course and the item types its graduates crew."""

    __tablename__ = "courses"

    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    duration_days: Mapped[int] = mapped_column(Integer)
    crews: Mapped[list[Any]] = mapped_column(JSON)


class TrainingSessionRow(Base):
    """One run of a course at a host nation's site."""

    __tablename__ = "training_sessions"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    course: Mapped[str] = mapped_column(ForeignKey("courses.code"))
    host: Mapped[str] = mapped_column(String(3))
    site: Mapped[str] = mapped_column(String(200))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(40))


class CohortRow(Base):
    """A group of the recipient's personnel to train, for one requirement."""

    __tablename__ = "cohorts"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    course: Mapped[str] = mapped_column(ForeignKey("courses.code"))
    size: Mapped[int] = mapped_column(Integer)
    available_from: Mapped[date] = mapped_column(Date)
    needed_by: Mapped[date] = mapped_column(Date)
    priority: Mapped[float] = mapped_column(Float)
    requirement: Mapped[str] = mapped_column(String(200))


class AccountRow(Base):
    """An account: a role, the nation it speaks for, and an Argon2 password hash."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    nation: Mapped[str | None] = mapped_column(String(3), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set while the account is disabled: no sign-in, no token works.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class TokenRow(Base):
    """A bearer token, stored only as its SHA-256; it expires and can be revoked."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditRow(Base):
    """One write, chained to the previous record by its hash."""

    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(200))
    before_digest: Mapped[str] = mapped_column(String(64))
    after_digest: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditLeafRow(Base):
    """One row written in bulk: its digest, a leaf of the Merkle root its record carries."""

    __tablename__ = "audit_leaves"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_records.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))


class AuditCheckpointRow(Base):
    """A signed statement of the chain's head: its record id and hash at a moment."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    record_id: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))


class IdempotencyRow(Base):
    """A POST's Idempotency-Key with the response it got, replayed on a retry."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    account: Mapped[str] = mapped_column(String(200))
    request_digest: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def ours(name: str | None, kind: str, _parents: Any) -> bool:
    """Whether a database object is Ramstein's (Procrastinate's share the database)."""
    return not (kind in ("table", "index") and (name or "").startswith("procrastinate_"))


ACTIVE_JOB = text("status IN ('queued', 'running')")


class JobRow(Base):
    """A planner run: the user-facing record of a queued job, its attempts and progress.

    `attempts` counts starts; only the attempt that started last may save a plan, so a
    worker presumed dead cannot overwrite a newer attempt's result.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_status_kind", "status", "kind"),
        Index(
            "uq_jobs_active_digest",
            "inputs_digest",
            unique=True,
            sqlite_where=ACTIVE_JOB,
            postgresql_where=ACTIVE_JOB,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    plan_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    inputs_digest: Mapped[str] = mapped_column(String(64), default="")
    time_limit: Mapped[float] = mapped_column(Float, default=120.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    worker: Mapped[str] = mapped_column(String(200), default="")
    queue_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    incumbent: Mapped[float | None] = mapped_column(Float, nullable=True)
    bound: Mapped[float | None] = mapped_column(Float, nullable=True)
    elapsed: Mapped[float | None] = mapped_column(Float, nullable=True)


class SnapshotRow(Base):
    """A progress snapshot: the counted figures of a period as reported on a date. Immutable."""

    __tablename__ = "snapshots"
    __table_args__ = (UniqueConstraint("year", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(10))
    cutoff: Mapped[date] = mapped_column(Date)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    baseline_eur: Mapped[float] = mapped_column(Float)
    uncovered_eur: Mapped[float] = mapped_column(Float)

    lines: Mapped[list[SnapshotLineRow]] = relationship(order_by="SnapshotLineRow.id")
    credits: Mapped[list[SnapshotCreditRow]] = relationship(order_by="SnapshotCreditRow.id")


class SnapshotLineRow(Base):
    """One nation's figures in a snapshot."""

    __tablename__ = "snapshot_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"), index=True)
    iso3: Mapped[str] = mapped_column(String(3))
    participating: Mapped[bool] = mapped_column(Boolean)
    key_share: Mapped[float] = mapped_column(Float)
    fair_share_eur: Mapped[float] = mapped_column(Float)
    counted_eur: Mapped[float] = mapped_column(Float)
    gap_eur: Mapped[float] = mapped_column(Float)
    counted_pct_of_gdp: Mapped[float] = mapped_column(Float)


class SnapshotCreditRow(Base):
    """One contribution's credit to one nation as a snapshot counted it."""

    __tablename__ = "snapshot_credits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"), index=True)
    contribution: Mapped[str] = mapped_column(String(200))
    iso3: Mapped[str] = mapped_column(String(3))
    eur: Mapped[float] = mapped_column(Float)


class ContractRow(Base):
    """A multinational procurement contract."""

    __tablename__ = "contracts"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    agency: Mapped[str] = mapped_column(String(200))
    supplier: Mapped[str] = mapped_column(String(200))
    item: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    total_value: Mapped[float] = mapped_column(Float)
    signed: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(Text)
    # [[min_quantity, unit_price], ...]
    tiers: Mapped[list[Any]] = mapped_column(JSON)

    buyers: Mapped[list[ContractBuyerRow]] = relationship(order_by="ContractBuyerRow.id")
    lots: Mapped[list[ContractLotRow]] = relationship(order_by="ContractLotRow.id")


class ContractBuyerRow(Base):
    """A nation buying under a contract."""

    __tablename__ = "contract_buyers"
    __table_args__ = (UniqueConstraint("contract_id", "iso3"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    iso3: Mapped[str] = mapped_column(ForeignKey("nations.iso3"))
    ordered: Mapped[int] = mapped_column(Integer)
    funding_share: Mapped[float] = mapped_column(Float)
    donate: Mapped[int] = mapped_column(Integer)


class ContractLotRow(Base):
    """A production lot; its allocation is fixed when it is delivered."""

    __tablename__ = "contract_lots"
    __table_args__ = (UniqueConstraint("contract_id", "lot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    lot: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    expected: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    delivered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # [[iso3, kept, donated], ...] once delivered
    allocation: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)


class ContractEventRow(Base):
    """An appended contract event: signed, lot completed, delivered or delayed. Never edited."""

    __tablename__ = "contract_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    lot: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)


class ReleaseRow(Base):
    """A published release: rounded totals including confidential rows. Immutable.

    `cells` are what everyone reads; `basis` (each cell's public part and the confidential
    amounts per nation, category and channel at publication) is what the disclosure audit
    of later releases needs, and is never shown.
    """

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    published_on: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    unit_eur: Mapped[float] = mapped_column(Float)
    # [[cell, eur], ...] in publication order
    cells: Mapped[list[Any]] = mapped_column(JSON)
    # {"public": {cell: eur}, "hidden": [[nation, category, channel, eur], ...]}
    basis: Mapped[dict[str, Any]] = mapped_column(JSON)


class PurlPackageRow(Base):
    """A PURL package: US equipment paid for by allies, approved by SACEUR."""

    __tablename__ = "purl_packages"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    value_usd: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    proposed_on: Mapped[date] = mapped_column(Date)
    approved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    approved_by: Mapped[str] = mapped_column(String(20))
    delivering_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    delivered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    visibility: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(Boolean)
    # Where its payments are already counted (then none are written as contributions).
    counted_by: Mapped[str] = mapped_column(Text)
    # The network node its pallets go to (empty: the network's only destination).
    destination: Mapped[str] = mapped_column(String(200))
    # The requirement ids it answers: [id, ...]
    requirements: Mapped[list[Any]] = mapped_column(JSON)

    items: Mapped[list[PurlItemRow]] = relationship(order_by="PurlItemRow.id")
    payers: Mapped[list[PurlPayerRow]] = relationship(order_by="PurlPayerRow.id")


class PurlItemRow(Base):
    """Units of one item the US delivers under a package."""

    __tablename__ = "purl_items"
    __table_args__ = (UniqueConstraint("package_id", "item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("purl_packages.id"))
    item: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    pallets: Mapped[int] = mapped_column(Integer)


class PurlPayerRow(Base):
    """An ally paying part of a package, and when it paid."""

    __tablename__ = "purl_payers"
    __table_args__ = (UniqueConstraint("package_id", "iso3"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("purl_packages.id"))
    iso3: Mapped[str] = mapped_column(ForeignKey("nations.iso3"))
    amount_usd: Mapped[float] = mapped_column(Float)
    paid_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class PurlEventRow(Base):
    """An appended package event: proposed, approved, paid, delivering, delivered."""

    __tablename__ = "purl_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("purl_packages.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)


class ProductionCapacityRow(Base):
    """What a Ukrainian maker can build of one item in one month, if funded."""

    __tablename__ = "production_capacities"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    maker: Mapped[str] = mapped_column(String(200))
    item: Mapped[str] = mapped_column(ForeignKey("items.id"))
    month: Mapped[date] = mapped_column(Date)
    units: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(Text)


class TitleTransferRow(Base):
    """When and where title to a delivered contribution passed; written with its move."""

    __tablename__ = "title_transfers"

    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), primary_key=True)
    on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CoalitionRow(Base):
    """A capability coalition of the contact group."""

    __tablename__ = "coalitions"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)


class CoalitionLeadRow(Base):
    """A nation leading a coalition: its accounts see the offers shared with the coalition."""

    __tablename__ = "coalition_leads"

    coalition: Mapped[str] = mapped_column(ForeignKey("coalitions.id"), primary_key=True)
    nation: Mapped[str] = mapped_column(ForeignKey("nations.iso3"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class RoadmapTargetRow(Base):
    """A coalition's roadmap target: units of an item by the end of a year."""

    __tablename__ = "roadmap_targets"

    coalition: Mapped[str] = mapped_column(ForeignKey("coalitions.id"), primary_key=True)
    item: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    illustrative: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(Text)


class CustodySerialRow(Base):
    """A serial number checked at a tracking event of a sensitive item; never edited."""

    __tablename__ = "custody_serials"
    __table_args__ = (UniqueConstraint("event_id", "serial"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("consignment_events.id"), index=True)
    serial: Mapped[str] = mapped_column(String(200), index=True)
