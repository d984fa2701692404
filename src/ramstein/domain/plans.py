"""Plans the solvers return: match plans with sources and asks, and solve statistics."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PlanKind(StrEnum):
    """The planners whose plans are saved as versions."""

    MATCH = "match"
    ROUTE = "route"
    TRAIN = "train"


class SolveStatus(StrEnum):
    """How a solve ended."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    HEURISTIC = "heuristic"
    INFEASIBLE = "infeasible"
    # Stopped by a limit other than time: the best point found so far and the bound hold.
    ITERATION_LIMIT = "iteration_limit"
    SOLUTION_LIMIT = "solution_limit"
    OBJECTIVE_LIMIT = "objective_limit"
    INTERRUPTED = "interrupted"
    MEMORY_LIMIT = "memory_limit"
    # No plan from the solver: the model is wrong or the solver failed.
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    ERROR = "error"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SolveStats:
    """What a solve reached: status, objective, proven bound and time."""

    solver: str
    status: SolveStatus
    objective: float
    bound: float
    seconds: float
    note: str = ""  # what the planner left out, and why (e.g. a pass skipped at the limit)


@dataclass(frozen=True)
class ItemQuantity:
    """`quantity` units of `item`."""

    item: str
    quantity: int


@dataclass(frozen=True)
class Source:
    """`quantity` units of `item` drawn from offer `offer`."""

    offer: str
    item: str
    quantity: int


@dataclass(frozen=True)
class RequirementPlan:
    """How one requirement is met: units delivered, their sources and the ask for one more."""

    id: str
    delivered: int
    shortfall: int
    sources: tuple[Source, ...]
    missing_for_next_unit: tuple[ItemQuantity, ...]


@dataclass(frozen=True)
class MatchPlan:
    """A match plan: score, proven bound, optimality, and each requirement's allocation."""

    score: float
    bound: float
    optimal: bool
    requirements: tuple[RequirementPlan, ...]
    stats: SolveStats


@dataclass(frozen=True)
class Movement:
    """`pallets` of a consignment leave `source` in `depart` and reach `target` in `arrive`."""

    consignment: str
    source: str
    target: str
    depart: int
    arrive: int
    pallets: int


@dataclass(frozen=True)
class ConsignmentOutcome:
    """What a route plan does for one consignment."""

    id: str
    delivered: int
    undelivered: int
    last_arrival: int | None
    late_pallet_periods: int


@dataclass(frozen=True)
class RoutePlan:
    """A route plan: objective, proven bound, movements, outcomes and hub loads."""

    objective: float
    bound: float
    optimal: bool
    movements: tuple[Movement, ...]
    consignments: tuple[ConsignmentOutcome, ...]
    hub_loads: dict[str, tuple[int, ...]]
    stats: SolveStats


@dataclass(frozen=True)
class Unassigned:
    """A cohort left out, and why: `no_session` or `capacity`."""

    cohort: str
    reason: str

    @property
    def explained(self) -> str:
        """The reason in words, for pages and terminals."""
        return UNASSIGNED_REASONS.get(self.reason, self.reason)


UNASSIGNED_REASONS = {
    "no_session": "no session of its course fits its dates",
    "capacity": "no seats left in the sessions that fit",
}


@dataclass(frozen=True)
class TrainingPlan:
    """A training plan: score, proven bound, assignments and the cohorts left out."""

    score: float
    bound: float
    optimal: bool
    assignments: tuple[tuple[str, str], ...]
    unassigned: tuple[Unassigned, ...]
    used: dict[str, int]
    stats: SolveStats
