"""Schedule the stored cohorts into the stored sessions and keep the plan as a version."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ramstein.domain.plans import TrainingPlan
from ramstein.domain.training import TrainingInstance
from ramstein.io.train_json import instance_document, plan_document
from ramstein.plan.milp import ProgressCallback
from ramstein.plan.train import solve_train
from ramstein.store.plans import PlanRecord, save_plan
from ramstein.store.training import stored_training

KIND = "train"


@dataclass(frozen=True)
class SavedTraining:
    """A training plan, its instance and the version it was saved as."""

    instance: TrainingInstance
    plan: TrainingPlan
    record: PlanRecord


def plan_and_save(
    session: Session,
    *,
    actor: str,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    solver: str = "highs",
) -> SavedTraining:
    """Schedule the stored cohorts and save the plan as the next version."""
    instance = stored_training(session)
    plan = solve_train(instance, time_limit=time_limit, on_progress=on_progress, solver=solver)
    record = save_plan(
        session,
        kind=KIND,
        inputs=instance_document(instance),
        document=plan_document(plan, instance),
        stats=plan.stats,
        score=plan.score,
        bound=plan.bound,
        optimal=plan.optimal,
        actor=actor,
    )
    return SavedTraining(instance, plan, record)
