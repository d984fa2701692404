"""Saved plans read back as typed plans, and the one way a solved plan is saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar, overload

from sqlalchemy.orm import Session

from ramstein.domain.errors import InputError
from ramstein.domain.plans import MatchPlan, PlanKind, RoutePlan, SolveStats, TrainingPlan
from ramstein.io import match_json, route_json, train_json
from ramstein.store.plans import PlanRecord, latest_record, list_plans, save_plan


class Plan(Protocol):
    """What every planner's plan carries: the proven bound, optimality and solve statistics."""

    @property
    def bound(self) -> float: ...

    @property
    def optimal(self) -> bool: ...

    @property
    def stats(self) -> SolveStats: ...


I = TypeVar("I")  # noqa: E741 (the instance type, as in the planners' signatures)
P = TypeVar("P", bound=Plan)


@dataclass(frozen=True)
class Solved(Generic[I, P]):
    """A planner's answer before it is saved: its instance, plan and their documents."""

    kind: PlanKind
    instance: I
    plan: P
    inputs: dict[str, Any]
    document: dict[str, Any]
    score: float


@dataclass(frozen=True)
class Saved(Generic[I, P]):
    """A plan, its instance and the version it was saved as."""

    instance: I
    plan: P
    record: PlanRecord


@dataclass(frozen=True)
class SavedPlan(Generic[P]):
    """A saved plan read back: its header (and document as saved) and the typed plan."""

    record: PlanRecord
    plan: P


def save(session: Session, solved: Solved[I, P], *, actor: str) -> Saved[I, P]:
    """Save a solved plan as the next version of its kind."""
    record = save_plan(
        session,
        kind=solved.kind,
        inputs=solved.inputs,
        document=solved.document,
        stats=solved.plan.stats,
        score=solved.score,
        bound=solved.plan.bound,
        optimal=solved.plan.optimal,
        actor=actor,
    )
    return Saved(solved.instance, solved.plan, record)


def plan_and_save(
    session: Session, solve: Callable[[Session], Solved[I, P]], *, actor: str
) -> Saved[I, P]:
    """Solve over the store (`solve`: a planner service's `solve`) and save the plan."""
    return save(session, solve(session), actor=actor)


_READERS: dict[PlanKind, Callable[[dict[str, Any], SolveStats], Any]] = {
    PlanKind.MATCH: match_json.plan_from_document,
    PlanKind.ROUTE: route_json.plan_from_document,
    PlanKind.TRAIN: train_json.plan_from_document,
}


@overload
def latest_plan(session: Session, kind: Literal[PlanKind.MATCH]) -> SavedPlan[MatchPlan] | None: ...
@overload
def latest_plan(session: Session, kind: Literal[PlanKind.ROUTE]) -> SavedPlan[RoutePlan] | None: ...
@overload
def latest_plan(
    session: Session, kind: Literal[PlanKind.TRAIN]
) -> SavedPlan[TrainingPlan] | None: ...
def latest_plan(session: Session, kind: PlanKind) -> SavedPlan[Any] | None:
    """The newest saved plan of a kind, read back as its typed plan."""
    record = latest_record(session, kind)
    if record is None:
        return None
    return SavedPlan(record, read_plan(record))


def read_plan(record: PlanRecord) -> Any:
    """A saved plan's typed plan, read from its document."""
    return _READERS[record.kind](record.document, record.stats)


def plan_version(session: Session, kind: PlanKind, version: int | None) -> SavedPlan[Any]:
    """A saved plan of a kind by version (None: the newest), read back as its typed plan."""
    if version is None:
        record = latest_record(session, kind)
    else:
        record = next((r for r in list_plans(session, kind) if r.version == version), None)
    if record is None:
        which = "any" if version is None else f"version {version}"
        raise InputError(f"plans[{kind.value}].version", f"no saved {kind.value} plan, {which}")
    return SavedPlan(record, read_plan(record))
