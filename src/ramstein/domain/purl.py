"""PURL packages: US equipment answering Ukraine's prioritised requirements, paid by allies.

A package is proposed, approved by SACEUR, funded once every payer has paid, delivered by
the United States (delivering, then delivered). Its payments are contributions of its
payers (channel `purl`), credited to them; the US's deliveries under it are channelled
flows of those payments (`parent`), which the credit rule never credits: each dollar is
counted once, for who paid it (docs/methodology.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from ramstein.domain.contributions import Category, Channel, Contribution, Status, Visibility
from ramstein.domain.errors import InputError, check_unique
from ramstein.domain.items import Offer
from ramstein.domain.logistics import Consignment
from ramstein.domain.types import ID_SEPARATOR, join_id

APPROVER = "SACEUR"
DELIVERER = "USA"  # the nation whose stocks and industry supply every package
CURRENCY = "USD"
USD_TOLERANCE = 0.5  # payers' amounts may round; half a dollar is not a gap
FIRST_YEAR, LAST_YEAR = 1991, 2100  # dates outside are typing errors (as for contributions)


class PackageStatus(StrEnum):
    """Lifecycle: proposed -> approved -> funded -> delivering -> delivered."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    FUNDED = "funded"
    DELIVERING = "delivering"
    DELIVERED = "delivered"


LIFECYCLE = tuple(PackageStatus)


@dataclass(frozen=True)
class PackageItem:
    """`quantity` units of `item` the US delivers under a package, on `pallets` pallets
    (0: not routed through the hubs by Ramstein)."""

    item: str
    quantity: int
    pallets: int = 0


@dataclass(frozen=True)
class Payer:
    """An ally paying `amount_usd` of a package; `paid_on` once it has paid."""

    iso3: str
    amount_usd: float
    paid_on: date | None = None


@dataclass(frozen=True)
class Package:
    """A PURL package: what it answers and contains, its value, approval, payers and status.

    `counted_by` names where its payments are already counted (Kiel's monthly allocations
    include PURL): then no payment contributions are written for it, so nothing is counted
    twice. `illustrative` marks content not published, as the dataset's notes say.
    """

    id: str
    title: str
    value_usd: float
    items: tuple[PackageItem, ...]
    payers: tuple[Payer, ...]
    proposed_on: date
    requirements: tuple[str, ...] = ()
    status: PackageStatus = PackageStatus.PROPOSED
    approved_on: date | None = None
    approved_by: str = ""
    delivering_from: date | None = None
    delivered_on: date | None = None
    visibility: Visibility = Visibility.PUBLIC
    recipient: str = "UKR"
    source: str = ""
    illustrative: bool = False
    counted_by: str = ""
    destination: str = ""  # the network node its pallets go to (when it has pallets)

    def share(self, iso3: str) -> float:
        """A payer's part of the package's value, in (0, 1]."""
        return self.payer(iso3).amount_usd / self.value_usd

    def payer(self, iso3: str) -> Payer:
        """One payer by its code; an unlisted nation is an input error."""
        for p in self.payers:
            if p.iso3 == iso3:
                return p
        raise InputError(f"packages[{self.id}].payers", f"{iso3} is not a payer")

    @property
    def paid_usd(self) -> float:
        """What the payers have paid so far."""
        return math.fsum(p.amount_usd for p in self.payers if p.paid_on is not None)

    @property
    def funded_on(self) -> date | None:
        """The day the last payer paid, once all have."""
        days = [p.paid_on for p in self.payers]
        return None if any(d is None for d in days) else max(d for d in days if d is not None)

    def check(self) -> None:
        """Items, payers, value and dates are consistent; raises InputError naming the field."""
        field = f"packages[{self.id}]"
        if ID_SEPARATOR in self.id:
            # Its payments, offers and consignments are `ID:...`: one package's prefix
            # must never be another's.
            raise InputError(f"{field}.id", f"must not contain {ID_SEPARATOR!r}")
        if not (math.isfinite(self.value_usd) and self.value_usd > 0):
            raise InputError(f"{field}.value_usd", "must be a positive amount")
        if not self.items:
            raise InputError(f"{field}.items", "a package delivers at least one item")
        check_unique([i.item for i in self.items], f"{field}.items")
        for i in self.items:
            if i.quantity <= 0:
                raise InputError(f"{field}.items[{i.item}].quantity", "must be positive")
            if i.pallets < 0:
                raise InputError(f"{field}.items[{i.item}].pallets", "must not be negative")
        check_unique(list(self.requirements), f"{field}.requirements")
        if not self.payers:
            raise InputError(f"{field}.payers", "a package needs at least one payer")
        check_unique([p.iso3 for p in self.payers], f"{field}.payers")
        for p in self.payers:
            if p.iso3 == DELIVERER:
                raise InputError(
                    f"{field}.payers[{p.iso3}]", "the US delivers PURL packages; allies pay"
                )
            if not (math.isfinite(p.amount_usd) and p.amount_usd > 0):
                raise InputError(f"{field}.payers[{p.iso3}].amount_usd", "must be positive")
        total = math.fsum(p.amount_usd for p in self.payers)
        if abs(total - self.value_usd) > USD_TOLERANCE:
            raise InputError(
                f"{field}.payers",
                f"amounts add up to USD {total:,.0f}, not the value USD {self.value_usd:,.0f}",
            )
        check_dates(self)


