"""PURL packages over the store: each lifecycle step, its payments, deliveries and offers.

Every step writes the package, appends its event, and brings the ledger and the match in
step with it (`sync`): payments as contributions of the payers, the US's delivery as
flows channelled from those payments, the content as US offers from the approval date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from ramstein.domain import purl
from ramstein.domain.access import Viewer
from ramstein.domain.errors import InputError
from ramstein.domain.purl import Package
from ramstein.domain.types import ID_SEPARATOR
from ramstein.store import catalog, logistics
from ramstein.store import purl as store
from ramstein.store import repositories as repo


def sync(session: Session, package: Package, *, actor: str, reason: str) -> None:
    """Write the package's payments, deliveries and offers as its stage has them."""
    for c in purl.payments(package):
        repo.upsert_contribution(session, c, actor=actor, reason=reason)
    session.flush()
    for c in purl.deliveries(package):
        repo.upsert_contribution(session, c, actor=actor, reason=reason)
    offers = purl.offers(package)
    for item in package.items:
        catalog.ensure_item(session, item.item, item.item)
    for offer in offers:
        catalog.upsert_offer(session, offer)
    catalog.remove_offers(session, package.id + ID_SEPARATOR, keep={o.id for o in offers})
    session.flush()
    _route(session, package)


def _route(session: Session, package: Package) -> None:
    """Once approved, its palletised content moves from a US depot as consignments."""
    field = f"packages[{package.id}]"
    if package.approved_on is None or not any(i.pallets for i in package.items):
        return
    if not logistics.has_network(session):
        return  # no network to route on: the content is offered, not moved
    depots = logistics.depots_of(session, purl.DELIVERER)
    if not depots:
        raise InputError(f"{field}.items", "has pallets, but the network has no US depot")
    ends = logistics.destinations(session)
    destination = package.destination or (ends[0] if len(ends) == 1 else "")
    if destination not in ends:
        choices = ", ".join(ends)
        raise InputError(f"{field}.destination", f"name one of the destinations: {choices}")
    cal = logistics.calendar(session)
    ready = cal.period_of(package.approved_on)
    due = cal.period_of(package.approved_on + timedelta(days=purl.ROUTE_DAYS))
    logistics.add_consignments(
        session,
        purl.consignments(package, depot=depots[0], destination=destination, ready=ready, due=due),
    )


def _check_requirements(session: Session, package: Package) -> None:
    known = {r.id for r in catalog.list_requirements(session)}
    for rid in package.requirements:
        if rid not in known:
            raise InputError(f"packages[{package.id}].requirements", f"unknown requirement {rid!r}")


def add_package(session: Session, package: Package, *, actor: str) -> bool:
    """Store a package (at whatever stage its document gives) and sync it; twice is a no-op."""
    _check_requirements(session, package)
    new = store.save_package(session, package)
    if new:
        store.record_event(
            session, package.id, package.status.value, actor=actor, note=package.source
        )
    sync(session, package, actor=actor, reason=f"PURL package {package.id}")
    return new


def add_missing(session: Session, packages: list[Package], *, actor: str) -> int:
    """Add the packages the store does not hold; those it holds keep the stage they reached
    (a dataset loaded again never moves a package back). Returns how many were added."""
    stored = {p.id for p in store.list_packages(session)}
    new = [p for p in packages if p.id not in stored]
    for package in new:
        add_package(session, package, actor=actor)
    return len(new)


Step = Callable[[Package], Package]


def _step(
    session: Session, package_id: str, step: Step, kind: str, note: str, *, actor: str
) -> Package:
    before = store.get_package(session, package_id)
    after = step(before)
    store.update_package(session, after)
    store.record_event(session, package_id, kind, actor=actor, note=note)
    sync(session, after, actor=actor, reason=f"PURL package {package_id} {kind}")
    return after


def approve(session: Session, package_id: str, on: date, by: str, *, actor: str) -> Package:
    """SACEUR's approval: payments become commitments, the content offers to the match."""
    return _step(
        session,
        package_id,
        lambda p: purl.approve(p, on, by),
        "approved",
        f"{on} by {by}",
        actor=actor,
    )


def pay(session: Session, package_id: str, iso3: str, on: date, *, actor: str) -> Package:
    """A payer pays its part: its payment counts from `on`; the last one funds the package."""
    return _step(
        session,
        package_id,
        lambda p: purl.pay(p, iso3, on),
        "paid",
        f"{iso3} on {on}",
        actor=actor,
    )


def start_delivery(session: Session, package_id: str, on: date, *, actor: str) -> Package:
    """The US begins delivering the package."""
    return _step(
        session,
        package_id,
        lambda p: purl.start_delivery(p, on),
        "delivering",
        str(on),
        actor=actor,
    )


def deliver(session: Session, package_id: str, on: date, *, actor: str) -> Package:
    """The package delivered: payments delivered, the US's delivery recorded, never credited."""
    return _step(
        session, package_id, lambda p: purl.deliver(p, on), "delivered", str(on), actor=actor
    )


@dataclass(frozen=True)
class Standing:
    """Packages the viewer sees, by stage, with their value and what is paid."""

    packages: tuple[Package, ...]

    @property
    def value_usd(self) -> float:
        """All packages' value."""
        return sum(p.value_usd for p in self.packages)

    @property
    def paid_usd(self) -> float:
        """What their payers have paid."""
        return sum(p.paid_usd for p in self.packages)

    def by_status(self) -> dict[str, int]:
        """How many packages are at each stage (every stage named)."""
        counts = {s.value: 0 for s in purl.LIFECYCLE}
        for p in self.packages:
            counts[p.status.value] += 1
        return counts


def standing(session: Session, viewer: Viewer | None = None) -> Standing:
    """The packages a viewer sees, with totals computed from them alone."""
    return Standing(tuple(store.list_packages(session, viewer)))
