"""Accepting a match plan: the offers it uses become committed contributions and
consignments to route, so that each item's chain offer -> contribution -> consignment ->
receipt is kept.

A contribution made from an offer has the id `OFFER_ID:accepted` and names the offer as its
source; it is `committed` with no amount ("value to be confirmed") since an offer carries
no value. A consignment made for it (`K-OFFER_ID`, fulfilling the offer) leaves the donor's
depot for the destination its item already goes to (else the first destination), with as
many pallets per unit as the item's other consignments take (else one per unit), ready when
the offer is available and due when the first requirement it serves is needed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from ramstein.domain.access import Role, Viewer
from ramstein.domain.contributions import Category, Channel, Contribution, Status
from ramstein.domain.errors import InputError
from ramstein.domain.items import Offer, Requirement
from ramstein.domain.logistics import NodeKind
from ramstein.domain.plans import MatchPlan, PlanKind
from ramstein.plan.compare import RequirementChange, compare_match
from ramstein.services.plan_views import match_version_for
from ramstein.services.plans import plan_version
from ramstein.store import catalog, logistics
from ramstein.store import repositories as repo

VALUE_TO_CONFIRM = "value to be confirmed"
DEFAULT_LEAD_DAYS = 180


@dataclass(frozen=True)
class Acceptance:
    """What accepting a plan wrote: contributions and consignments made, and those kept."""

    version: int
    contributions: tuple[str, ...]
    consignments: tuple[str, ...]
    kept: tuple[str, ...]
    not_routed: tuple[tuple[str, str], ...] = field(default=())  # (offer, why)


def contribution_id(offer_id: str) -> str:
    """The id of the contribution made from an accepted offer."""
    return f"{offer_id}:accepted"


def consignment_id(offer_id: str) -> str:
    """The id of the consignment made for an accepted offer."""
    return f"K-{offer_id}"


def units_used(plan: MatchPlan) -> dict[str, tuple[int, list[str]]]:
    """Per offer: the units the plan draws from it and the requirements they serve."""
    used: dict[str, list[int]] = defaultdict(lambda: [0])
    serves: dict[str, list[str]] = defaultdict(list)
    for line in plan.requirements:
        for s in line.sources:
            if s.quantity > 0:
                used[s.offer][0] += s.quantity
                if line.id not in serves[s.offer]:
                    serves[s.offer].append(line.id)
    return {o: (n[0], serves[o]) for o, n in used.items()}


def accept_match_plan(
    session: Session, version: int | None, *, actor: str, today: date | None = None
) -> Acceptance:
    """Accept a saved match plan (None: the newest): commit the offers it uses."""
    saved = plan_version(session, PlanKind.MATCH, version)
    plan: MatchPlan = saved.plan
    today = today or datetime.now(UTC).date()
    offers = {o.id: o for o in catalog.list_offers(session)}
    requirements = {r.id: r for r in catalog.list_requirements(session)}
    made, routed, kept, skipped = [], [], [], []
    for offer_id, (units, serves) in sorted(units_used(plan).items()):
        offer = offers.get(offer_id)
        if offer is None:
            raise InputError(
                "plans[match].version", f"offer {offer_id!r} of plan {saved.record.version} is gone"
            )
        cid = contribution_id(offer_id)
        if repo.get_contribution(session, cid) is None:
            repo.upsert_contribution(
                session,
                _contribution(cid, offer, units, serves, saved.record.version, today),
                actor=actor,
                reason=f"match plan {saved.record.version} accepted",
            )
            made.append(cid)
        else:
            kept.append(cid)
        why_not = _route(
            session, offer, units, [requirements[r] for r in serves if r in requirements], today
        )
        if why_not is None:
            routed.append(consignment_id(offer_id))
        elif why_not:
            skipped.append((offer_id, why_not))
    return Acceptance(saved.record.version, tuple(made), tuple(routed), tuple(kept), tuple(skipped))


def _contribution(
    cid: str, offer: Offer, units: int, serves: list[str], version: int, today: date
) -> Contribution:
    return Contribution(
        id=cid,
        donor=offer.donor,
        amount=None,
        currency="EUR",
        date=today,
        category=Category.IN_KIND,
        status=Status.COMMITTED,
        visibility=offer.visibility,
        channel=Channel.BILATERAL,
        source=f"offer {offer.id}",
        description=(
            f"{units} x {offer.item} from offer {offer.id}, for {', '.join(serves)} "
            f"(match plan {version}); {VALUE_TO_CONFIRM}"
        ),
    )


def _route(
    session: Session, offer: Offer, units: int, serves: list[Requirement], today: date
) -> str | None:
    """Add the offer's consignment; None when added, "" when it has one, else why not."""
    instance, _ = logistics.stored_instance(session)
    if any(c.fulfils == offer.id for c in instance.consignments):
        return ""
    depots = [n.id for n in instance.nodes if n.kind is NodeKind.DEPOT and n.owner == offer.donor]
    if not depots:
        return f"no depot of {offer.donor} in the network"
    same_item = [c for c in instance.consignments if c.item == offer.item]
    destinations = sorted(n.id for n in instance.nodes if n.kind is NodeKind.DESTINATION)
    if not destinations:
        return "no destination in the network"
    destination = same_item[0].destination if same_item else destinations[0]
    per_unit = 1
    offers = {o.id: o for o in catalog.list_offers(session)}
    for c in same_item:
        source = offers.get(c.fulfils)
        if source is not None and source.quantity > 0:
            per_unit = max(1, round(c.pallets / source.quantity))
            break
    ready = offer.available_from or today
    needed = [r.needed_by for r in serves if r.needed_by is not None]
    due = max(min(needed), ready) if needed else ready + timedelta(days=DEFAULT_LEAD_DAYS)
    logistics.add_consignment(
        session,
        consignment_id=consignment_id(offer.id),
        item=offer.item,
        pallets=per_unit * units,
        origin=sorted(depots)[0],
        destination=destination,
        ready=ready,
        due=due,
        priority=max((r.priority for r in serves), default=1.0),
        fulfils=offer.id,
    )
    return None


def compare(
    session: Session, before: int | None, after: int | None, viewer: Viewer | None = None
) -> tuple[int, int, list[RequirementChange]]:
    """Two saved match plans compared (None: the one before the newest, and the newest), as
    `viewer` may read them (None: the operator, who sees every offer)."""
    who = viewer or Viewer(Role.COORDINATOR, name="operator")
    newest = match_version_for(session, who, after)
    older = before if before is not None else newest.record.version - 1
    base = match_version_for(session, who, older)
    offers = catalog.list_offers(session, viewer=who)
    changes = compare_match(base.plan, newest.plan, offers)
    return base.record.version, newest.record.version, changes
