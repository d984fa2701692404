"""A small mixed-integer model, built once and handed to any solver back-end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ramstein.domain.plans import SolveStatus

INF = float("inf")

# Called with (best objective found, proven bound) while a solver runs.
ProgressCallback = Callable[[float, float], None]


@dataclass
class Milp:
    """Optimise (`sense`: "max" or "min") `cost · x` subject to row and variable bounds."""

    sense: str = "max"

    names: list[str] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    rows: list[tuple[list[int], list[float], float, float]] = field(default_factory=list)

    def add_var(
        self,
        name: str,
        *,
        cost: float = 0.0,
        lower: float = 0.0,
        upper: float = INF,
        integer: bool = True,
    ) -> int:
        """Add a variable; returns its index."""
        self.names.append(name)
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.names) - 1

    def add_row(
        self, coefficients: dict[int, float], *, lower: float = -INF, upper: float = INF
    ) -> None:
        """Add `lower <= sum(coefficient * x) <= upper`."""
        indices = list(coefficients)
        self.rows.append((indices, [coefficients[i] for i in indices], lower, upper))


@dataclass(frozen=True)
class MilpSolution:
    """A back-end's answer: variable values (None without a feasible point), status and bound."""

    values: list[float] | None
    status: SolveStatus
    objective: float
    bound: float
    seconds: float
    solver: str
