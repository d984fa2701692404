"""Time limits that hold: a planner's clock, and how far past its limit it may answer.

A planner's limit counts from its call, model building included; it answers within the
limit plus `margin(limit)`: the larger of 2 s and 5 % (reading back a solution, checking
it against the baseline, HiGHS noticing its own limit).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


def margin(time_limit: float) -> float:
    """How far past `time_limit` a planner may answer: the larger of 2 s and 5 %."""
    return max(2.0, 0.05 * time_limit)


@dataclass
class Clock:
    """Seconds left of a time limit (None: no limit), counted from the clock's creation."""

    limit: float | None
    started: float = field(default_factory=time.perf_counter)

    def left(self, reserve: float = 0.0) -> float | None:
        """Seconds left, less `reserve` (None without a limit; never below 0)."""
        if self.limit is None:
            return None
        return max(0.0, self.limit - reserve - self.spent())

    def spent(self) -> float:
        """Seconds since the start."""
        return time.perf_counter() - self.started
