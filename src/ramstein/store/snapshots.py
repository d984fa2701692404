"""Progress snapshots in the store: recorded once, never changed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from ramstein.domain.errors import InputError
from ramstein.shares.credit import Credit
from ramstein.shares.fair import NationShare, SharesResult
from ramstein.shares.review import Figures, Snapshot
from ramstein.store.models import SnapshotCreditRow, SnapshotLineRow, SnapshotRow


class SnapshotImmutable(Exception):
    """A write tried to change or delete a recorded snapshot."""


def _refuse(_mapper: Any, _connection: Any, target: Any) -> None:
    raise SnapshotImmutable(f"snapshots are immutable: {type(target).__name__} {target.id}")


def guard() -> None:
    """Refuse, at the mapper, any update or delete of a snapshot's rows (idempotent)."""
    for table in (SnapshotRow, SnapshotLineRow, SnapshotCreditRow):
        for name in ("before_update", "before_delete"):
            if not event.contains(table, name, _refuse):
                event.listen(table, name, _refuse)


def save_snapshot(session: Session, year: int, label: str, figures: Figures, actor: str) -> None:
    """Record the figures as snapshot `label` of period `year`; a label is taken once."""
    exists = session.scalar(
        select(SnapshotRow.id).where(SnapshotRow.year == year, SnapshotRow.label == label)
    )
    if exists is not None:
        raise InputError("snapshot", f"{label} {year} is already recorded; snapshots never change")
    row = SnapshotRow(
        year=year,
        label=label,
        cutoff=figures.cutoff,
        taken_at=datetime.now(UTC),
        actor=actor,
        baseline_eur=figures.result.baseline_eur,
        uncovered_eur=figures.result.uncovered_eur,
    )
    row.lines = [
        SnapshotLineRow(
            iso3=n.iso3,
            participating=n.participating,
            key_share=n.key_share,
            fair_share_eur=n.fair_share_eur,
            counted_eur=n.counted_eur,
            gap_eur=n.gap_eur,
            counted_pct_of_gdp=n.counted_pct_of_gdp,
        )
        for n in figures.result.nations
    ]
    row.credits = [
        SnapshotCreditRow(contribution=c.contribution, iso3=c.iso3, eur=c.eur)
        for c in figures.credits
    ]
    session.add(row)
    session.flush()


def list_snapshots(session: Session, names: dict[str, str]) -> list[Snapshot]:
    """Every recorded snapshot, oldest period and cut-off first; `names` label the nations."""
    rows = session.scalars(
        select(SnapshotRow)
        .options(selectinload(SnapshotRow.lines), selectinload(SnapshotRow.credits))
        .order_by(SnapshotRow.year, SnapshotRow.cutoff)
    )
    return [
        Snapshot(
            year=r.year,
            label=r.label,
            taken_at=r.taken_at,
            actor=r.actor,
            figures=Figures(
                year=r.year,
                cutoff=r.cutoff,
                result=SharesResult(
                    baseline_eur=r.baseline_eur,
                    uncovered_eur=r.uncovered_eur,
                    nations=tuple(
                        NationShare(
                            iso3=line.iso3,
                            name=names.get(line.iso3, line.iso3),
                            participating=line.participating,
                            key_share=line.key_share,
                            fair_share_eur=line.fair_share_eur,
                            counted_eur=line.counted_eur,
                            gap_eur=line.gap_eur,
                            counted_pct_of_gdp=line.counted_pct_of_gdp,
                        )
                        for line in r.lines
                    ),
                ),
                credits=tuple(Credit(c.contribution, c.iso3, c.eur) for c in r.credits),
            ),
        )
        for r in rows
    ]
