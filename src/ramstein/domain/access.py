"""Who may see and change what: roles, viewers, visibility and disclosure control."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ramstein.domain.contributions import Contribution, Visibility

# Disclosure control: an aggregate is withheld from a viewer who may not see all its rows
# when fewer than this many nations contribute to it...
MIN_NATIONS = 3
# ...or when one nation makes up more than this share of it.
MAX_DOMINANCE = 0.8


class Role(StrEnum):
    """What an account may do."""

    COORDINATOR = "coordinator"
    NATION = "nation"
    RECIPIENT = "recipient"
    PUBLIC = "public"


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a role, the nation a `nation` account speaks for, and a name."""

    role: Role
    nation: str | None = None
    name: str = "public"

    @property
    def signed_in(self) -> bool:
        """Whether the viewer is an account rather than the anonymous public."""
        return self.role is not Role.PUBLIC


PUBLIC = Viewer(Role.PUBLIC)
# Any signed-in ally's view without a nation of its own: public and alliance rows.
ALLIANCE = Viewer(Role.NATION, None, "alliance")


def visible(viewer: Viewer, visibility: Visibility, owner: str) -> bool:
    """Public rows: everyone; alliance rows: signed-in accounts; nation rows: that nation."""
    if viewer.role is Role.COORDINATOR or visibility is Visibility.PUBLIC:
        return True
    if visibility is Visibility.ALLIANCE:
        return viewer.signed_in
    return viewer.role is Role.NATION and viewer.nation == owner


def can_see(viewer: Viewer, contribution: Contribution) -> bool:
    """Whether the viewer may see a contribution (by its visibility and donor)."""
    return visible(viewer, contribution.visibility, contribution.donor)


def can_write_contribution(viewer: Viewer, donor: str) -> bool:
    """Coordinators write any contribution; a nation account only its own."""
    return viewer.role is Role.COORDINATOR or (
        viewer.role is Role.NATION and viewer.nation == donor
    )


def can_write_offer(viewer: Viewer, donor: str) -> bool:
    """Coordinators write any offer; a nation account only its own."""
    return can_write_contribution(viewer, donor)


def can_write_requirement(viewer: Viewer) -> bool:
    """Coordinators and the recipient's liaison write requirements."""
    return viewer.role in (Role.COORDINATOR, Role.RECIPIENT)


def withheld(viewer: Viewer, rows: Iterable[tuple[str, float, bool]]) -> bool:
    """Whether an aggregate of (donor, amount, visible) rows must be withheld from the viewer.

    It is shown in full when the viewer may see every row; otherwise it is withheld when
    fewer than MIN_NATIONS nations contribute or one of them makes up over MAX_DOMINANCE.
    """
    rows = list(rows)
    if all(visible for _, _, visible in rows):
        return False
    by_nation: dict[str, float] = {}
    for donor, amount, _ in rows:
        by_nation[donor] = by_nation.get(donor, 0.0) + amount
    total = sum(by_nation.values())
    if len(by_nation) < MIN_NATIONS:
        return True
    return total > 0 and max(by_nation.values()) > MAX_DOMINANCE * total
