"""Read and write capability coalitions, their leads and roadmap targets."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.access import Role, Viewer
from ramstein.domain.coalitions import Coalition, RoadmapTarget, check_target
from ramstein.domain.errors import InputError
from ramstein.store.models import (
    CoalitionLeadRow,
    CoalitionRow,
    ItemRow,
    NationRow,
    RoadmapTargetRow,
)


def upsert_coalition(session: Session, coalition: Coalition) -> None:
    """Create or update a coalition and its leads and roadmap targets (unchanged rows are
    left as they are, so that loading twice writes nothing)."""
    coalition.check()
    field = f"coalitions[{coalition.id}]"
    for nation in coalition.leads:
        if session.get(NationRow, nation) is None:
            raise InputError(f"{field}.leads", f"unknown nation {nation!r}")
    for t in coalition.targets:
        if session.get(ItemRow, t.item) is None:
            raise InputError(f"{field}.targets[{t.item}:{t.year}].item", f"unknown item {t.item!r}")
    row = session.get(CoalitionRow, coalition.id)
    if row is None:
        row = CoalitionRow(id=coalition.id)
        session.add(row)
    if (row.name, row.note) != (coalition.name, coalition.note):
        row.name, row.note = coalition.name, coalition.note
    session.flush()
    stored = get_coalition(session, coalition.id)
    if stored.leads != coalition.leads:
        for old in session.scalars(
            select(CoalitionLeadRow).where(CoalitionLeadRow.coalition == coalition.id)
        ):
            session.delete(old)
        session.flush()
        for position, nation in enumerate(coalition.leads):
            session.add(CoalitionLeadRow(coalition=coalition.id, nation=nation, position=position))
    if set(stored.targets) != set(coalition.targets):
        for old_target in session.scalars(
            select(RoadmapTargetRow).where(RoadmapTargetRow.coalition == coalition.id)
        ):
            session.delete(old_target)
        session.flush()
        for t in coalition.targets:
            session.add(_target_row(coalition.id, t))
    session.flush()


def _target_row(coalition: str, t: RoadmapTarget) -> RoadmapTargetRow:
    return RoadmapTargetRow(
        coalition=coalition,
        item=t.item,
        year=t.year,
        quantity=t.quantity,
        illustrative=t.illustrative,
        source=t.source,
    )


def _row(session: Session, coalition: str) -> CoalitionRow:
    row = session.get(CoalitionRow, coalition)
    if row is None:
        raise InputError(f"coalitions[{coalition}]", "no such coalition")
    return row


def add_lead(session: Session, coalition: str, nation: str) -> None:
    """Make a nation a lead of a coalition (its accounts then act as the coalition's lead)."""
    _row(session, coalition)
    if session.get(NationRow, nation) is None:
        raise InputError(f"coalitions[{coalition}].leads", f"unknown nation {nation!r}")
    if session.get(CoalitionLeadRow, (coalition, nation)) is not None:
        return
    count = len(leads_of(session, coalition))
    session.add(CoalitionLeadRow(coalition=coalition, nation=nation, position=count))
    session.flush()


def remove_lead(session: Session, coalition: str, nation: str) -> None:
    """A nation no longer leads a coalition."""
    _row(session, coalition)
    row = session.get(CoalitionLeadRow, (coalition, nation))
    if row is None:
        raise InputError(f"coalitions[{coalition}].leads", f"{nation!r} is not a lead")
    session.delete(row)
    session.flush()


def set_target(session: Session, coalition: str, target: RoadmapTarget) -> None:
    """Add or replace one roadmap target of a coalition."""
    _row(session, coalition)
    check_target(coalition, target)
    if session.get(ItemRow, target.item) is None:
        raise InputError(
            f"coalitions[{coalition}].targets[{target.item}:{target.year}].item",
            f"unknown item {target.item!r}",
        )
    existing = session.get(RoadmapTargetRow, (coalition, target.item, target.year))
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(_target_row(coalition, target))
    session.flush()


def leads_of(session: Session, coalition: str) -> list[str]:
    """A coalition's lead nations, in their order."""
    return list(
        session.scalars(
            select(CoalitionLeadRow.nation)
            .where(CoalitionLeadRow.coalition == coalition)
            .order_by(CoalitionLeadRow.position, CoalitionLeadRow.nation)
        )
    )


def led_by(session: Session, nation: str | None) -> frozenset[str]:
    """The coalitions a nation leads (none for no nation)."""
    if nation is None:
        return frozenset()
    return frozenset(
        session.scalars(select(CoalitionLeadRow.coalition).where(CoalitionLeadRow.nation == nation))
    )


def with_coalitions(session: Session, viewer: Viewer) -> Viewer:
    """The viewer with the coalitions its nation leads (a nation account only)."""
    if viewer.role is not Role.NATION:
        return replace(viewer, coalitions=frozenset())
    return replace(viewer, coalitions=led_by(session, viewer.nation))


def get_coalition(session: Session, coalition: str) -> Coalition:
    """One coalition with its leads and targets; an unknown id raises InputError."""
    row = _row(session, coalition)
    targets = tuple(
        RoadmapTarget(t.item, t.year, t.quantity, t.illustrative, t.source)
        for t in session.scalars(
            select(RoadmapTargetRow)
            .where(RoadmapTargetRow.coalition == coalition)
            .order_by(RoadmapTargetRow.item, RoadmapTargetRow.year)
        )
    )
    return Coalition(row.id, row.name, tuple(leads_of(session, coalition)), targets, row.note)


def list_coalitions(session: Session) -> list[Coalition]:
    """Every coalition, by id."""
    ids = session.scalars(select(CoalitionRow.id).order_by(CoalitionRow.id))
    return [get_coalition(session, i) for i in ids]
