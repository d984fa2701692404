"""The `ramstein.training/1` input and `ramstein.training-plan/1` output documents."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field

from ramstein.domain.plans import SolveStats, TrainingPlan, Unassigned
from ramstein.domain.training import Cohort, Course, Session, TrainingInstance
from ramstein.domain.types import Id
from ramstein.io.errors import Strict, parse_document

TRAINING_FORMAT = "ramstein.training/1"
PLAN_FORMAT = "ramstein.training-plan/1"


class CourseDoc(Strict):
    code: Id
    name: str = ""
    duration_days: Annotated[int, Field(ge=0, le=3650)] = 0
    crews: list[Id] = []


class SessionDoc(Strict):
    id: Id
    course: Id
    host: str
    site: str = ""
    start: date
    end: date
    capacity: Annotated[int, Field(ge=0, le=1_000_000)]
    language: str = ""


class CohortDoc(Strict):
    id: Id
    course: Id
    size: Annotated[int, Field(ge=0, le=1_000_000)]
    available_from: date
    needed_by: date
    priority: Annotated[float, Field(ge=0, le=1e9)]
    requirement: str = ""


class TrainingDoc(Strict):
    format: Literal["ramstein.training/1"]
    courses: list[CourseDoc] = []
    sessions: list[SessionDoc]
    cohorts: list[CohortDoc]


def parse_training(text: str) -> TrainingInstance:
    """Validate a `ramstein.training/1` document and return its instance; raises InputError."""
    doc = parse_document(text, TrainingDoc)
    instance = TrainingInstance(
        sessions=tuple(
            Session(s.id, s.course, s.host, s.site, s.start, s.end, s.capacity, s.language)
            for s in doc.sessions
        ),
        cohorts=tuple(
            Cohort(c.id, c.course, c.size, c.available_from, c.needed_by, c.priority, c.requirement)
            for c in doc.cohorts
        ),
        courses=tuple(Course(c.code, c.name, c.duration_days, tuple(c.crews)) for c in doc.courses),
    )
    instance.check()
    return instance


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def plan_document(plan: TrainingPlan, instance: TrainingInstance) -> dict[str, Any]:
    """The `ramstein.training-plan/1` document of a plan."""
    return {
        "format": PLAN_FORMAT,
        "score": _number(plan.score),
        "bound": _number(plan.bound) if math.isfinite(plan.bound) else None,
        "optimal": plan.optimal,
        "assignments": [{"cohort": c, "session": s} for c, s in plan.assignments],
        "unassigned": [{"cohort": u.cohort, "reason": u.reason} for u in plan.unassigned],
        "sessions": [
            {"id": s.id, "used": plan.used[s.id], "capacity": s.capacity} for s in instance.sessions
        ],
    }


def plan_from_document(doc: dict[str, Any], stats: SolveStats) -> TrainingPlan:
    """A training plan read back from its saved `ramstein.training-plan/1` document."""
    # A solve stopped before proving any bound saves `null`: nothing above is excluded.
    bound = math.inf if doc["bound"] is None else float(doc["bound"])
    return TrainingPlan(
        float(doc["score"]),
        bound,
        doc["optimal"],
        tuple((a["cohort"], a["session"]) for a in doc["assignments"]),
        tuple(Unassigned(u["cohort"], u["reason"]) for u in doc["unassigned"]),
        {s["id"]: s["used"] for s in doc["sessions"]},
        stats,
    )


def instance_document(instance: TrainingInstance) -> dict[str, Any]:
    """The `ramstein.training/1` document of an instance."""
    return {
        "format": TRAINING_FORMAT,
        "courses": [
            {
                "code": c.code,
                "name": c.name,
                "duration_days": c.duration_days,
                "crews": list(c.crews),
            }
            for c in instance.courses
        ],
        "sessions": [
            {
                "id": s.id,
                "course": s.course,
                "host": s.host,
                "site": s.site,
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "capacity": s.capacity,
                "language": s.language,
            }
            for s in instance.sessions
        ],
        "cohorts": [
            {
                "id": c.id,
                "course": c.course,
                "size": c.size,
                "available_from": c.available_from.isoformat(),
                "needed_by": c.needed_by.isoformat(),
                "priority": c.priority,
                "requirement": c.requirement,
            }
            for c in instance.cohorts
        ],
    }
