"""Offers and requirements into the catalog: every bad row reported first, or all written.

Rows come checked by `io.catalog_rows`; here their references are checked against the
store (items, donors, coalitions) and the offers' ids against the id rule, as the API's
single writes check them (`api/routes/catalog.py`), and then written, the whole catalog
checked once more after. Same ids update; unchanged rows are left alone. Only the command
line imports a catalog file: the writer is the operator, as a coordinator is in the API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from ramstein.domain.contributions import Visibility
from ramstein.domain.errors import InputError, RowError, reject_any
from ramstein.domain.items import Offer, Requirement
from ramstein.ledger.importing import ImportSummary, known_nations
from ramstein.store import catalog
from ramstein.store.coalitions import list_coalitions
from ramstein.store.repositories import own_ids

T = TypeVar("T", Offer, Requirement)


def _write(
    session: Session,
    rows: list[tuple[int, T]],
    before: Mapping[str, Any],
    upsert: Callable[[Session, T], None],
) -> ImportSummary:
    """Write the new and the changed values (by id) and count what happened."""
    created = changed = 0
    for _, value in rows:
        stored = before.get(value.id)
        if stored is not None and value.coalition is None:
            value = replace(value, coalition=stored.coalition)  # a row without one keeps it
        if value.id not in before:
            created += 1
        elif before[value.id] != value:
            changed += 1
        else:
            continue
        upsert(session, value)
    session.flush()
    catalog.match_instance(session).check()
    return ImportSummary(created, changed, len(rows) - created - changed)


def _coalitions(session: Session) -> set[str]:
    return {c.id for c in list_coalitions(session)}


def import_offers(
    session: Session, offers: list[tuple[int, Offer]], errors: list[RowError]
) -> ImportSummary:
    """Offers from numbered rows, with the rows' own `errors`; raises ImportRejected."""
    items = {i.id for i in catalog.list_items(session)}
    nations = known_nations(session)
    coalitions = _coalitions(session)
    before = {o.id: o for o in catalog.list_offers(session)}
    for n, o in offers:
        if o.item not in items:
            errors.append(RowError(n, "item", f"unknown item {o.item!r}"))
        if o.donor not in nations:
            errors.append(RowError(n, "donor", f"unknown nation {o.donor!r}"))
        elif o.id in before and before[o.id].donor != o.donor:
            errors.append(RowError(n, "donor", f"offer {o.id!r} is {before[o.id].donor}'s"))
        try:
            own_ids(session, o.id, o.donor, None, "id", nations=nations)
        except InputError as exc:
            errors.append(RowError(n, "id", exc.message))
        if o.coalition is not None and o.coalition not in coalitions:
            errors.append(RowError(n, "coalition", f"unknown coalition {o.coalition!r}"))
        named = o.coalition or (before[o.id].coalition if o.id in before else None)
        if o.visibility is Visibility.COALITION and not named:
            errors.append(RowError(n, "coalition", "required when visibility is coalition"))
    reject_any(errors)
    return _write(session, offers, before, catalog.upsert_offer)


def import_requirements(
    session: Session, requirements: list[tuple[int, Requirement]], errors: list[RowError]
) -> ImportSummary:
    """Requirements from numbered rows, with the rows' own `errors`; raises ImportRejected."""
    items = {i.id for i in catalog.list_items(session)}
    coalitions = _coalitions(session)
    for n, r in requirements:
        for item in (r.item, *r.substitutes):
            if item not in items:
                column = "item" if item == r.item else "substitutes"
                errors.append(RowError(n, column, f"unknown item {item!r}"))
        if r.coalition is not None and r.coalition not in coalitions:
            errors.append(RowError(n, "coalition", f"unknown coalition {r.coalition!r}"))
    reject_any(errors)
    before = {r.id: r for r in catalog.list_requirements(session)}
    return _write(session, requirements, before, catalog.upsert_requirement)
