"""Courses, their sessions at donors' sites, and the recipient's cohorts to train."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ramstein.domain.errors import InputError


@dataclass(frozen=True)
class Course:
    """What is taught: `code`, how long, and which item types its graduates crew."""

    code: str
    name: str = ""
    duration_days: int = 0
    crews: tuple[str, ...] = ()


@dataclass(frozen=True)
class Session:
    """One run of a course at a host nation's site, with dates and a capacity."""

    id: str
    course: str
    host: str
    site: str
    start: date
    end: date
    capacity: int
    language: str = ""


@dataclass(frozen=True)
class Cohort:
    """A group of the recipient's personnel to train together, for one requirement."""

    id: str
    course: str
    size: int
    available_from: date
    needed_by: date
    priority: float
    requirement: str = ""


@dataclass(frozen=True)
class TrainingInstance:
    """Sessions and cohorts (and, from the store, the courses they refer to)."""

    sessions: tuple[Session, ...]
    cohorts: tuple[Cohort, ...]
    courses: tuple[Course, ...] = ()

    def check(self) -> None:
        """Raise InputError for duplicate ids, bad dates or sizes, or an unknown course."""
        known = {c.code for c in self.courses} or {s.course for s in self.sessions}
        seen: set[str] = set()
        for s in self.sessions:
            name = f"sessions[{s.id}]"
            if s.id in seen:
                raise InputError(f"{name}.id", "duplicate id")
            seen.add(s.id)
            if s.end < s.start:
                raise InputError(f"{name}.end", f"{s.end} is before start {s.start}")
            if s.capacity <= 0:
                raise InputError(f"{name}.capacity", "must be a positive integer")
            if s.course not in known:
                raise InputError(f"{name}.course", f"unknown course {s.course!r}")
        seen = set()
        for c in self.cohorts:
            name = f"cohorts[{c.id}]"
            if c.id in seen:
                raise InputError(f"{name}.id", "duplicate id")
            seen.add(c.id)
            if c.needed_by < c.available_from:
                raise InputError(
                    f"{name}.needed_by",
                    f"{c.needed_by} is before available_from {c.available_from}",
                )
            if c.size <= 0:
                raise InputError(f"{name}.size", "must be a positive integer")
            if not c.priority > 0:
                raise InputError(f"{name}.priority", "must be positive")
            if c.course not in known:
                raise InputError(f"{name}.course", f"unknown course {c.course!r}")


def fits(cohort: Cohort, session: Session) -> bool:
    """Whether a session may take a cohort: same course, within the cohort's dates."""
    return (
        session.course == cohort.course
        and session.start >= cohort.available_from
        and session.end <= cohort.needed_by
    )


def lanes(sessions: tuple[Session, ...] | list[Session]) -> list[list[Session]]:
    """Sessions in lanes (rows of a Gantt chart) so that no two in a lane overlap: each
    goes, in order of start, into the first lane whose last session ended before it
    starts; a lane is added only when every lane is busy (as few lanes as the busiest day
    needs)."""
    rows: list[list[Session]] = []
    for s in sorted(sessions, key=lambda s: (s.start, s.end, s.id)):
        for row in rows:
            if row[-1].end < s.start:
                row.append(s)
                break
        else:
            rows.append([s])
    return rows
