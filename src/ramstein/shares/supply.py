"""How counted military aid was supplied: from stockpiles, by procurement, through PURL, or
by Ukraine's own industry, as Kiel splits its military allocations (Release 29's
procurement trends), with what the ledger cannot tell apart kept as unspecified.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from enum import StrEnum

from ramstein.domain.contributions import Category, Channel, Contribution
from ramstein.shares.credit import Flow


class Supply(StrEnum):
    """Where counted military aid came from."""

    STOCKPILE = "stockpile"  # donated from the donor's own stocks
    PROCUREMENT = "procurement"  # bought from industry for Ukraine
    PURL = "purl"  # US equipment paid for by allies
    DOMESTIC_PRODUCTION = "domestic_production"  # Ukraine's own industry, paid by a donor
    UNSPECIFIED = "unspecified"  # a source that does not say (Kiel's monthly totals)


def supply_of(c: Contribution, unspecified_sources: Collection[str] = ()) -> Supply | None:
    """Which supply a contribution is; None for support other than equipment (training,
    maintenance, operating costs, trust funds, industry investment by other channels)."""
    if c.channel is Channel.PURL:
        return Supply.PURL
    if c.channel is Channel.DOMESTIC_PRODUCTION:
        return Supply.DOMESTIC_PRODUCTION
    if c.category not in (Category.IN_KIND, Category.EQUIPMENT):
        return None
    if c.source in unspecified_sources:
        return Supply.UNSPECIFIED
    return Supply.STOCKPILE if c.category is Category.IN_KIND else Supply.PROCUREMENT


def split(
    flows: Iterable[Flow], listed: Collection[str], unspecified_sources: Collection[str] = ()
) -> dict[Supply, float]:
    """Credited EUR by supply over the listed nations: each credit once, as `credited` adds."""
    parts: dict[Supply, list[float]] = {s: [] for s in Supply}
    for flow in flows:
        kind = supply_of(flow.contribution, unspecified_sources)
        if kind is None:
            continue
        parts[kind] += [c.eur for c in flow.credits if c.iso3 in listed]
    return {s: math.fsum(v) for s, v in parts.items()}
