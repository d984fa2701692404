"""Load a scenario (and any further nations) into the store as one unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ramstein.domain.contributions import Contribution
from ramstein.domain.nations import Nation
from ramstein.domain.scenario import Scenario
from ramstein.ledger.importing import stored_ids, write_contributions
from ramstein.shares.fair import compute_shares
from ramstein.store import repositories as repo


@dataclass(frozen=True)
class LoadSummary:
    """What a load wrote: nations, FX rates, and contributions created or changed."""

    nations: int
    fx_rates: int
    contributions_changed: int
    contributions_total: int


def load_scenario(
    session: Session,
    scenario: Scenario,
    *,
    actor: str,
    reason: str,
    other_nations: Iterable[Nation] = (),
) -> LoadSummary:
    """Upsert nations, FX rates, the scenario and its contributions; idempotent."""
    # Computing the shares first checks every reference and FX rate before anything is written.
    compute_shares(scenario)
    by_id = {c.id: c for c in scenario.contributions}
    parents = {c.parent for c in scenario.contributions if c.parent is not None}

    def chain(cid: str) -> list[str]:
        parent = by_id[cid].parent
        return [] if parent is None else [parent, *chain(parent)]

    nations = [*scenario.nations, *other_nations]
    for nation in nations:
        repo.upsert_nation(session, nation)
    for rate in scenario.fx:
        repo.upsert_fx(session, rate)
    session.flush()
    repo.save_scenario(session, scenario)
    # Parents before their channelled flows, so that each link finds its row.
    depth = {cid: len(chain(cid)) for cid in (c.id for c in scenario.contributions)}
    changed = 0
    for c in sorted(scenario.contributions, key=lambda c: depth[c.id]):
        changed += repo.upsert_contribution(session, c, actor=actor, reason=reason)
        if c.id in parents:
            session.flush()
    session.flush()
    return LoadSummary(
        nations=len(nations),
        fx_rates=len(scenario.fx),
        contributions_changed=changed,
        contributions_total=len(scenario.contributions),
    )


def add_missing(
    session: Session, contributions: list[Contribution], *, actor: str, reason: str
) -> int:
    """Create the contributions the ledger does not hold; replace nothing it does."""
    stored = stored_ids(session)({c.id for c in contributions})
    new = [c for c in contributions if c.id not in stored]
    if new:
        write_contributions(session, new, actor=actor, reason=reason)
    return len(new)
