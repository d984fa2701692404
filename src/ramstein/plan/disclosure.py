"""The disclosure audit: may a release of rounded totals be published without pinning down
any nation's confidential amounts?

A release publishes cells (the alliance total, one per category, one per channel, and a
nation's own line where it has nothing confidential), each rounded to `unit`. Everyone
knows the public rows, hence each cell's public part; the confidential ("hidden") part of
a cell is the sum of hidden atoms, an atom being what one nation is credited in one
category through one channel from rows the public may not see.

The audit plays the adversary. For every nation with hidden amounts, it asks HiGHS for the
least and the largest hidden total consistent with every cell of every release so far
(each true value lies within half a unit of its published one; atoms are never negative),
and refuses the release when that interval is not wider than ±`MARGIN` of the true
amount. It does the same for the change since each earlier release of the period, with
atoms that did not change shared between releases (the adversary is assumed to know which
did not: the audit errs on the safe side). And each released cell's hidden part must come
from at least `MIN_NATIONS` nations, none above `MAX_DOMINANCE` of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ramstein.domain.plans import SolveStatus
from ramstein.plan.highs import solve_highs
from ramstein.plan.milp import Milp

MARGIN = 0.25
MIN_NATIONS = 3
MAX_DOMINANCE = 0.8
# Below this (EUR) an amount is nothing: float dust, not a figure to protect.
NEGLIGIBLE = 0.5

Atom = tuple[str, str, str]  # nation, category, channel


def cell_of(name: str, atom: Atom) -> bool:
    """Whether an atom adds to the cell called `name` (`total`, `category:X`, `channel:X`,
    `nation:X`)."""
    if name == "total":
        return True
    kind, _, key = name.partition(":")
    nation, category, channel = atom
    return {"category": category, "channel": channel, "nation": nation}.get(kind) == key


@dataclass(frozen=True)
class Basis:
    """One release as the auditor knows it: the published (rounded) cells, their public
    parts, and the true hidden atoms."""

    unit: float
    published: dict[str, float]  # cell -> value as published (rounded)
    public: dict[str, float]  # cell -> the part everyone can compute from public rows
    hidden: dict[Atom, float]  # true confidential credit per atom (zero atoms left out)


def round_to(value: float, unit: float) -> float:
    """`value` rounded to the nearest multiple of `unit` (halves away from zero)."""
    steps = abs(value) / unit
    whole = int(steps + 0.5)
    return (whole if value >= 0 else -whole) * unit


def hidden_by_nation(basis: Basis, cell: str) -> dict[str, float]:
    """A cell's hidden part, nation by nation."""
    parts: dict[str, float] = defaultdict(float)
    for atom, eur in basis.hidden.items():
        if cell_of(cell, atom):
            parts[atom[0]] += eur
    return {n: v for n, v in parts.items() if v > NEGLIGIBLE}


def dominance_problems(basis: Basis) -> list[str]:
    """Cells whose hidden part comes from too few nations, or mostly from one."""
    problems = []
    for cell in basis.published:
        parts = hidden_by_nation(basis, cell)
        total = sum(parts.values())
        if total <= NEGLIGIBLE:
            continue
        if len(parts) < MIN_NATIONS:
            problems.append(
                f"{cell}: its confidential part comes from {len(parts)} nation(s), "
                f"fewer than {MIN_NATIONS}"
            )
        elif max(parts.values()) > MAX_DOMINANCE * total:
            problems.append(
                f"{cell}: one nation makes up {100 * max(parts.values()) / total:.0f} % of its "
                f"confidential part, over {100 * MAX_DOMINANCE:.0f} %"
            )
    return problems


@dataclass
class _Model:
    """The adversary's LP over all releases: one variable per (release, atom), shared
    between consecutive releases where the atom did not change."""

    milp: Milp
    var: list[dict[Atom, int]]  # per release: atom -> variable


