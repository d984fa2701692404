"""Readiness: when each unit a match plan delivers is usable (equipment there, crew trained).

A unit is ready on the later of its equipment's arrival under the route plan and its
crew's session end under the training plan; the later one is the binding cause. A unit
whose equipment or crew has no date in the plans is `not planned`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ramstein.domain.items import MatchInstance
from ramstein.domain.plans import MatchPlan, Source
from ramstein.domain.training import TrainingInstance

EN_DASH = "\u2013"  # between the first and last unit of a run, as in print


class Cause(StrEnum):
    """What decides a unit's readiness date."""

    EQUIPMENT = "equipment"
    TRAINING = "training"
    NOT_PLANNED = "not planned"


@dataclass(frozen=True)
class UnitReadiness:
    """One delivered unit: its equipment date, its crew's date, and when it is ready."""

    unit: int
    equipment: date | None
    training: date | None
    ready: date | None
    cause: Cause
    missing: str = ""


@dataclass(frozen=True)
class CapabilityReadiness:
    """A requirement's delivered units and when each is ready."""

    requirement: str
    item: str
    priority: float
    required: int
    units: tuple[UnitReadiness, ...]

    @property
    def last_ready(self) -> date | None:
        """The date the last delivered unit is ready (None if any is not planned)."""
        dates = [u.ready for u in self.units]
        return None if not dates or None in dates else max(d for d in dates if d is not None)


@dataclass(frozen=True)
class UnitRun:
    """Consecutive units of a capability ready on one date for one cause (`#1` to `#200`)."""

    first: int
    last: int
    ready: date | None
    cause: Cause
    missing: str = ""

    @property
    def units(self) -> int:
        """How many units the run holds."""
        return self.last - self.first + 1

    @property
    def label(self) -> str:
        """`#1\u2013#200 2024-09-15, equipment`; `#4 not planned (training)` when undated."""
        span = (
            f"#{self.first}" if self.first == self.last else f"#{self.first}{EN_DASH}#{self.last}"
        )
        if self.ready is None:
            return f"{span} not planned ({self.missing})" if self.missing else f"{span} not planned"
        return f"{span} {self.ready.isoformat()}, {self.cause.value}"


def unit_runs(units: tuple[UnitReadiness, ...] | list[UnitReadiness]) -> list[UnitRun]:
    """Group units, in order, into runs of consecutive units with the same date and cause."""
    runs: list[UnitRun] = []
    for u in units:
        last = runs[-1] if runs else None
        if (
            last is not None
            and last.last + 1 == u.unit
            and (last.ready, last.cause, last.missing) == (u.ready, u.cause, u.missing)
        ):
            runs[-1] = UnitRun(last.first, u.unit, u.ready, u.cause, u.missing)
        else:
            runs.append(UnitRun(u.unit, u.unit, u.ready, u.cause, u.missing))
    return runs


def unit_readiness(
    unit: int, equipment: date | None, training: date | None, trained: bool
) -> UnitReadiness:
    """Combine one unit's equipment and crew dates; `trained` says whether a crew is needed."""
    if equipment is None:
        return UnitReadiness(unit, None, training, None, Cause.NOT_PLANNED, "equipment")
    if not trained:
        return UnitReadiness(unit, equipment, None, equipment, Cause.EQUIPMENT)
    if training is None:
        return UnitReadiness(unit, equipment, None, None, Cause.NOT_PLANNED, "training")
    if training > equipment:
        return UnitReadiness(unit, equipment, training, training, Cause.TRAINING)
    return UnitReadiness(unit, equipment, training, equipment, Cause.EQUIPMENT)


def readiness(
    match: MatchInstance,
    match_plan: MatchPlan,
    arrivals: dict[str, date | None],
    training: TrainingInstance,
    crew_ready: dict[str, date],
) -> list[CapabilityReadiness]:
    """Every delivered unit's readiness, by requirement, highest priority first.

    `arrivals` maps an offer to the date its last pallet reaches its destination (None when
    some pallet is not delivered in the plan's horizon); `crew_ready` maps a placed cohort
    to its session's end.
    """
    requirements = {r.id: r for r in match.requirements}
    crewed_items = {item for course in training.courses for item in course.crews}
    cohorts_for: dict[str, list[str]] = defaultdict(list)
    for c in training.cohorts:
        cohorts_for[c.requirement].append(c.id)
    result = []
    for line in match_plan.requirements:
        # A requirement the plan gives nothing is listed too, with no units (0 of N).
        r = requirements[line.id]
        equipment = _equipment_dates(line.delivered, r.acceptable, line.sources, arrivals)
        needs_crew = r.item in crewed_items or bool(cohorts_for.get(r.id))
        crews = sorted(crew_ready[c] for c in cohorts_for.get(r.id, []) if c in crew_ready)
        # Earliest equipment with earliest crew: pairing in order never delays a unit more.
        units = tuple(
            unit_readiness(
                k + 1,
                eq,
                crews[k] if k < len(crews) else None,
                needs_crew,
            )
            for k, eq in enumerate(equipment)
        )
        result.append(CapabilityReadiness(r.id, r.item, r.priority, r.quantity, units))
    result.sort(key=lambda c: (-c.priority, c.requirement))
    return result


def _equipment_dates(
    delivered: int,
    acceptable: tuple[str, ...],
    sources: tuple[Source, ...],
    arrivals: dict[str, date | None],
) -> list[date | None]:
    """Per delivered unit, when its equipment is at its destination (earliest first).

    Whole units offered as such arrive with their own offer's consignments; units pooled
    from components are complete when the last component used arrives.
    """
    whole: list[date | None] = []
    pooled: list[date | None] = []
    for s in sources:
        when = arrivals.get(s.offer)
        if s.item in acceptable:
            whole += [when] * s.quantity
        else:
            pooled.append(when)
    dates = whole[:delivered]
    if len(dates) < delivered:
        last = None if None in pooled else max((d for d in pooled if d is not None), default=None)
        dates += [last] * (delivered - len(dates))
    return sorted(dates, key=lambda d: (d is None, d or date.max))


@dataclass(frozen=True)
class Slip:
    """How a capability's last ready date moves under a what-if."""

    requirement: str
    priority: float
    base: date | None
    what_if: date | None
    base_units: int
    what_if_units: int

    @property
    def days(self) -> int | None:
        """Days later (negative: earlier); None when either side is not planned."""
        if self.base is None or self.what_if is None:
            return None
        return (self.what_if - self.base) // timedelta(days=1)


def slips(base: list[CapabilityReadiness], what_if: list[CapabilityReadiness]) -> list[Slip]:
    """Per capability, its last ready date before and after, and its delivered units."""
    after = {c.requirement: c for c in what_if}
    rows = []
    for c in base:
        other = after.get(c.requirement)
        rows.append(
            Slip(
                c.requirement,
                c.priority,
                c.last_ready,
                other.last_ready if other else None,
                len(c.units),
                len(other.units) if other else 0,
            )
        )
    return rows
