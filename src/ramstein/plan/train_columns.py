"""Column generation and diving for one course of the training model (issue #22).

The configuration LP gives each session a choice of one *pattern*: a set of cohorts
that fits its seats. Its optimum is at most the compact LP's, and for any cohort
prices mu >= 0 the Lagrangian value sum(mu) + sum over sessions of the best pattern at
reduced profits (priority x size - mu) bounds every plan from above: a proven bound
at every iteration, not only at the end. New patterns come from one knapsack per
session, solved for all sessions at once by dynamic programming over seats.

Plans come from diving: the patterns the LP takes whole, and those it takes most of
(up to FIX_SHARE of the open sessions a step), are fixed, the LP is priced again over
what is left, and so on until its answer is integral. With few large courses (~1,250
cohorts a course) this comes within a few hundredths of a percent of the bound where
the compact model on HiGHS never improves on its greedy start (docs/benchmarks.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ramstein.domain.training import Session, TrainingInstance

# Reduced profits and LP values closer than this to zero (or one) count as zero (or one).
EPS = 1e-6
# A dive fixes at most this share of the sessions still open in one step: more is faster,
# fewer keeps the LP's guidance fresher (measured on the few-courses benchmark).
FIX_SHARE = 0.3
# Pricing rounds per dive step after the root (the root is priced to the end).
ROUNDS_PER_STEP = 2
# Under a deadline, the share of a course's time the root LP may take before diving starts.
ROOT_SHARE = 0.6


@dataclass
class Course:
    """One course's cohorts and sessions as arrays: values, sizes, capacities, who fits where."""

    cohorts: list[str]
    sessions: list[str]
    value: NDArray[np.float64]
    size: NDArray[np.int64]
    capacity: NDArray[np.int64]
    eligible: NDArray[np.bool_]  # [cohort, session]


def course_arrays(instance: TrainingInstance, pairs: dict[str, list[Session]]) -> Course:
    """The arrays for one course's instance; `pairs` lists the sessions each cohort fits."""
    sessions = [s.id for s in instance.sessions]
    index = {sid: j for j, sid in enumerate(sessions)}
    eligible = np.zeros((len(instance.cohorts), len(sessions)), dtype=bool)
    for i, c in enumerate(instance.cohorts):
        for s in pairs.get(c.id, []):
            eligible[i, index[s.id]] = True
    return Course(
        cohorts=[c.id for c in instance.cohorts],
        sessions=sessions,
        value=np.array([c.priority * c.size for c in instance.cohorts], dtype=np.float64),
        size=np.array([c.size for c in instance.cohorts], dtype=np.int64),
        capacity=np.array([s.capacity for s in instance.sessions], dtype=np.int64),
        eligible=eligible,
    )