def _model(history: Sequence[Basis], atoms: Sequence[Atom]) -> _Model:
    milp = Milp(sense="min")
    var: list[dict[Atom, int]] = []
    for r, basis in enumerate(history):
        mine: dict[Atom, int] = {}
        for atom in atoms:
            value = basis.hidden.get(atom, 0.0)
            if r > 0 and abs(history[r - 1].hidden.get(atom, 0.0) - value) <= NEGLIGIBLE:
                mine[atom] = var[r - 1][atom]
            else:
                mine[atom] = milp.add_var(f"h[{r},{','.join(atom)}]", integer=False)
        var.append(mine)
        for cell, value in basis.published.items():
            members = {mine[a]: 1.0 for a in atoms if cell_of(cell, a)}
            if not members:
                continue
            half = basis.unit / 2
            public = basis.public.get(cell, 0.0)
            milp.add_row(members, lower=value - half - public, upper=value + half - public)
    return _Model(milp, var)


def _range(model: _Model, weights: dict[int, float]) -> tuple[float, float]:
    """The least and largest value of `weights · x` over the LP."""
    found = []
    for sense in ("min", "max"):
        milp = model.milp
        milp.sense = sense
        milp.cost = [weights.get(i, 0.0) for i in range(len(milp.names))]
        solution = solve_highs(milp)
        if solution.status is not SolveStatus.OPTIMAL:
            # Unbounded or infeasible: nothing is pinned that the LP can show.
            return (float("-inf"), float("inf"))
        found.append(solution.objective)
    return found[0], found[1]


def _pinned(low: float, high: float, true: float) -> bool:
    return low > (1 - MARGIN) * true - NEGLIGIBLE or high < (1 + MARGIN) * true + NEGLIGIBLE


def _cells_of(basis: Basis, nation: str) -> str:
    """The published cells that hold some of a nation's hidden amount, most revealing first."""
    shares = []
    for cell in basis.published:
        parts = hidden_by_nation(basis, cell)
        if nation in parts:
            shares.append((-parts[nation] / sum(parts.values()), cell))
    return ", ".join(cell for _, cell in sorted(shares)[:3]) or "total"


def audit(history: Sequence[Basis], nations: Sequence[str]) -> list[str]:
    """What is wrong with publishing the last release after the others (earlier releases of
    the same period, oldest first); empty when it may be published."""
    candidate = history[-1]
    problems = dominance_problems(candidate)
    categories = sorted({c.partition(":")[2] for c in candidate.published if "category:" in c})
    channels = sorted({c.partition(":")[2] for c in candidate.published if "channel:" in c})
    atoms = [(n, k, c) for n in nations for k in categories or [""] for c in channels or [""]]
    for basis in history:
        for atom in basis.hidden:
            if atom not in atoms:
                atoms.append(atom)
    model = _model(history, atoms)
    last = model.var[-1]
    for nation in nations:
        true = sum(v for a, v in candidate.hidden.items() if a[0] == nation)
        if true > NEGLIGIBLE:
            weights = {last[a]: 1.0 for a in atoms if a[0] == nation}
            low, high = _range(model, weights)
            if _pinned(low, high, true):
                problems.append(
                    f"{_cells_of(candidate, nation)}: together with the public rows they pin "
                    f"{nation}'s confidential total to EUR {low / 1e9:,.2f}-{high / 1e9:,.2f} bn, "
                    f"within ±{100 * MARGIN:.0f} % of it"
                )
        for r, earlier in enumerate(history[:-1]):
            before = sum(v for a, v in earlier.hidden.items() if a[0] == nation)
            change = true - before
            if abs(change) <= NEGLIGIBLE:
                continue
            weights = defaultdict(float)
            for a in atoms:
                if a[0] == nation:
                    weights[last[a]] += 1.0
                    weights[model.var[r][a]] -= 1.0
            low, high = _range(model, {i: w for i, w in weights.items() if w})
            size = abs(change)
            if low > change - MARGIN * size or high < change + MARGIN * size:
                problems.append(
                    f"{_cells_of(candidate, nation)}: against release {r + 1} of the period "
                    f"they pin the change in {nation}'s confidential total to "
                    f"EUR {low / 1e9:,.2f}-{high / 1e9:,.2f} bn, within ±{100 * MARGIN:.0f} %"
                )
    return problems
