"""A small mixed-integer model, built once and handed to any solver back-end.

Columns and rows carry names (`x[...]`, `cap[...]`), so that a model can be read, written
out and checked by name; solutions are read back by column name or by the index `add_var`
returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from ramstein.domain.plans import SolveStatus

INF = float("inf")

# Called with (best objective found, proven bound) while a solver runs.
ProgressCallback = Callable[[float, float], None]


class Row(NamedTuple):
    """One constraint: `lower <= sum(coefficients[k] * x[indices[k]]) <= upper`."""

    indices: list[int]
    coefficients: list[float]
    lower: float
    upper: float
    name: str


@dataclass
class Milp:
    """Optimise (`sense`: "max" or "min") `cost · x` subject to row and variable bounds."""

    sense: str = "max"

    names: list[str] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

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
        self,
        coefficients: dict[int, float],
        *,
        lower: float = -INF,
        upper: float = INF,
        name: str = "",
    ) -> int:
        """Add `lower <= sum(coefficient * x) <= upper`; returns its index.

        Unnamed rows are called `r<index>`.
        """
        indices = list(coefficients)
        index = len(self.rows)
        self.rows.append(
            Row(indices, [coefficients[i] for i in indices], lower, upper, name or f"r{index}")
        )
        return index

    def column(self, name: str) -> int:
        """The index of the column called `name` (KeyError if there is none)."""
        if len(self._index) != len(self.names):
            self._index = {n: i for i, n in enumerate(self.names)}
        return self._index[name]

    def row(self, name: str) -> Row:
        """The row called `name` (KeyError if there is none)."""
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(name)


@dataclass(frozen=True)
class MilpSolution:
    """A back-end's answer: variable values (None without a feasible point), status and bound."""

    values: list[float] | None
    status: SolveStatus
    objective: float
    bound: float
    seconds: float
    solver: str
    names: list[str] = field(default_factory=list, repr=False)

    def value(self, name: str) -> float:
        """The value of the column called `name` (0 without a feasible point)."""
        if self.values is None:
            return 0.0
        return self.values[self.names.index(name)]

    def by_name(self) -> dict[str, float]:
        """Every column's value by name (empty without a feasible point)."""
        if self.values is None:
            return {}
        return dict(zip(self.names, self.values, strict=True))
