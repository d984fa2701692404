"""Capability coalitions: nations co-led by their leads for one capability, with a roadmap
of targets by item and year, and the pure rules over them (coverage, roadmap progress)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ramstein.domain.errors import InputError
from ramstein.domain.items import Offer, Requirement
from ramstein.domain.types import check_id

MAX_UNITS = 100_000_000


@dataclass(frozen=True)
class RoadmapTarget:
    """`quantity` units of `item` by the end of `year`; `illustrative` when not published."""

    item: str
    year: int
    quantity: int
    illustrative: bool = False
    source: str = ""


@dataclass(frozen=True)
class Coalition:
    """A capability coalition: its id, name, lead nations (ISO3) and roadmap."""

    id: str
    name: str
    leads: tuple[str, ...]
    targets: tuple[RoadmapTarget, ...] = ()
    note: str = ""

    def check(self) -> None:
        """Raise InputError for a bad id, no lead, a duplicate lead or a bad target."""
        field = f"coalitions[{self.id}]"
        check_id(self.id, f"{field}.id")
        if not self.name.strip():
            raise InputError(f"{field}.name", "must not be empty")
        if len(set(self.leads)) != len(self.leads):
            raise InputError(f"{field}.leads", "a nation leads a coalition once")
        seen: set[tuple[str, int]] = set()
        for t in self.targets:
            check_target(self.id, t)
            if (t.item, t.year) in seen:
                raise InputError(f"{field}.targets[{t.item}:{t.year}]", "duplicate target")
            seen.add((t.item, t.year))


def check_target(coalition: str, target: RoadmapTarget) -> None:
    """Hard: a target is 1 to 100 million units by a year of the roadmaps (2024-2035)."""
    field = f"coalitions[{coalition}].targets[{target.item}:{target.year}]"
    if not 0 < target.quantity <= MAX_UNITS:
        raise InputError(f"{field}.quantity", f"must be a whole number from 1 to {MAX_UNITS:,}")
    if not 2024 <= target.year <= 2035:
        raise InputError(f"{field}.year", f"{target.year} is outside 2024-2035")


@dataclass(frozen=True)
class Coverage:
    """A requirement against the units offered for it (its item or a substitute)."""

    requirement: str
    item: str
    priority: float
    required: int
    offered: int

    @property
    def covered(self) -> int:
        """Units of the requirement the offers could cover, before pooling components."""
        return min(self.required, self.offered)


def coverage(requirements: list[Requirement], offers: list[Offer]) -> list[Coverage]:
    """Each requirement against every given offer of its item or a substitute, whole units.

    Offers of one item are shared between requirements in priority order, so that no unit
    is counted twice; assemblies built from components are the match planner's work.
    """
    left: dict[str, int] = defaultdict(int)
    for o in offers:
        left[o.item] += o.quantity
    rows = []
    for r in sorted(requirements, key=lambda r: (-r.priority, r.id)):
        offered = 0
        for item in r.acceptable:
            take = min(left[item], r.quantity - offered)
            offered += take
            left[item] -= take
        rows.append(Coverage(r.id, r.item, r.priority, r.quantity, offered))
    return rows


@dataclass(frozen=True)
class Progress:
    """A roadmap target against the units offered for its item by the end of its year."""

    target: RoadmapTarget
    offered: int

    @property
    def share(self) -> float:
        """Offered over target, capped at 1."""
        return min(1.0, self.offered / self.target.quantity)


def progress(targets: tuple[RoadmapTarget, ...], offers: list[Offer]) -> list[Progress]:
    """Each target against the units of its item offered and available by 31 December of its
    year (an offer without a date counts as available now)."""
    rows = []
    for t in sorted(targets, key=lambda t: (t.item, t.year)):
        end = date(t.year, 12, 31)
        offered = sum(
            o.quantity
            for o in offers
            if o.item == t.item and (o.available_from is None or o.available_from <= end)
        )
        rows.append(Progress(t, offered))
    return rows