def check_dates(package: Package) -> None:
    """Hard: each stage's date is set once the package reaches it, and never before the last."""
    field = f"packages[{package.id}]"
    stage = LIFECYCLE.index(package.status)
    reached = {
        PackageStatus.APPROVED: ("approved_on", package.approved_on),
        PackageStatus.DELIVERING: ("delivering_from", package.delivering_from),
        PackageStatus.DELIVERED: ("delivered_on", package.delivered_on),
    }
    for status, (name, day) in reached.items():
        if LIFECYCLE.index(status) <= stage and day is None:
            raise InputError(f"{field}.{name}", f"required once the package is {status.value}")
        if LIFECYCLE.index(status) > stage and day is not None:
            raise InputError(f"{field}.{name}", f"set, but the package is {package.status.value}")
    if stage >= LIFECYCLE.index(PackageStatus.APPROVED) and package.approved_by != APPROVER:
        raise InputError(f"{field}.approved_by", f"PURL packages are approved by {APPROVER}")
    for p in package.payers:
        if p.paid_on is not None and stage < LIFECYCLE.index(PackageStatus.APPROVED):
            raise InputError(f"{field}.payers[{p.iso3}].paid_on", "paid before approval")
    funded = stage >= LIFECYCLE.index(PackageStatus.FUNDED)
    if funded != (package.funded_on is not None):
        raise InputError(
            f"{field}.status",
            f"is {package.status.value}, but "
            + ("a payer has not paid" if funded else "every payer has paid (funded)"),
        )
    dated = [
        ("proposed_on", package.proposed_on),
        ("approved_on", package.approved_on),
        *((f"payers[{p.iso3}].paid_on", p.paid_on) for p in package.payers),
        ("delivering_from", package.delivering_from),
        ("delivered_on", package.delivered_on),
    ]
    for name, day in dated:
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InputError(f"{field}.{name}", f"must lie in {FIRST_YEAR}-{LAST_YEAR}")
    after: list[tuple[str, date | None, str, date | None]] = [
        ("approved_on", package.approved_on, "proposed_on", package.proposed_on),
        *(
            (f"payers[{p.iso3}].paid_on", p.paid_on, "approved_on", package.approved_on)
            for p in package.payers
        ),
        ("delivering_from", package.delivering_from, "funded", package.funded_on),
        ("delivered_on", package.delivered_on, "delivering_from", package.delivering_from),
    ]
    for name, day, before, earlier in after:
        if day is not None and earlier is not None and day < earlier:
            raise InputError(f"{field}.{name}", f"{day} is before {before} {earlier}")


def check_transition(package: Package, target: PackageStatus) -> None:
    """Hard: a package moves one stage forward at a time; funded comes from the payments."""
    field = f"packages[{package.id}].status"
    current = LIFECYCLE.index(package.status)
    if target is PackageStatus.FUNDED:
        raise InputError(field, "a package is funded when its last payer pays")
    if LIFECYCLE.index(target) != current + 1:
        if LIFECYCLE.index(target) <= current:
            raise InputError(field, f"is {package.status.value}; cannot move to {target.value}")
        nxt = LIFECYCLE[current + 1].value
        raise InputError(field, f"is {package.status.value}; the next stage is {nxt}")


def approve(package: Package, on: date, by: str = APPROVER) -> Package:
    """The package approved by SACEUR on `on`."""
    check_transition(package, PackageStatus.APPROVED)
    if by != APPROVER:
        raise InputError(f"packages[{package.id}].approved_by", f"must be {APPROVER}, not {by!r}")
    approved = replace(package, status=PackageStatus.APPROVED, approved_on=on, approved_by=by)
    check_dates(approved)
    return approved


