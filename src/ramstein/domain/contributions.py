"""Contributions to the recipient: categories, channels, lifecycle statuses and visibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from ramstein.domain.errors import InputError


class Category(StrEnum):
    """The seven kinds of support the Washington pledge counts."""

    EQUIPMENT = "equipment"  # purchase of military equipment for Ukraine
    IN_KIND = "in_kind"  # in-kind support donated to Ukraine
    MAINTENANCE = "maintenance"  # maintenance, logistics and transportation of equipment
    TRAINING = "training"  # military training for Ukraine
    OPERATIONS = "operations"  # operational costs of providing military support
    INDUSTRY = "industry"  # investment in Ukraine's defence infrastructure and industry
    TRUST_FUND = "trust_fund"  # contributions to NATO trust funds, non-lethal aid included


class Channel(StrEnum):
    """How the support travels: the pledge counts it whatever the channel."""

    BILATERAL = "bilateral"
    NATO = "nato"
    MULTILATERAL = "multilateral"
    OTHER = "other"
    PURL = "purl"  # a payment for a PURL package: US equipment paid for by allies
    DOMESTIC_PRODUCTION = "domestic_production"  # a Ukrainian manufacturer paid directly


class Status(StrEnum):
    """Lifecycle: announced -> committed -> contracted -> shipped -> delivered, or cancelled.

    Shipped: the goods have left the donor; delivered: title has passed to the recipient, on
    a date at a place (a `TitleTransfer`). Definitions: docs/methodology.md.
    """

    ANNOUNCED = "announced"
    COMMITTED = "committed"
    CONTRACTED = "contracted"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class Visibility(StrEnum):
    """Who may see a row: everyone, any ally, the leads of the row's capability coalition, or
    only its nation (and coordinators, always).

    `coalition` needs a row that names its coalition (an offer); a row without one is seen
    under it as under `nation`.
    """

    PUBLIC = "public"
    ALLIANCE = "alliance"
    COALITION = "coalition"
    NATION = "nation"


COUNTED_STATUSES = frozenset({Status.CONTRACTED, Status.SHIPPED, Status.DELIVERED})


# The visibilities a contribution may have (it names no coalition to be shared with).
CONTRIBUTION_VISIBILITIES = (Visibility.PUBLIC, Visibility.ALLIANCE, Visibility.NATION)


def check_visibility(visibility: Visibility, *, field: str) -> None:
    """Hard: a contribution names no coalition, so it is never shared with one."""
    if visibility is Visibility.COALITION:
        raise InputError(f"{field}.visibility", "coalition is for offers, which name one")


@dataclass(frozen=True)
class Funder:
    """A nation paying `share` (0..1] of a contribution it may not deliver itself."""

    iso3: str
    share: float


@dataclass(frozen=True)
class Contribution:
    """One act of support by a donor; `amount` is None where no figure is public.

    `funders` name who paid when that is not (only) the donor, the delivering nation;
    `parent` links a flow onward from another (a trust fund's purchase from a nation's
    payment into it), so that the same euro is credited once, at the root.
    """

    id: str
    donor: str
    amount: float | None
    currency: str
    date: date
    category: Category
    status: Status
    visibility: Visibility = Visibility.PUBLIC
    channel: Channel = Channel.BILATERAL
    recipient: str = "UKR"
    source: str = ""
    description: str = ""
    funders: tuple[Funder, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class TitleTransfer:
    """When and where title to a delivered contribution passed to the recipient."""

    on: date
    place: str


@dataclass(frozen=True)
class ContributionEvent:
    """An appended status change of a contribution: who, when, from, to and why."""

    at: datetime
    actor: str
    from_status: Status | None
    to_status: Status
    reason: str
