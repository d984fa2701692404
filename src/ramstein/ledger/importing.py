"""Imported contributions into the ledger: new ones in bulk, changed ones through the lifecycle.

Each import is one transaction, its rows checked first (`io.contribution_rows`,
`io.kiel`). Rows are keyed by their `id`, so importing the same file again changes nothing.
New contributions are written in bulk (`store.bulk`) with their first lifecycle event each
and one audit record for the import: the Merkle root over each written row's state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.contributions import Contribution, check_visibility
from ramstein.store import audit
from ramstein.store import fx as fx_store
from ramstein.store import repositories as repo
from ramstein.store.bulk import Tick, insert_contributions, roomy_cache
from ramstein.store.models import ContributionRow, NationRow


@dataclass(frozen=True)
class ImportSummary:
    """What an import did."""

    created: int
    changed: int
    unchanged: int


def stored_ids(session: Session) -> Callable[[set[str]], set[str]]:
    """A lookup of which of some contribution ids are stored."""

    def lookup(ids: set[str]) -> set[str]:
        found: set[str] = set()
        wanted = sorted(ids)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            found |= set(
                session.scalars(
                    select(ContributionRow.external_id).where(
                        ContributionRow.external_id.in_(chunk)
                    )
                )
            )
        return found

    return lookup


def known_nations(session: Session) -> set[str]:
    """The ISO3 codes the store knows."""
    return set(session.scalars(select(NationRow.iso3)))


def write_contributions(
    session: Session,
    contributions: list[Contribution],
    *,
    actor: str,
    reason: str,
    tick: Tick | None = None,
) -> ImportSummary:
    """Create new contributions in bulk and update changed ones through the lifecycle.

    New rows get the checks a single write gets (`repo.check_new_rows`, before anything is
    written; `repo.check_new_flows` after), changed rows go through `upsert_contribution`:
    an InputError names the first bad row, and the caller's transaction writes nothing.
    The writer is the operator (None): every caller is a command-line import (`import
    contributions`, `load`, `import kiel`); no API route or page reaches this, so no nation
    writes in bulk (tests/ledger/test_bulk_lanes.py holds both).
    """
    fx = fx_store.table(session)
    fx_store.check_contributions(fx, contributions)
    for c in contributions:
        check_visibility(c.visibility, field=f"contributions[{c.id}]")
    ids = {c.id for c in contributions}
    existing: dict[str, tuple[Any, ...]] = {}
    if ids:
        cols = [
            getattr(ContributionRow, k)
            for k in ("external_id", "status", *repo.row_values(contributions[0]))
        ]
        for row in session.execute(select(*cols)):
            if row[0] in ids:
                existing[row[0]] = tuple(row[1:])
    new = [c for c in contributions if c.id not in existing]
    # Whoever made them (a file, the Kiel tracker), new rows obey the single write's rules.
    repo.check_new_rows(session, new, fx)
    changed = [
        c
        for c in contributions
        if c.id in existing and existing[c.id] != (c.status.value, *repo.row_values(c).values())
    ]
    # Parents first, so that each link finds its row when it is checked.
    new.sort(key=lambda c: c.parent is not None)
    if new:
        # The chain's lock first: keys are assigned in the bulk writer, and the record
        # (the Merkle root over one leaf per row written) follows the rows.
        audit.lock(session)
        with roomy_cache(session):
            leaves = insert_contributions(
                session, new, now=datetime.now(UTC), actor=actor, reason=reason, tick=tick
            )
            audit.record_bulk(session, "import", "contributions", leaves)
            repo.check_new_flows(session, new, fx)
    for c in changed:
        repo.upsert_contribution(session, c, actor=actor, reason=reason)
        if tick is not None:
            tick(1)
    session.flush()
    return ImportSummary(len(new), len(changed), len(contributions) - len(new) - len(changed))