def pay(package: Package, iso3: str, on: date) -> Package:
    """A payer's payment on `on`; the last payment makes the package funded."""
    field = f"packages[{package.id}].payers[{iso3}]"
    if package.status is not PackageStatus.APPROVED:
        raise InputError(
            field, f"the package is {package.status.value}; payers pay once it is approved"
        )
    if package.payer(iso3).paid_on is not None:
        raise InputError(f"{field}.paid_on", f"already paid on {package.payer(iso3).paid_on}")
    payers = tuple(replace(p, paid_on=on) if p.iso3 == iso3 else p for p in package.payers)
    paid = replace(package, payers=payers)
    if paid.funded_on is not None:
        paid = replace(paid, status=PackageStatus.FUNDED)
    check_dates(paid)
    return paid


def start_delivery(package: Package, on: date) -> Package:
    """The US begins delivering a funded package on `on`."""
    check_transition(package, PackageStatus.DELIVERING)
    moved = replace(package, status=PackageStatus.DELIVERING, delivering_from=on)
    check_dates(moved)
    return moved


def deliver(package: Package, on: date) -> Package:
    """The package's last item delivered on `on`."""
    check_transition(package, PackageStatus.DELIVERED)
    moved = replace(package, status=PackageStatus.DELIVERED, delivered_on=on)
    check_dates(moved)
    return moved


def payment_id(package_id: str, iso3: str) -> str:
    """The id of a payer's payment for a package, as a contribution: `PURL-1:NLD`."""
    return join_id(package_id, iso3)


def delivery_id(package_id: str, iso3: str) -> str:
    """The id of the US's delivery paid by one payer: `PURL-1:NLD:USA`."""
    return join_id(package_id, iso3, DELIVERER)


def _payment_status(package: Package, payer: Payer) -> Status:
    if payer.paid_on is None:
        return Status.COMMITTED
    if package.status is PackageStatus.DELIVERED:
        return Status.DELIVERED
    return Status.CONTRACTED


def payments(package: Package) -> list[Contribution]:
    """Each payer's payment as its contribution (channel `purl`), once the package is approved.

    Committed until paid, then contracted (counted, dated the day paid), delivered with the
    package. None when the package's payments are counted elsewhere (`counted_by`).
    """
    if package.approved_on is None or package.counted_by:
        return []
    return [
        Contribution(
            id=payment_id(package.id, p.iso3),
            donor=p.iso3,
            amount=p.amount_usd,
            currency=CURRENCY,
            date=p.paid_on or package.approved_on,
            category=Category.EQUIPMENT,
            status=_payment_status(package, p),
            visibility=package.visibility,
            channel=Channel.PURL,
            recipient=package.recipient,
            source=package.source,
            description=f"Payment for PURL package {package.id} ({package.title}): "
            f"{100 * package.share(p.iso3):.1f} % of USD {package.value_usd / 1e6:,.0f} m",
        )
        for p in package.payers
    ]


def deliveries(package: Package) -> list[Contribution]:
    """The US's delivery of a delivered package, one flow per payer's payment (its parent).

    Channelled flows: the credit rule credits their root, the payment, so the US is never
    credited with equipment allies paid for.
    """
    if package.delivered_on is None or package.counted_by:
        return []
    return [
        Contribution(
            id=delivery_id(package.id, p.iso3),
            donor=DELIVERER,
            amount=p.amount_usd,
            currency=CURRENCY,
            date=package.delivered_on,
            category=Category.EQUIPMENT,
            status=Status.DELIVERED,
            visibility=package.visibility,
            channel=Channel.PURL,
            recipient=package.recipient,
            source=package.source,
            description=f"US delivery of PURL package {package.id}, paid by {p.iso3}",
            parent=payment_id(package.id, p.iso3),
        )
        for p in package.payers
    ]


def offers(package: Package) -> list[Offer]:
    """The package's content as US offers to the match, available from its approval."""
    if package.approved_on is None:
        return []
    payers = ", ".join(p.iso3 for p in package.payers)
    return [
        Offer(
            id=join_id(package.id, i.item),
            donor=DELIVERER,
            item=i.item,
            quantity=i.quantity,
            available_from=package.approved_on,
            visibility=package.visibility,
            note=f"PURL package {package.id}, paid by {payers}"
            + (" (content illustrative)" if package.illustrative else ""),
        )
        for i in package.items
    ]


ROUTE_DAYS = 30  # a package's pallets are due this many days after its approval


def consignments(
    package: Package, *, depot: str, destination: str, ready: int, due: int
) -> list[Consignment]:
    """The package's palletised content as consignments from a US depot (channel `purl`),
    ready in period `ready` and due in `due`; none before approval."""
    if package.approved_on is None:
        return []
    return [
        Consignment(
            id=join_id("K", package.id, i.item),
            item=i.item,
            pallets=i.pallets,
            origin=depot,
            destination=destination,
            ready=ready,
            due=due,
            priority=1.0,
            fulfils=join_id(package.id, i.item),
            channel=Channel.PURL,
        )
        for i in package.items
        if i.pallets > 0
    ]
