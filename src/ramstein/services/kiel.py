"""A Kiel release into the ledger, reconciled against the release before it.

Rows are Kiel's sub-activities (ids `KIEL-ACT-...`). A row the new release carries with
other facts is revised in place, with an event naming the release; a row it no longer
carries is cancelled with that reason (never deleted); a row it carries unchanged stays as
it is, source included (the release that last set its facts). The packaged monthly totals
of a donor the sheet carries are cancelled as superseded, so that no donor counts twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ramstein.domain.contributions import Contribution, Status
from ramstein.domain.errors import InputError
from ramstein.domain.nations import Nation
from ramstein.io.kiel import ID_PREFIX, KielRead, release_of
from ramstein.ledger.importing import known_nations, write_contributions
from ramstein.store import repositories as repo

MONTHLY_PREFIX = "KIEL-R"  # the packaged monthly totals; sheet rows are KIEL-ACT-...


@dataclass(frozen=True)
class KielImport:
    """What an import of a release did."""

    created: int
    revised: int
    unchanged: int
    withdrawn: int
    nations_added: list[str]
    superseded: int = 0


def _facts(c: Contribution) -> tuple[object, ...]:
    return (c.donor, c.amount, c.currency, c.date, c.category, c.status, c.channel, c.description)


def import_release(session: Session, read: KielRead, *, actor: str) -> KielImport:
    """Write a release's rows: new ones created, revised ones updated, withdrawn ones cancelled."""
    known = known_nations(session)
    added = []
    for donor in sorted(read.donors.values(), key=lambda d: d.iso3):
        if donor.iso3 not in known:
            repo.upsert_nation(session, Nation(donor.iso3, donor.name, donor.group))
            added.append(donor.iso3)
    known |= set(added)
    for c in read.contributions:
        if c.donor not in known:
            raise InputError(f"contributions[{c.id}].donor", f"unknown nation {c.donor!r}")
    session.flush()
    stored = {c.id: c for c in repo.list_contributions(session, id_prefix=ID_PREFIX)}
    releases = [r for r in (release_of(c.source) for c in stored.values()) if r is not None]
    if releases and max(releases) > read.release:
        raise InputError(
            "release",
            f"the ledger holds Kiel Release {max(releases)}; Release {read.release} is older",
        )
    where = f"Kiel Release {read.release}"
    new = [c for c in read.contributions if c.id not in stored]
    revised = [
        c for c in read.contributions if c.id in stored and _facts(stored[c.id]) != _facts(c)
    ]
    ids = {c.id for c in read.contributions}
    gone = [c for c in stored.values() if c.id not in ids and c.status is not Status.CANCELLED]
    write_contributions(session, new, actor=actor, reason=f"imported from {where}")
    for c in revised:
        before = stored[c.id]
        repo.upsert_contribution(session, c, actor=actor, reason=f"revised in {where}")
        change = (
            f"amount {before.amount:,.0f} -> {c.amount:,.0f} EUR"
            if before.amount is not None and c.amount is not None
            else "facts changed"
        )
        repo.note_event(session, c.id, actor=actor, reason=f"revised in {where}: {change}")
    for c in gone:
        repo.withdraw(
            session, c.id, actor=actor, reason=f"withdrawn in {where}: the tracker no longer has it"
        )
    # The packaged monthly totals (KIEL-R29-DEU-2025-05) are the same money as the sheet's
    # rows: a donor the sheet carries keeps the rows, never both.
    donors = {c.donor for c in read.contributions}
    monthly = [
        c
        for c in repo.list_contributions(session, id_prefix=MONTHLY_PREFIX)
        if c.donor in donors and c.status is not Status.CANCELLED
    ]
    for c in monthly:
        repo.withdraw(
            session,
            c.id,
            actor=actor,
            reason=f"superseded by the rows of Kiel's main sheet, Release {read.release}",
        )
    session.flush()
    return KielImport(
        created=len(new),
        revised=len(revised),
        unchanged=len(read.contributions) - len(new) - len(revised),
        withdrawn=len(gone),
        nations_added=added,
        superseded=len(monthly),
    )
