"""Plan the stored requirements against the stored offers."""

from __future__ import annotations

from typing import Final

from sqlalchemy.orm import Session

from ramstein.domain.items import MatchInstance
from ramstein.domain.plans import MatchPlan, PlanKind
from ramstein.io.match_json import instance_document, plan_document
from ramstein.plan.match import solve_match
from ramstein.plan.milp import ProgressCallback
from ramstein.services.plans import Solved
from ramstein.store import catalog

KIND: Final = PlanKind.MATCH


def solve(
    session: Session,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> Solved[MatchInstance, MatchPlan]:
    """Solve the stored instance (save it with `services.plans.save`)."""
    instance = catalog.match_instance(session)
    plan = solve_match(instance, time_limit=time_limit, on_progress=on_progress)
    return Solved(
        KIND, instance, plan, instance_document(instance), plan_document(plan), plan.score
    )
