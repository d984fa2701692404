"""What a transaction knows about itself while it writes: one typed value per session.

`Store.transaction()` builds a `WriteContext` for each session; the audit chain, the
monthly sums and the store's generation counter read and update it through
`write_context(session)`, never through loose keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

# The execution option that marks a connection whose transaction will write.
WRITE_OPTION = "ramstein_write"
# Connection.info key set while the audited write path itself writes (a flush, a bulk
# import): only then may statements change audited tables.
AUDITED_WRITE = "ramstein_audited_write"
_KEY = "ramstein_write_context"


@dataclass
class WriteContext:
    """One transaction's write state.

    actor: whom its writes are audited under. wrote: whether it changed anything.
    head: the audit chain's last hash once this transaction holds the chain's lock.
    pending: rows created in the current flush, recorded once their keys are known.
    updated: rows updated in the current flush, with their digests before it.
    sum_months, sum_parents: the monthly sums to compute again before it commits.
    """

    actor: str = "system"
    wrote: bool = False
    head: str | None = None
    pending: list[Any] = field(default_factory=list)
    updated: list[tuple[Any, str]] = field(default_factory=list)
    sum_months: set[tuple[str, int, int]] = field(default_factory=set)
    sum_parents: set[str] = field(default_factory=set)


def write_context(session: Session) -> WriteContext:
    """The session's write context (one is made for a session that has none)."""
    found = session.info.get(_KEY)
    if not isinstance(found, WriteContext):
        found = WriteContext()
        session.info[_KEY] = found
    return found


def begin(session: Session, actor: str) -> WriteContext:
    """A fresh write context for a new transaction of `session`."""
    context = WriteContext(actor=actor)
    session.info[_KEY] = context
    return context