def price(
    profit: NDArray[np.float64],
    size: NDArray[np.int64],
    eligible: NDArray[np.bool_],
    capacity: NDArray[np.int64],
) -> tuple[NDArray[np.float64], list[list[int]]]:
    """Per session, the most profitable set of eligible cohorts within its seats (0-1 knapsack).

    One dynamic program over seats runs for many sessions together, a cohort at a time;
    cohorts with no positive profit are never worth taking and are skipped. Sessions go
    in blocks that keep the table of choices under TABLE_CELLS.
    """
    n_sessions = eligible.shape[1]
    values = np.zeros(n_sessions)
    patterns: list[list[int]] = [[] for _ in range(n_sessions)]
    if n_sessions == 0:
        return values, patterns
    width = int(capacity.max()) + 1
    worth = np.nonzero((profit > EPS) & (size < width) & eligible.any(axis=1))[0]
    block = max(1, TABLE_CELLS // max(1, len(worth) * width))
    for first in range(0, n_sessions, block):
        part = slice(first, min(first + block, n_sessions))
        part_values, part_patterns = _price_block(
            profit, size, eligible[worth, part], worth, capacity[part]
        )
        values[part] = part_values
        patterns[part] = part_patterns
    return values, patterns


# Cells (cohorts x sessions x seats) in one block's table of choices: 64 MB of booleans.
TABLE_CELLS = 64_000_000


def _price_block(
    profit: NDArray[np.float64],
    size: NDArray[np.int64],
    eligible: NDArray[np.bool_],  # [item, session] for the items in `worth`
    worth: NDArray[np.intp],
    capacity: NDArray[np.int64],
) -> tuple[NDArray[np.float64], list[list[int]]]:
    n_sessions = eligible.shape[1]
    width = int(capacity.max()) + 1
    items = [(t, int(k)) for t, k in enumerate(worth) if eligible[t].any()]
    best = np.zeros((n_sessions, width))
    taken = np.zeros((len(items), n_sessions, width), dtype=bool)
    for row, (t, k) in enumerate(items):
        s = int(size[k])
        if s >= width:
            continue
        rows = eligible[t]
        with_it = best[rows, : width - s] + profit[k]
        without = best[rows, s:]
        better = with_it > without + 1e-12
        taken[row, rows, s:] = better
        best[rows, s:] = np.where(better, with_it, without)
    everyone = np.arange(n_sessions)
    values = best[everyone, capacity]
    left = capacity.copy()
    patterns: list[list[int]] = [[] for _ in range(n_sessions)]
    for row in range(len(items) - 1, -1, -1):
        took = taken[row, everyone, left]
        if took.any():
            k = items[row][1]
            for j in np.nonzero(took)[0]:
                patterns[int(j)].append(k)
            left = left - took * size[k]
    return values, patterns


@dataclass
class Dive:
    """A dive's answer: cohort -> session (by index), the proven bound, and how it ended."""

    chosen: dict[int, int]
    bound: float
    rounds: int = 0
    columns: int = 0
    finished: bool = False
    notes: list[str] = field(default_factory=list)


class _Master:
    """The restricted configuration LP on HiGHS: rows for sessions, then for cohorts."""

    def __init__(self, course: Course) -> None:
        import highspy

        self.course = course
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        # Small LPs re-solved from the last basis: presolve and parallel simplex only cost.
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("solver", "simplex")
        self.h.setOptionValue("parallel", "off")
        self.h.setOptionValue("threads", 1)
        self.h.setOptionValue("simplex_strategy", 1)
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        rows = len(course.sessions) + len(course.cohorts)
        empty_int = np.array([], dtype=np.int32)
        # Rows without a lower side: a row "at its lower bound" of zero would price with the
        # wrong sign, and pricing would stop short of the LP's optimum.
        lower = np.full(rows, -highspy.kHighsInf)
        self.h.addRows(rows, lower, np.ones(rows), 0, empty_int, empty_int, np.array([]))
        self.columns: list[tuple[int, tuple[int, ...]]] = []

    def add(self, session: int, pattern: list[int]) -> None:
        """Add a pattern (cohort indices) for a session as a column in [0, 1]."""
        n_sessions = len(self.course.sessions)
        rows = np.array([session, *(n_sessions + k for k in pattern)], dtype=np.int32)
        value = float(self.course.value[pattern].sum()) if pattern else 0.0
        self.h.addCol(value, 0.0, 1.0, len(rows), rows, np.ones(len(rows)))
        self.columns.append((session, tuple(sorted(pattern))))

    def solve(self, seconds: float) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
        """Solve the LP; (column values, row prices >= 0), or None when out of time."""
        import highspy

        # HiGHS's clock runs from the object's creation across runs: its limit is a total.
        total = self.h.getRunTime() + max(seconds, 0.001)
        self.h.setOptionValue("time_limit", min(total, highspy.kHighsInf))
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = self.h.getSolution()
        return np.array(solution.col_value), np.abs(np.array(solution.row_dual))

    def fix(self, column: int) -> None:
        """Force a column to one."""
        self.h.changeColBounds(column, 1.0, 1.0)


def dive(course: Course, start: dict[int, int], *, deadline: float | None = None) -> Dive:
    """Price to the root LP's optimum (its bound proven), then dive to an integral plan.

    `start` (cohort -> session by index) seeds the columns. Stops at `deadline`
    (a `time.perf_counter()` value) with the patterns fixed so far, whatever the dive
    had reached; the caller completes and compares plans.
    """
    n_cohorts, n_sessions = course.eligible.shape
    master = _Master(course)
    by_session: dict[int, list[int]] = {}
    for k, j in start.items():
        by_session.setdefault(j, []).append(k)
    for session, cohorts in sorted(by_session.items()):
        master.add(session, cohorts)
    result = Dive({}, float(course.value[course.eligible.any(axis=1)].sum()))

    def left() -> float:
        return float("inf") if deadline is None else deadline - time.perf_counter()

    # The root may price for at most ROOT_SHARE of the time, so that there is time to dive.
    root_until = None if deadline is None else time.perf_counter() + ROOT_SHARE * left()
    closed = np.zeros(n_sessions, dtype=bool)
    placed = np.zeros(n_cohorts, dtype=bool)
    fixed: set[int] = set()
    root, rounds = True, 0
    values = np.zeros(0)
    while left() > 0:
        answer = master.solve(left())
        if answer is None:
            break
        values, prices = answer
        session_price, cohort_price = prices[:n_sessions], prices[n_sessions:]
        profit = np.where(placed, -1.0, course.value - cohort_price)
        open_eligible = course.eligible & ~closed[None, :]
        best, patterns = price(profit, course.size, open_eligible, course.capacity)
        if root:
            # Valid for any prices >= 0: each session takes at most one pattern.
            lagrangian = float(cohort_price.sum() + np.maximum(best, 0.0).sum())
            result.bound = min(result.bound, lagrangian)
        better = [int(j) for j in np.nonzero(~closed & (best - session_price > EPS))[0]]
        for j in better:
            master.add(j, patterns[j])
        added = len(better)
        if root and root_until is not None and time.perf_counter() > root_until:
            result.notes.append("root LP not priced out in time; bound from the last prices")
            root, added = False, 0
        if added and (root or rounds < ROUNDS_PER_STEP):
            rounds += 1
            continue
        # Priced out, the Lagrangian bound above equals the LP's optimum (to EPS per session).
        root = False
        rounds = 0
        loose = [
            (float(values[c]), c) for c in range(len(values)) if c not in fixed and values[c] > EPS
        ]
        whole = [c for v, c in loose if v > 1 - EPS]
        fractional = sorted(((v, c) for v, c in loose if v <= 1 - EPS), reverse=True)
        if not fractional and not added:
            fixed.update(whole)
            result.finished = True
            break
        result.rounds += 1
        batch = max(1, int(FIX_SHARE * (n_sessions - int(closed.sum()))))
        for c in _disjoint(master, whole + [c for _, c in fractional[:batch]], fixed):
            session, pattern = master.columns[c]
            master.fix(c)
            fixed.add(c)
            closed[session] = True
            placed[list(pattern)] = True
    if not result.finished:
        # Out of time: round the last LP, most-taken patterns first, around those fixed.
        taken = sorted((c for c in range(len(values)) if values[c] > EPS), key=lambda c: -values[c])
        fixed.update(_disjoint(master, taken, fixed))
        result.notes.append("time limit reached while diving; the rest filled greedily")
    for c in fixed:
        session, pattern = master.columns[c]
        for k in pattern:
            result.chosen[k] = session
    result.columns = len(master.columns)
    return result


def _disjoint(master: _Master, columns: list[int], fixed: set[int]) -> list[int]:
    """Of `columns` in order, those sharing no session or cohort with `fixed` or each other."""
    sessions = {master.columns[c][0] for c in fixed}
    cohorts = {k for c in fixed for k in master.columns[c][1]}
    out = []
    for c in columns:
        session, pattern = master.columns[c]
        if c in fixed or session in sessions or cohorts.intersection(pattern):
            continue
        out.append(c)
        sessions.add(session)
        cohorts.update(pattern)
    return out


def as_ids(course: Course, chosen: dict[int, int]) -> dict[str, str]:
    """Index choices as cohort id -> session id."""
    return {course.cohorts[k]: course.sessions[j] for k, j in chosen.items()}


def as_indices(course: Course, chosen: dict[str, str]) -> dict[int, int]:
    """Id choices as cohort index -> session index."""
    cohort = {cid: k for k, cid in enumerate(course.cohorts)}
    session = {sid: j for j, sid in enumerate(course.sessions)}
    return {cohort[c]: session[s] for c, s in chosen.items()}
