"""Who may see and change what: the one access rule, in named actions and visibility scopes.

Everything that decides access asks this module: the API's dependencies, the dashboard's
pages, the exports and the reports. The row rule is written once, as a `Scope` (which
visibilities a viewer sees whoever owns the row, whose rows it sees whatever their
visibility, and the capability coalitions whose `coalition` rows it sees as their lead);
`visible` applies it to one row in Python and `store.access.visible_clause` turns the same
scope into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ramstein.domain.contributions import Contribution, Visibility


class Role(StrEnum):
    """What an account may do."""

    COORDINATOR = "coordinator"
    NATION = "nation"
    RECIPIENT = "recipient"
    PUBLIC = "public"


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a role, the nation a `nation` account speaks for, and a name.

    `coalitions` are the capability coalitions the viewer's nation leads (read from the
    store when the viewer is built; only nation accounts lead).
    """

    role: Role
    nation: str | None = None
    name: str = "public"
    coalitions: frozenset[str] = frozenset()

    @property
    def signed_in(self) -> bool:
        """Whether the viewer is an account rather than the anonymous public."""
        return self.role is not Role.PUBLIC


PUBLIC = Viewer(Role.PUBLIC)
# Any signed-in ally's view without a nation of its own: public and alliance rows.
ALLIANCE = Viewer(Role.NATION, None, "alliance")


class Action(StrEnum):
    """What a viewer may ask to do, beyond reading the rows it may see."""

    WRITE_CONTRIBUTION = "write contributions"  # for an owner: its own, or any (coordinator)
    NAME_FUNDERS = "name other nations as funders"
    WRITE_OFFER = "write offers"  # for an owner, like contributions
    READ_REQUIREMENTS = "read requirements"
    WRITE_REQUIREMENT = "write requirements"
    READ_ASKS = "read the asks of a plan"
    READ_PLANS = "read plans"
    RUN_PLANS = "run planners"
    READ_AUDIT = "read the audit chain"
    PUBLISH_RELEASE = "publish releases"
    WRITE_CONTRACTS = "record contracts and lots"
    RECORD_TRACKING = "record tracking events and receipts"
    WRITE_COHORTS = "write training cohorts"
    WRITE_PACKAGES = "record PURL packages and their payments"
    WRITE_COALITIONS = "name coalition leads and roadmap targets"
    READ_CUSTODY = "read the custody of sensitive items"


_ROLES: dict[Action, frozenset[Role]] = {
    Action.WRITE_CONTRIBUTION: frozenset({Role.COORDINATOR, Role.NATION}),
    Action.NAME_FUNDERS: frozenset({Role.COORDINATOR}),
    Action.WRITE_OFFER: frozenset({Role.COORDINATOR, Role.NATION}),
    Action.READ_REQUIREMENTS: frozenset({Role.COORDINATOR, Role.RECIPIENT, Role.NATION}),
    Action.WRITE_REQUIREMENT: frozenset({Role.COORDINATOR, Role.RECIPIENT}),
    Action.READ_ASKS: frozenset({Role.COORDINATOR, Role.RECIPIENT, Role.NATION}),
    Action.READ_PLANS: frozenset({Role.COORDINATOR, Role.RECIPIENT}),
    Action.RUN_PLANS: frozenset({Role.COORDINATOR}),
    Action.READ_AUDIT: frozenset({Role.COORDINATOR}),
    Action.PUBLISH_RELEASE: frozenset({Role.COORDINATOR}),
    Action.WRITE_CONTRACTS: frozenset({Role.COORDINATOR}),
    # The recipient's liaison confirms what arrived and names its own cohorts.
    Action.RECORD_TRACKING: frozenset({Role.COORDINATOR, Role.RECIPIENT}),
    Action.WRITE_COHORTS: frozenset({Role.COORDINATOR, Role.RECIPIENT}),
    Action.WRITE_PACKAGES: frozenset({Role.COORDINATOR}),
    Action.WRITE_COALITIONS: frozenset({Role.COORDINATOR}),
    Action.READ_CUSTODY: frozenset({Role.COORDINATOR, Role.RECIPIENT}),
}
# Actions on a nation's own things: a nation account acts only for its own nation.
_OWNED = frozenset({Action.WRITE_CONTRIBUTION, Action.WRITE_OFFER})


def may(viewer: Viewer, action: Action, owner: str | None = None) -> bool:
    """Whether the viewer may do `action` (on things of nation `owner`, where owned)."""
    if viewer.role not in _ROLES[action]:
        return False
    if action in _OWNED and viewer.role is Role.NATION:
        return owner is not None and viewer.nation == owner
    return True


def leads(viewer: Viewer, coalition: str) -> bool:
    """Whether the viewer acts as a lead of `coalition`: a coordinator, or an account of a
    nation that leads it (it may then run the match for the coalition)."""
    if viewer.role is Role.COORDINATOR:
        return True
    return viewer.role is Role.NATION and coalition in viewer.coalitions


@dataclass(frozen=True)
class Scope:
    """The rows a viewer sees: all, or those in `visibilities`, or those `own`ed by it, or
    the `coalition` rows of the coalitions it leads."""

    everything: bool
    visibilities: frozenset[Visibility]
    own: str | None
    coalitions: frozenset[str] = frozenset()


def scope(viewer: Viewer) -> Scope:
    """Public rows: everyone; alliance rows: signed-in accounts; coalition rows: the leads of
    the row's coalition; nation rows: that nation."""
    if viewer.role is Role.COORDINATOR:
        return Scope(True, frozenset(Visibility), None)
    shown = {Visibility.PUBLIC}
    if viewer.signed_in:
        shown.add(Visibility.ALLIANCE)
    nation = viewer.role is Role.NATION and viewer.nation is not None
    own = viewer.nation if nation else None
    led = viewer.coalitions if nation else frozenset()
    return Scope(False, frozenset(shown), own, led)


def visible(
    viewer: Viewer, visibility: Visibility | str, owner: str, coalition: str | None = None
) -> bool:
    """Whether the viewer sees a row of `owner` with this visibility, tagged with capability
    coalition `coalition` (None: the row names none) (the Scope, in Python)."""
    s = scope(viewer)
    v = Visibility(visibility)
    return (
        s.everything
        or v in s.visibilities
        or owner == s.own
        or (v is Visibility.COALITION and coalition is not None and coalition in s.coalitions)
    )


def can_see(viewer: Viewer, contribution: Contribution) -> bool:
    """Whether the viewer may see a contribution (by its visibility and donor)."""
    return visible(viewer, contribution.visibility, contribution.donor)


def viewer_class(viewer: Viewer) -> str:
    """A name shared by exactly the viewers that see the same rows (for caches)."""
    s = scope(viewer)
    if s.everything:
        return "all"
    seen = "+".join(sorted(v.value for v in s.visibilities))
    if s.coalitions:
        seen += "+coalitions:" + ",".join(sorted(s.coalitions))
    return f"{seen}+own:{s.own}" if s.own else seen


def actor_label(role: Role | None, nation: str | None) -> str:
    """How an account is named to anonymous readers: by its office, never its name."""
    if role is Role.NATION and nation:
        return f"{nation} ministry"
    if role is Role.RECIPIENT:
        return "recipient liaison"
    return "coordination staff"
