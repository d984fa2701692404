"""Edit a stored contribution: its facts and its status in one audited unit of work.

The shells (the `contribution edit` command, the dashboard's edit form) call `edit`; it
writes through the ledger's one write path (`store.repositories`): the facts first, then
the lifecycle move, so that an amount given with `contracted` is there when the move is
checked. A facts-only edit appends an event that keeps the status, with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.domain.contributions import Contribution, Status, TitleTransfer
from ramstein.domain.errors import InputError
from ramstein.store import repositories as repo


@dataclass(frozen=True)
class Edit:
    """What to change: any of amount, currency and status (None: leave as it is); a move
    to delivered names where and when title passed."""

    amount: float | None = None
    currency: str | None = None
    status: Status | None = None
    title: TitleTransfer | None = None

    def facts(self) -> dict[str, object]:
        """The facts to change, by column."""
        changes: dict[str, object] = {}
        if self.amount is not None:
            changes["amount"] = self.amount
        if self.currency is not None:
            changes["currency"] = self.currency.strip().upper()
        return changes


def edit(
    session: Session,
    contribution_id: str,
    change: Edit,
    *,
    actor: str,
    reason: str,
    writer: Viewer | None = None,
) -> Contribution:
    """Apply `change` to a stored contribution; returns it after. Nothing is written when
    any part is refused (the caller's transaction rolls back)."""
    field = f"contributions[{contribution_id}]"
    found = repo.get_contribution(session, contribution_id)
    if found is None:
        raise InputError(field, "no such contribution")
    before, _ = found
    facts = change.facts()
    if not facts and change.status is None:
        raise InputError(field, "nothing to change: give an amount, a currency or a status")
    if change.currency is not None and len(facts["currency"]) != 3:  # type: ignore[arg-type]
        raise InputError(f"{field}.currency", f"{change.currency!r} is not an ISO 4217 code")
    moves = change.status is not None and change.status is not before.status
    if not facts and not moves:
        raise InputError(f"{field}.status", f"is already {before.status.value}")
    if facts:
        repo.update_contribution(session, contribution_id, facts, expected=None, writer=writer)
    if change.status is not None and moves:
        return repo.change_status(
            session, contribution_id, change.status, actor=actor, reason=reason, title=change.title
        )
    repo.note_event(session, contribution_id, actor=actor, reason=reason or "facts edited")
    session.flush()
    found = repo.get_contribution(session, contribution_id)
    assert found is not None
    return found[0]
