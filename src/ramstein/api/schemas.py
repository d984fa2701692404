"""The API's request and response bodies, one schema per direction."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ramstein.domain.contribution_schema import ContributionBase, FunderFields
from ramstein.domain.contributions import (
    Category,
    Channel,
    Contribution,
    Status,
    Visibility,
)
from ramstein.domain.tracking import EventKind
from ramstein.domain.types import ISO3, Amount, Currency, Day, Id, Text


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContributionCreate(ContributionBase):
    """A new contribution; `funders` and `parent` say who gets the credit (methodology.md).

    Without an id, the server assigns one under the donor's prefix (`DEU-...`).
    """

    model_config = ConfigDict(extra="forbid")

    id: Id | None = None  # type: ignore[assignment]
    funders: list[FunderFields] = Field(default=[], max_length=40)

    def domain(self, assigned: str | None = None) -> Contribution:
        """The domain contribution this body describes (with id `assigned` if it had none)."""
        cid = self.id or assigned
        if cid is None:
            raise ValueError("a contribution needs an id")
        return replace(super().domain(), id=cid)


class ContributionUpdate(_Body):
    """Changes to a contribution's facts (its status moves through /status)."""

    amount: Amount | None = None
    currency: Currency | None = None
    date: Day | None = None
    category: Category | None = None
    channel: Channel | None = None
    visibility: Visibility | None = None
    source: Text | None = None
    description: Text | None = None


class StatusChange(_Body):
    """A lifecycle move."""

    status: Status
    reason: Text = ""


class ContributionPublic(ContributionBase):
    """A contribution as the API shows it, with its version (the ETag)."""

    version: int

    @classmethod
    def of(cls, c: Contribution, version: int) -> ContributionPublic:
        """The public shape of a stored contribution, shown as stored (not checked again)."""
        return cls.model_construct(**cls.values_of(c), version=version)


class ContributionPage(BaseModel):
    """One page of contributions and how many the viewer may see in all."""

    items: list[ContributionPublic]
    total: int
    limit: int
    offset: int


class AggregatePublic(BaseModel):
    """A group's total over the contributions the caller may see, and how many they are."""

    key: str
    total_eur: float
    contributions: int


class NationPublic(BaseModel):
    """A nation."""

    iso3: str
    name: str
    group: str


class RequirementCreate(_Body):
    """A new requirement of the recipient."""

    id: Id
    item: Id
    quantity: Annotated[int, Field(gt=0, le=1_000_000)]
    priority: Annotated[float, Field(gt=0, le=1e9)]
    needed_by: Day | None = None
    substitutes: list[Id] = []


class RequirementPublic(RequirementCreate):
    """A requirement as the API shows it."""


class OfferCreate(_Body):
    """A new offer of a donor."""

    id: Id
    donor: ISO3
    item: Id
    quantity: Annotated[int, Field(gt=0, le=1_000_000)]
    available_from: Day | None = None
    visibility: Visibility = Visibility.PUBLIC


class OfferPublic(OfferCreate):
    """An offer as the API shows it."""


class JobProgress(BaseModel):
    """How far a running solve got: best plan found, proven bound, their gap, and time."""

    incumbent: float | None
    bound: float | None
    gap: float | None
    elapsed: float | None
    time_limit: float


class JobPublic(BaseModel):
    """A planner job: status, attempts, progress and, once done, the plan version it saved."""

    id: int
    kind: str
    status: str
    actor: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    attempts: int
    plan_version: int | None
    error: str
    progress: JobProgress


class AuditPublic(BaseModel):
    """One audit record."""

    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    hash: str


class AuditVerdict(BaseModel):
    """Whether the audit chain holds, and the first record where it breaks."""

    ok: bool
    records: int
    first_broken: int | None


Pallets = Annotated[int, Field(ge=0, le=1_000_000)]


class ReceiptCreate(_Body):
    """The recipient's confirmation of what arrived of one consignment."""

    received: Pallets
    damaged: Pallets = 0
    lost: Pallets = 0
    note: Text = ""


class TrackingEventCreate(_Body):
    """A tracking event: `pallets` had `kind` happen at `place` (towards `to`, a dispatch)."""

    kind: EventKind
    pallets: Annotated[int, Field(gt=0, le=1_000_000)]
    place: Id
    to: Id | Literal[""] = ""
    at: datetime | None = None
    note: Text = ""


class TrackingEventPublic(BaseModel):
    """A recorded tracking event."""

    kind: EventKind
    pallets: int
    place: str
    to: str
    at: datetime
    actor: str
    note: str


class WhereaboutsPublic(BaseModel):
    """Where a consignment's pallets are, by state, with its history."""

    consignment: str
    pallets: int
    origin: str
    destination: str
    summary: dict[str, int]
    events: list[TrackingEventPublic]


class CohortCreate(_Body):
    """A cohort of the recipient's personnel to train, for a requirement."""

    id: Id
    course: Id
    size: Annotated[int, Field(gt=0, le=100_000)]
    available_from: Day
    needed_by: Day
    priority: Annotated[float, Field(gt=0, le=1e9)]
    requirement: Id | Literal[""] = ""


class CohortPublic(CohortCreate):
    """A cohort as the API shows it."""


class RequirementChangePublic(BaseModel):
    """One requirement's planned units in two match plans."""

    requirement: str
    before: int
    after: int
    change: int
    verdict: str
    donors_before: list[str]
    donors_after: list[str]


class PlanComparison(BaseModel):
    """Two saved match plans compared."""

    before: int
    after: int
    requirements: list[RequirementChangePublic]


class AcceptancePublic(BaseModel):
    """What accepting a match plan wrote."""

    version: int
    contributions: list[str]
    consignments: list[str]
    kept: list[str]
    not_routed: dict[str, str]
