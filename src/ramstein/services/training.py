"""Schedule the stored cohorts into the stored sessions."""

from __future__ import annotations

from typing import Final

from sqlalchemy.orm import Session

from ramstein.domain.plans import PlanKind, TrainingPlan
from ramstein.domain.training import TrainingInstance
from ramstein.io.train_json import instance_document, plan_document
from ramstein.plan.milp import ProgressCallback
from ramstein.plan.train import solve_train
from ramstein.services.plans import Solved
from ramstein.store.training import stored_training

KIND: Final = PlanKind.TRAIN


def solve(
    session: Session,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    solver: str = "highs",
) -> Solved[TrainingInstance, TrainingPlan]:
    """Schedule the stored cohorts (save the plan with `services.plans.save`)."""
    instance = stored_training(session)
    plan = solve_train(instance, time_limit=time_limit, on_progress=on_progress, solver=solver)
    document = plan_document(plan, instance)
    return Solved(KIND, instance, plan, instance_document(instance), document, plan.score)
