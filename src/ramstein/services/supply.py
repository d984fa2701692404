"""Counted military aid of a pledge period split by supply, over the rows a viewer sees."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.domain.money import FxRule
from ramstein.io import kiel_release
from ramstein.ledger.standing import current_scenario
from ramstein.shares.credit import flows
from ramstein.shares.supply import Supply, split
from ramstein.store import supply as store

# Kiel's monthly rows total every source; the ledger cannot split them.
UNSPECIFIED_SOURCES = frozenset({kiel_release.SOURCE})


# Kiel's names for its sources of military allocations, by supply.
KIEL_COLUMNS = {
    Supply.STOCKPILE: "stockpile",
    Supply.PROCUREMENT: "procurement",
    Supply.PURL: "nato_purl",
    Supply.UNSPECIFIED: "unspecified",
}


def kiel_supply(year: int) -> dict[Supply, float | None] | None:
    """Kiel's own split of all donors' military allocations in `year` (EUR; None for a
    supply Kiel does not separate, domestic production), or None outside its release."""
    years = kiel_release.supply_by_year()
    if year not in years:
        return None
    return {s: years[year][KIEL_COLUMNS[s]] if s in KIEL_COLUMNS else None for s in Supply}


def military_supply(
    session: Session, viewer: Viewer | None = None, year: int | None = None
) -> dict[Supply, float]:
    """Credited EUR per supply in the period (the scenario's, or pledge period `year`)."""
    scenario = current_scenario(session, condensed=True, viewer=viewer, year=year)
    roots = store.counted_roots(
        session,
        scenario.period_start,
        scenario.period_end,
        viewer,
        unspecified_sources=UNSPECIFIED_SOURCES,
        by_day=scenario.fx_rule is FxRule.DAILY,
    )
    listed = {n.iso3 for n in scenario.nations}
    return split(flows(roots, scenario.fx_table(), lambda _c: True), listed, UNSPECIFIED_SOURCES)
