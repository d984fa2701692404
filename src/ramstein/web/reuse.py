"""Answers reused while the store is unchanged, for viewers that see the same rows.

A page whose figures take a solve (readiness) or a scan (the supply split) keeps its last
answer per key in the app's state; the key starts with the viewer's class (`viewer_class`:
viewers in one class see exactly the same rows), and an answer counts only while the
store's revision (its last audit record, read from the database on each request) is the
one it was computed at. Any write makes a new revision, so nothing stale is ever shown.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from ramstein.store.audit import revision

T = TypeVar("T")
Answers = dict[tuple[Hashable, ...], tuple[int, Any]]
LIMIT = 256  # keys kept per cache before it starts afresh


def answers_of(state: Any, name: str) -> Answers:
    """The app's cache called `name` (made on first use)."""
    caches: dict[str, Answers] = state.__dict__.setdefault("reused_answers", {})
    return caches.setdefault(name, {})


def reuse(
    answers: Answers | None,
    session: Session,
    key: tuple[Hashable, ...],
    compute: Callable[[], T],
) -> T:
    """`compute()`, or the answer kept under `key` if the store has not changed since."""
    if answers is None:
        return compute()
    current = revision(session)
    hit = answers.get(key)
    if hit is not None and hit[0] == current:
        kept: T = hit[1]
        return kept
    value = compute()
    if len(answers) >= LIMIT:
        answers.clear()
    answers[key] = (current, value)
    return value
