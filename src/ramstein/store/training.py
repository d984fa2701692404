"""Read and write courses, their sessions and the cohorts to train."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.errors import InputError
from ramstein.domain.training import Cohort, Course, TrainingInstance
from ramstein.domain.training import Session as CourseSession
from ramstein.store.models import CohortRow, CourseRow, RequirementRow, TrainingSessionRow


def import_training(session: Session, instance: TrainingInstance) -> None:
    """Upsert an instance's courses (named, or implied by sessions), sessions and cohorts."""
    instance.check()
    courses = {c.code: c for c in instance.courses}
    for code in {s.course for s in instance.sessions} | {c.course for c in instance.cohorts}:
        courses.setdefault(code, Course(code))
    for course in courses.values():
        row = session.get(CourseRow, course.code) or CourseRow(code=course.code)
        if course.name or row.name is None:
            row.name, row.duration_days = course.name, course.duration_days
            row.crews = list(course.crews)
        session.add(row)
    session.flush()
    for s in instance.sessions:
        srow = session.get(TrainingSessionRow, s.id) or TrainingSessionRow(id=s.id)
        srow.course, srow.host, srow.site, srow.language = s.course, s.host, s.site, s.language
        srow.start, srow.end, srow.capacity = s.start, s.end, s.capacity
        session.add(srow)
    for c in instance.cohorts:
        crow = session.get(CohortRow, c.id) or CohortRow(id=c.id)
        crow.course, crow.size, crow.priority, crow.requirement = (
            c.course,
            c.size,
            c.priority,
            c.requirement,
        )
        crow.available_from, crow.needed_by = c.available_from, c.needed_by
        session.add(crow)
    session.flush()


def stored_training(session: Session) -> TrainingInstance:
    """The stored courses, sessions and cohorts as one instance."""
    return TrainingInstance(
        sessions=tuple(
            CourseSession(r.id, r.course, r.host, r.site, r.start, r.end, r.capacity, r.language)
            for r in session.scalars(select(TrainingSessionRow).order_by(TrainingSessionRow.id))
        ),
        cohorts=tuple(
            Cohort(r.id, r.course, r.size, r.available_from, r.needed_by, r.priority, r.requirement)
            for r in session.scalars(select(CohortRow).order_by(CohortRow.id))
        ),
        courses=tuple(
            Course(r.code, r.name, r.duration_days, tuple(str(x) for x in r.crews))
            for r in session.scalars(select(CourseRow).order_by(CourseRow.code))
        ),
    )


def upsert_cohort(session: Session, cohort: Cohort) -> None:
    """Create or update one cohort; its course (and requirement, when named) must exist."""
    field = f"cohorts[{cohort.id}]"
    if session.get(CourseRow, cohort.course) is None:
        raise InputError(f"{field}.course", f"unknown course {cohort.course!r}")
    if cohort.requirement and session.get(RequirementRow, cohort.requirement) is None:
        raise InputError(f"{field}.requirement", f"unknown requirement {cohort.requirement!r}")
    courses = tuple(Course(r.code) for r in session.scalars(select(CourseRow)))
    TrainingInstance(sessions=(), cohorts=(cohort,), courses=courses).check()
    row = session.get(CohortRow, cohort.id) or CohortRow(id=cohort.id)
    row.course, row.size, row.priority, row.requirement = (
        cohort.course,
        cohort.size,
        cohort.priority,
        cohort.requirement,
    )
    row.available_from, row.needed_by = cohort.available_from, cohort.needed_by
    session.add(row)
    session.flush()
