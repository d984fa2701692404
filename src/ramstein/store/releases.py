"""Published releases in the store: recorded once, never changed (the mapper refuses)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ramstein.plan.disclosure import Basis
from ramstein.store.models import ReleaseRow


class ReleaseImmutable(Exception):
    """A write tried to change or delete a published release."""


def _refuse(_mapper: Any, _connection: Any, target: Any) -> None:
    raise ReleaseImmutable(f"releases are immutable: release {target.id}")


def guard() -> None:
    """Refuse, at the mapper, any update or delete of a release (idempotent)."""
    for name in ("before_update", "before_delete"):
        if not event.contains(ReleaseRow, name, _refuse):
            event.listen(ReleaseRow, name, _refuse)


def save_release(
    session: Session, year: int, on: date, basis: Basis, order: list[str], actor: str
) -> ReleaseRow:
    """Record a release of period `year` whose cells are `basis.published` in `order`."""
    row = ReleaseRow(
        year=year,
        published_on=on,
        published_at=datetime.now(UTC),
        actor=actor,
        unit_eur=basis.unit,
        cells=[[cell, basis.published[cell]] for cell in order],
        basis={
            "public": dict(basis.public),
            "hidden": [[*atom, eur] for atom, eur in sorted(basis.hidden.items())],
        },
    )
    session.add(row)
    session.flush()
    return row


def basis_of(row: ReleaseRow) -> Basis:
    """What the audit knew of a recorded release."""
    return Basis(
        unit=row.unit_eur,
        published={str(cell): float(eur) for cell, eur in row.cells},
        public={str(k): float(v) for k, v in row.basis["public"].items()},
        hidden={(str(n), str(k), str(c)): float(eur) for n, k, c, eur in row.basis["hidden"]},
    )


def list_releases(session: Session, year: int | None = None) -> list[ReleaseRow]:
    """Recorded releases (of one period, if given), oldest first."""
    query = select(ReleaseRow).order_by(ReleaseRow.id)
    if year is not None:
        query = query.where(ReleaseRow.year == year)
    return list(session.scalars(query))
