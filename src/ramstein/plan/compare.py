"""Two match plans side by side: which requirements gained or lost units, and from whom."""

from __future__ import annotations

from dataclasses import dataclass

from ramstein.domain.items import Offer
from ramstein.domain.plans import MatchPlan


@dataclass(frozen=True)
class RequirementChange:
    """One requirement's planned units and donors in the older and the newer plan."""

    requirement: str
    before: int
    after: int
    donors_before: tuple[str, ...]
    donors_after: tuple[str, ...]

    @property
    def change(self) -> int:
        """Units gained (negative: lost)."""
        return self.after - self.before

    @property
    def verdict(self) -> str:
        """ "gained", "lost", "donors changed" or "unchanged"."""
        if self.change > 0:
            return "gained"
        if self.change < 0:
            return "lost"
        return "donors changed" if self.donors_before != self.donors_after else "unchanged"


def _donors(plan: MatchPlan, offers: dict[str, Offer]) -> dict[str, tuple[str, ...]]:
    return {
        line.id: tuple(
            sorted({offers[s.offer].donor if s.offer in offers else s.offer for s in line.sources})
        )
        for line in plan.requirements
    }


def compare_match(
    before: MatchPlan, after: MatchPlan, offers: tuple[Offer, ...] | list[Offer] = ()
) -> list[RequirementChange]:
    """Every requirement in either plan, those that changed first (largest change first)."""
    by_offer = {o.id: o for o in offers}
    old = {line.id: line.delivered for line in before.requirements}
    new = {line.id: line.delivered for line in after.requirements}
    old_donors, new_donors = _donors(before, by_offer), _donors(after, by_offer)
    changes = [
        RequirementChange(
            rid, old.get(rid, 0), new.get(rid, 0), old_donors.get(rid, ()), new_donors.get(rid, ())
        )
        for rid in sorted(old.keys() | new.keys())
    ]
    changes.sort(key=lambda c: (c.verdict == "unchanged", -abs(c.change), c.requirement))
    return changes
