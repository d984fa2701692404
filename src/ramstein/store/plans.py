"""Versioned plans: each run of a planner is kept, so plans can be compared over time.

Documents are stored and returned as saved; `services.plans` reads them back as typed plans.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ramstein.domain.plans import PlanKind, SolveStats, SolveStatus
from ramstein.store.models import PlanRow
from ramstein.store.rows import from_row


@dataclass(frozen=True)
class PlanRecord:
    """A saved plan's header and document."""

    kind: PlanKind
    version: int
    created_at: datetime
    actor: str
    inputs_digest: str
    score: float
    bound: float
    optimal: bool
    solver: str
    seconds: float
    document: dict[str, Any]

    @property
    def stats(self) -> SolveStats:
        """The saved solve's statistics, from the header."""
        status = SolveStatus.OPTIMAL if self.optimal else SolveStatus.TIME_LIMIT
        return SolveStats(self.solver, status, self.score, self.bound, self.seconds)


def digest(document: dict[str, Any]) -> str:
    """SHA-256 of a document's canonical JSON."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def save_plan(
    session: Session,
    *,
    kind: PlanKind,
    inputs: dict[str, Any],
    document: dict[str, Any],
    stats: SolveStats,
    score: float,
    bound: float,
    optimal: bool,
    actor: str,
) -> PlanRecord:
    """Save a plan as the next version of its kind."""
    latest = session.scalar(select(func.max(PlanRow.version)).where(PlanRow.kind == kind))
    row = PlanRow(
        kind=kind,
        version=(latest or 0) + 1,
        created_at=datetime.now(UTC),
        actor=actor,
        inputs_digest=digest(inputs),
        score=score,
        bound=bound,
        optimal=optimal,
        solver=stats.solver,
        seconds=stats.seconds,
        document=document,
    )
    session.add(row)
    session.flush()
    return _record(row)


def list_plans(session: Session, kind: PlanKind) -> list[PlanRecord]:
    """Every saved plan of a kind, oldest first."""
    rows = session.scalars(select(PlanRow).where(PlanRow.kind == kind).order_by(PlanRow.version))
    return [_record(r) for r in rows]


def latest_record(session: Session, kind: PlanKind) -> PlanRecord | None:
    """The newest saved plan of a kind, its document as saved."""
    row = session.scalar(
        select(PlanRow).where(PlanRow.kind == kind).order_by(PlanRow.version.desc()).limit(1)
    )
    return _record(row) if row else None


def _record(row: PlanRow) -> PlanRecord:
    return from_row(PlanRecord, row)
