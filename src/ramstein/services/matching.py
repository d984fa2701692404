"""Plan the stored requirements against the stored offers and keep the plan as a version."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ramstein.domain.items import MatchInstance
from ramstein.domain.plans import MatchPlan
from ramstein.io.match_json import instance_document, plan_document
from ramstein.plan.match import solve_match
from ramstein.plan.milp import ProgressCallback
from ramstein.store import catalog
from ramstein.store.plans import PlanRecord, save_plan

KIND = "match"


@dataclass(frozen=True)
class SavedMatch:
    """A match plan, its instance and the version it was saved as."""

    instance: MatchInstance
    plan: MatchPlan
    record: PlanRecord


def plan_and_save(
    session: Session,
    *,
    actor: str,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> SavedMatch:
    """Solve the stored instance and save the plan as the next version."""
    instance = catalog.match_instance(session)
    plan = solve_match(instance, time_limit=time_limit, on_progress=on_progress)
    record = save_plan(
        session,
        kind=KIND,
        inputs=instance_document(instance),
        document=plan_document(plan),
        stats=plan.stats,
        score=plan.score,
        bound=plan.bound,
        optimal=plan.optimal,
        actor=actor,
    )
    return SavedMatch(instance, plan, record)
