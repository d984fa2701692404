"""Releases: figures that include confidential rows, published at a review, never computed
on request.

A coordinator publishes a release of a period: the alliance total, one cell per category
and per channel, and a nation's own line where it has nothing confidential in the period,
each rounded to EUR 0.1 bn. The disclosure audit (plan/disclosure.py) checks it against
every earlier release of the period before it is recorded; a release that fails names the
cell and is not published. Once recorded, a release never changes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ramstein.domain.access import PUBLIC, can_see
from ramstein.domain.contributions import Category, Channel
from ramstein.domain.errors import InputError
from ramstein.domain.money import FxTable
from ramstein.ledger.standing import current_scenario
from ramstein.plan.disclosure import Atom, Basis, audit, cell_of, round_to
from ramstein.shares.credit import flows
from ramstein.shares.fair import counts
from ramstein.store import releases as store
from ramstein.store.models import ReleaseRow

UNIT_EUR = 1e8  # EUR 0.1 bn


def candidate(session: Session, year: int, unit: float = UNIT_EUR) -> tuple[Basis, list[str]]:
    """The release period `year` would get now: its basis and its cells in order."""
    scenario = current_scenario(session).for_period(year)
    fx = FxTable(scenario.fx)
    listed = [n.iso3 for n in scenario.nations]
    public: dict[Atom, float] = defaultdict(float)
    hidden: dict[Atom, float] = defaultdict(float)
    for flow in flows(scenario.contributions, fx, lambda c: counts(c, scenario)):
        c = flow.contribution
        for credit in flow.credits:
            if credit.iso3 not in listed:
                continue
            atom = (credit.iso3, c.category.value, c.channel.value)
            (public if can_see(PUBLIC, c) else hidden)[atom] += credit.eur
    with_hidden = {atom[0] for atom, eur in hidden.items() if eur > 0}
    order = [
        "total",
        *(f"category:{k.value}" for k in Category),
        *(f"channel:{c.value}" for c in Channel),
        *(f"nation:{n}" for n in sorted(listed) if n not in with_hidden),
    ]
    public_part = {
        cell: sum(eur for atom, eur in public.items() if cell_of(cell, atom)) for cell in order
    }
    published = {
        cell: round_to(
            public_part[cell] + sum(eur for atom, eur in hidden.items() if cell_of(cell, atom)),
            unit,
        )
        for cell in order
    }
    basis = Basis(unit, published, public_part, {a: e for a, e in hidden.items() if e > 0})
    return basis, order


def problems(session: Session, year: int) -> list[str]:
    """What the disclosure audit finds against publishing period `year` now."""
    basis, _ = candidate(session, year)
    earlier = [store.basis_of(r) for r in store.list_releases(session, year)]
    nations = [n.iso3 for n in current_scenario(session).nations]
    return audit([*earlier, basis], nations)


def publish(session: Session, year: int, actor: str, on: date | None = None) -> dict[str, Any]:
    """Audit and record a release of period `year`; a failing one names the cell."""
    basis, order = candidate(session, year)
    earlier = [store.basis_of(r) for r in store.list_releases(session, year)]
    nations = [n.iso3 for n in current_scenario(session).nations]
    found = audit([*earlier, basis], nations)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise InputError(f"releases[{year}]", f"not published: {found[0]}{more}")
    row = store.save_release(session, year, on or date.today(), basis, order, actor)
    return release_document(row)


def release_document(row: ReleaseRow) -> dict[str, Any]:
    """A release as everyone may read it (its basis stays in the store)."""
    return {
        "id": row.id,
        "year": row.year,
        "published": row.published_on.isoformat(),
        "unit_eur": row.unit_eur,
        "label": f"published {row.published_on.isoformat()}, "
        f"rounded to EUR {row.unit_eur / 1e9:g} bn",
        "cells": [{"name": cell, "eur": eur} for cell, eur in row.cells],
    }


def published(session: Session) -> list[dict[str, Any]]:
    """Every release, oldest first, as everyone may read it."""
    return [release_document(r) for r in store.list_releases(session)]
