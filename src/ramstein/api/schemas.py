"""The API's request and response bodies, one schema per direction."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

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


REQUIRED_FACTS = ("currency", "date", "category", "channel", "visibility", "source", "description")


class ContributionUpdate(_Body):
    """Changes to a contribution's facts (its status moves through /status).

    A field left out stays as it is. Only `amount` may be set to null (not yet priced):
    an explicit null for any other field is a 422, since the contribution needs it.
    """

    amount: Amount | None = None
    # None is only the "left out" default (never validated, kept out of the schema).
    currency: Currency | SkipJsonSchema[None] = None
    date: Day | SkipJsonSchema[None] = None
    category: Category | SkipJsonSchema[None] = None
    channel: Channel | SkipJsonSchema[None] = None
    visibility: Visibility | SkipJsonSchema[None] = None
    source: Text | SkipJsonSchema[None] = None
    description: Text | SkipJsonSchema[None] = None

    @field_validator(*REQUIRED_FACTS, mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null (leave the field out to keep it)")
        return value


class StatusChange(_Body):
    """A lifecycle move; a move to delivered says where title passed (and when: today by
    default)."""

    status: Status
    reason: Text = ""
    place: Annotated[str, Field(max_length=200)] | None = None
    on: Day | None = None


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
    coalition: Id | None = Field(None, description="the capability coalition it serves")


class RequirementPublic(RequirementCreate):
    """A requirement as the API shows it."""

    # Read straight from the domain record: the API shows its fields as they are.
    model_config = ConfigDict(from_attributes=True)


class OfferCreate(_Body):
    """A new offer of a donor."""

    id: Id
    donor: ISO3
    item: Id
    quantity: Annotated[int, Field(gt=0, le=1_000_000)]
    available_from: Day | None = None
    visibility: Visibility = Visibility.PUBLIC
    coalition: Id | None = Field(
        None, description="the capability coalition it is offered under (needed for coalition)"
    )


class OfferPublic(OfferCreate):
    """An offer as the API shows it."""

    # Read straight from the domain record: the API shows its fields as they are.
    model_config = ConfigDict(from_attributes=True)


class JobProgress(BaseModel):
    """How far a running solve got: best plan found, proven bound, their gap, and time."""

    model_config = ConfigDict(from_attributes=True)  # read from the domain record

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
    # Stored rows that do not match their last audit record (the first hundred).
    problems: list[str] = []


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

    model_config = ConfigDict(from_attributes=True)  # read from the domain record

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

    # Read straight from the domain record: the API shows its fields as they are.
    model_config = ConfigDict(from_attributes=True)


class RequirementChangePublic(BaseModel):
    """One requirement's planned units in two match plans."""

    model_config = ConfigDict(from_attributes=True)  # read from the domain record

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
