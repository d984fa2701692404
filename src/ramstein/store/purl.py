"""PURL packages in the store: terms, items, payers (with payments) and events.

A viewer sees a package whose visibility it may see, or that its own nation pays for:
the access rule (`visible_clause`) applied to the package's visibility with each payer as
an owner. Everything shown of a package comes from the package rows a viewer sees.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, selectinload

from ramstein.domain.access import Viewer
from ramstein.domain.errors import InputError
from ramstein.domain.purl import Package, PackageItem, Payer
from ramstein.store.access import visible_clause
from ramstein.store.models import (
    NationRow,
    PurlEventRow,
    PurlItemRow,
    PurlPackageRow,
    PurlPayerRow,
)
from ramstein.store.rows import from_row


def _to_domain(row: PurlPackageRow) -> Package:
    return from_row(
        Package,
        row,
        items=tuple(PackageItem(i.item, i.quantity, i.pallets) for i in row.items),
        payers=tuple(Payer(p.iso3, p.amount_usd, p.paid_on) for p in row.payers),
        requirements=tuple(str(r) for r in row.requirements),
    )


def _query(viewer: Viewer | None) -> Select[PurlPackageRow]:
    query = select(PurlPackageRow).options(
        selectinload(PurlPackageRow.items), selectinload(PurlPackageRow.payers)
    )
    if viewer is not None:
        query = query.where(
            exists().where(
                PurlPayerRow.package_id == PurlPackageRow.id,
                visible_clause(viewer, PurlPackageRow.visibility, PurlPayerRow.iso3),
            )
        )
    return query


def get_package(session: Session, package_id: str, viewer: Viewer | None = None) -> Package:
    """A stored package the viewer sees; an unknown and an unseen id get the same answer."""
    row = session.scalar(_query(viewer).where(PurlPackageRow.id == package_id))
    if row is None:
        raise InputError(f"packages[{package_id}]", "no such package")
    return _to_domain(row)


def list_packages(session: Session, viewer: Viewer | None = None) -> list[Package]:
    """The packages the viewer sees, by proposal date and id."""
    rows = session.scalars(_query(viewer).order_by(PurlPackageRow.proposed_on, PurlPackageRow.id))
    return [_to_domain(r) for r in rows]


def record_event(session: Session, package_id: str, kind: str, *, actor: str, note: str) -> None:
    """Append a package event."""
    session.add(
        PurlEventRow(package_id=package_id, at=datetime.now(UTC), actor=actor, kind=kind, note=note)
    )


def events(session: Session, package_id: str) -> list[tuple[datetime, str, str, str]]:
    """A package's events, oldest first: (at, actor, kind, note)."""
    rows = session.scalars(
        select(PurlEventRow).where(PurlEventRow.package_id == package_id).order_by(PurlEventRow.id)
    )
    return [(r.at, r.actor, r.kind, r.note) for r in rows]


def _fill(row: PurlPackageRow, package: Package) -> None:
    row.title, row.value_usd, row.status = package.title, package.value_usd, package.status.value
    row.proposed_on, row.approved_on = package.proposed_on, package.approved_on
    row.approved_by = package.approved_by
    row.delivering_from, row.delivered_on = package.delivering_from, package.delivered_on
    row.visibility, row.recipient = package.visibility.value, package.recipient
    row.source, row.illustrative = package.source, package.illustrative
    row.counted_by, row.requirements = package.counted_by, list(package.requirements)
    row.destination = package.destination


def save_package(session: Session, package: Package) -> bool:
    """Store a new package; the same terms again change nothing. Returns whether it is new."""
    package.check()
    for p in package.payers:
        if session.get(NationRow, p.iso3) is None:
            raise InputError(f"packages[{package.id}].payers[{p.iso3}]", "unknown nation")
    existing = session.scalar(_query(None).where(PurlPackageRow.id == package.id))
    if existing is not None:
        if _to_domain(existing) == package:
            return False
        raise InputError(
            f"packages[{package.id}]", "exists with other terms; move it through its lifecycle"
        )
    row = PurlPackageRow(id=package.id)
    _fill(row, package)
    row.items = [
        PurlItemRow(item=i.item, quantity=i.quantity, pallets=i.pallets) for i in package.items
    ]
    row.payers = [
        PurlPayerRow(iso3=p.iso3, amount_usd=p.amount_usd, paid_on=p.paid_on)
        for p in package.payers
    ]
    session.add(row)
    session.flush()
    return True


def update_package(session: Session, package: Package) -> None:
    """Write a package's status, dates and payments (its terms never change)."""
    package.check()
    row = session.scalar(_query(None).where(PurlPackageRow.id == package.id))
    if row is None:
        raise InputError(f"packages[{package.id}]", "no such package")
    _fill(row, package)
    paid = {p.iso3: p.paid_on for p in package.payers}
    for payer in row.payers:
        payer.paid_on = paid[payer.iso3]
    session.flush()
