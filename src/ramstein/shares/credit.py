"""Credit for contributions: who paid gets it, once, whatever the route the money took.

Rules (docs/methodology.md explains them with examples):

- a root flow (no `parent`) without `funders` credits its donor with its whole amount;
- a root flow with `funders` credits each funder with its share of the amount, whether or
  not the donor (the nation that delivers) is among them;
- a child flow (with a `parent`) records where a root's money went on to, such as a trust
  fund's purchase; it is never credited, so the root's euro is counted once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ramstein.domain.contributions import Contribution
from ramstein.domain.errors import InputError
from ramstein.domain.money import FxTable
from ramstein.shares.keys import KEY_CURRENCY

SHARE_TOLERANCE = 1e-9
EUR_TOLERANCE = 0.5  # children may round their parts; half a euro is not double counting


class Rule(StrEnum):
    """Which credit rule a flow fell under."""

    DONOR = "donor"  # single donor: the one who delivers paid
    FUNDERS = "funders"  # paid by its funders in their shares (co-funded or paid for)
    CHANNELLED = "channelled"  # onward flow of a parent's money: credited at the root


@dataclass(frozen=True)
class Credit:
    """A part of a flow's value credited to one nation."""

    contribution: str
    iso3: str
    eur: float


@dataclass(frozen=True)
class Flow:
    """A contribution's credit: its rule, its root, and the nations credited."""

    contribution: Contribution
    eur: float
    rule: Rule
    root: str
    credits: tuple[Credit, ...]

    @property
    def split(self) -> bool:
        """Whether the credit goes elsewhere than wholly to the donor."""
        return self.rule is not Rule.DONOR


def rule_of(c: Contribution) -> Rule:
    """The credit rule that applies to a contribution."""
    if c.parent is not None:
        return Rule.CHANNELLED
    if c.funders and [(f.iso3, f.share) for f in c.funders] != [(c.donor, 1.0)]:
        return Rule.FUNDERS
    return Rule.DONOR


def check_funders(c: Contribution, listed: set[str] | None = None) -> None:
    """A flow's funders are distinct known nations whose positive shares add up to one."""
    field = f"contributions[{c.id}].funders"
    if not c.funders:
        return
    if c.parent is not None:
        raise InputError(field, "a channelled flow takes its credit from its parent")
    seen: set[str] = set()
    for f in c.funders:
        if listed is not None and f.iso3 not in listed:
            raise InputError(field, f"unknown nation {f.iso3!r}")
        if f.iso3 in seen:
            raise InputError(field, f"{f.iso3} is named twice")
        if not 0 < f.share <= 1:
            raise InputError(field, f"{f.iso3}'s share {f.share} is not in (0, 1]")
        seen.add(f.iso3)
    total = math.fsum(f.share for f in c.funders)
    if abs(total - 1) > SHARE_TOLERANCE:
        raise InputError(field, f"shares add up to {total:g}, not 1")


def roots(contributions: Sequence[Contribution]) -> dict[str, str]:
    """Each contribution's root flow; unknown parents and cycles are errors."""
    by_id = {c.id: c for c in contributions}
    found: dict[str, str] = {}
    for c in contributions:
        chain = [c.id]
        current = c
        while current.parent is not None:
            if current.parent not in by_id:
                raise InputError(
                    f"contributions[{current.id}].parent",
                    f"unknown contribution {current.parent!r}",
                )
            if current.parent in chain:
                raise InputError(f"contributions[{current.id}].parent", "makes a cycle")
            if current.parent in found:
                chain.append(current.parent)
                break
            current = by_id[current.parent]
            chain.append(current.id)
        root = found.get(chain[-1], chain[-1])
        for cid in chain:
            found[cid] = root
    return found


def to_eur(c: Contribution, fx: FxTable) -> float:
    """A contribution's amount in EUR at the rate its date has by the rule (0 without a figure)."""
    if c.amount is None:
        return 0.0
    return fx.convert_on(
        c.amount, c.currency, KEY_CURRENCY, c.date, field=f"contributions[{c.id}].currency"
    )


def check_flows(contributions: Sequence[Contribution], fx: FxTable, listed: set[str]) -> None:
    """Funders, parents and amounts are consistent: no flow passes on more than it got."""
    for c in contributions:
        check_funders(c, listed)
    roots(contributions)
    passed_on: dict[str, list[float]] = defaultdict(list)
    for c in contributions:
        if c.parent is not None:
            passed_on[c.parent].append(to_eur(c, fx))
    by_id = {c.id: c for c in contributions}
    for parent, parts in passed_on.items():
        if by_id[parent].amount is None:
            continue
        if math.fsum(parts) > to_eur(by_id[parent], fx) + EUR_TOLERANCE:
            raise InputError(
                f"contributions[{parent}].amount", "its channelled flows add up to more than it"
            )


def flows(
    contributions: Sequence[Contribution], fx: FxTable, counts: Callable[[Contribution], bool]
) -> list[Flow]:
    """Every flow's rule and credits; only counting root flows carry credit.

    Amounts are converted for counting flows only (`eur` is 0 for the others), so a flow
    outside the period needs no exchange rate.
    """
    root_of = roots(contributions)
    result = []
    for c in contributions:
        rule = rule_of(c)
        credits: tuple[Credit, ...] = ()
        counting = counts(c) and c.amount is not None
        eur = to_eur(c, fx) if counting else 0.0
        if rule is not Rule.CHANNELLED and counting:
            if rule is Rule.DONOR:
                credits = (Credit(c.id, c.donor, eur),)
            else:
                credits = tuple(Credit(c.id, f.iso3, eur * f.share) for f in c.funders)
        result.append(Flow(c, eur, rule, root_of[c.id], credits))
    return result


def credited(all_flows: Iterable[Flow], nations: Iterable[str]) -> dict[str, float]:
    """Each nation's credited total in EUR, adding credits in the flows' order."""
    totals = dict.fromkeys(nations, 0.0)
    for flow in all_flows:
        for credit in flow.credits:
            totals[credit.iso3] += credit.eur
    return totals
