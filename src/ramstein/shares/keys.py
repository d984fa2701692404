"""Burden-sharing keys: turn each nation's indicator into a key share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ramstein.domain.errors import InputError
from ramstein.domain.money import FxTable
from ramstein.domain.nations import Nation

KEY_CURRENCY = "EUR"


def indicator_eur(nation: Nation, indicator: str, year: int, fx: FxTable) -> float:
    """The nation's `indicator` for `year` in EUR (ones), converted at that year's rate."""
    value = nation.indicator(indicator, year)
    field = f"nations[{nation.iso3}].{indicator}.{year}"
    if value is None:
        raise InputError(field, f"no {indicator} value for {year}")
    if not value.currency or value.currency == KEY_CURRENCY:
        return value.ones
    return fx.convert(value.ones, value.currency, KEY_CURRENCY, year, field=f"{field}.currency")


def key_shares(weights: Mapping[str, float], denominator: Sequence[str]) -> dict[str, float]:
    """Each nation's weight over the total weight of `denominator`; zero when the total is zero."""
    total = sum(weights[iso3] for iso3 in denominator)
    if total <= 0:
        return dict.fromkeys(weights, 0.0)
    return {iso3: w / total for iso3, w in weights.items()}
