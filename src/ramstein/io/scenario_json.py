"""The `ramstein.scenario/1` input and `ramstein.shares/1` output documents."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints

from ramstein.domain.contribution_schema import ContributionBase
from ramstein.domain.contributions import Status
from ramstein.domain.errors import InputError, check_unique
from ramstein.domain.lifecycle import check_amount
from ramstein.domain.money import FxRate, FxRule
from ramstein.domain.nations import IndicatorValue, Nation, NationGroup
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.domain.types import ISO3, Currency, Day, Share
from ramstein.io.errors import Strict, parse_document
from ramstein.shares.fair import NationShare, SharesResult
from ramstein.shares.keys import DEFAULT_GRADIENT
from ramstein.store import fx as fx_store

SCENARIO_FORMAT = "ramstein.scenario/1"
SHARES_FORMAT = "ramstein.shares/1"

Year = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
NonNegative = Annotated[float, Field(ge=0)]


class MoneyDoc(Strict):
    amount: NonNegative
    currency: Currency


class PeriodDoc(Strict):
    start: Day
    end: Day


Fraction = Annotated[float, Field(ge=0, le=1)]


class CapacityDoc(Strict):
    gradient: Fraction = DEFAULT_GRADIENT


class KeyDoc(Strict):
    indicator: Literal["gdp", "gni", "population"]
    year: int | None = None
    years: Annotated[list[int], Field(min_length=1)] | None = None
    floor: Fraction | None = None
    ceiling: Share | None = None
    capacity: CapacityDoc | None = None


class IndicatorDoc(Strict):
    amount: Annotated[float, Field(gt=0)]
    currency: Currency | Literal[""] = ""
    unit: Literal["", "m", "bn"] = ""


Series = dict[Year, IndicatorDoc]


class NationDoc(Strict):
    iso3: ISO3
    name: str = ""
    gdp: Series
    gni: Series | None = None
    population: Series | None = None


class FxDoc(Strict):
    source: Currency = Field(alias="from")
    target: Currency = Field(alias="to")
    year: int
    rate: Annotated[float, Field(gt=0)]


class ContributionDoc(ContributionBase):
    """A contribution in the scenario document: the record's fields, the currency stated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: Currency
    status: Status


class ScenarioDoc(Strict):
    format: Literal["ramstein.scenario/1"]
    name: str = ""
    baseline: MoneyDoc
    period: PeriodDoc
    key: KeyDoc
    opt_out: list[ISO3] = []
    opt_out_share: OptOutShare = OptOutShare.REDISTRIBUTE
    nations: list[NationDoc]
    fx: list[FxDoc] = []
    fx_rule: FxRule = FxRule.ANNUAL
    contributions: list[ContributionDoc] = []


def _series(doc: Series | None) -> dict[int, IndicatorValue]:
    return {
        int(year): IndicatorValue(v.amount, v.currency, v.unit) for year, v in (doc or {}).items()
    }


def _check_references(doc: ScenarioDoc) -> None:
    listed = {n.iso3 for n in doc.nations}
    check_unique([n.iso3 for n in doc.nations], "nations", "duplicate id")
    check_unique([c.id for c in doc.contributions], "contributions", "duplicate id")
    if doc.period.end < doc.period.start:
        raise InputError("period.end", "is before period.start")
    for iso3 in doc.opt_out:
        if iso3 not in listed:
            raise InputError("opt_out", f"unknown nation {iso3!r}")
    for c in doc.contributions:
        if c.donor not in listed:
            raise InputError(f"contributions[{c.id}].donor", f"unknown nation {c.donor!r}")
        check_amount(c.status, c.amount, field=f"contributions[{c.id}]")
    key = doc.key
    if key.year is None and key.years is None:
        raise InputError("key.year", "give the key's year or its base period (key.years)")
    if key.floor is not None and key.ceiling is not None and key.floor > key.ceiling:
        raise InputError("key.floor", f"is above the ceiling {key.ceiling}")
    if key.capacity is not None and key.indicator == "population":
        raise InputError("key.capacity", "needs an income indicator (gdp or gni)")
    years = sorted({*(key.years or []), *([key.year] if key.year is not None else [])})
    needed = [key.indicator] + (["population"] if key.capacity is not None else [])
    for n in doc.nations:
        for indicator in needed:
            series = getattr(n, indicator) or {}
            for year in years:
                if str(year) not in series:
                    raise InputError(
                        f"nations[{n.iso3}].{indicator}", f"no value for key year {year}"
                    )
        if str(key_year(key)) not in n.gdp:
            raise InputError(f"nations[{n.iso3}].gdp", f"no value for {key_year(key)}")
    by_id = {c.id: c for c in doc.contributions}
    for c in doc.contributions:
        if c.parent is not None and c.parent not in by_id:
            raise InputError(f"contributions[{c.id}].parent", f"unknown contribution {c.parent!r}")


def key_year(key: KeyDoc) -> int:
    """The key's year: the one given, else the base period's last."""
    if key.year is not None:
        return key.year
    return max(key.years or [0])


def parse_scenario(text: str) -> Scenario:
    """Validate a `ramstein.scenario/1` document and return its Scenario; raises InputError."""
    doc = parse_document(text, ScenarioDoc)
    _check_references(doc)
    return Scenario(
        name=doc.name,
        baseline_amount=doc.baseline.amount,
        baseline_currency=doc.baseline.currency,
        period_start=doc.period.start,
        period_end=doc.period.end,
        key_indicator=doc.key.indicator,
        key_year=key_year(doc.key),
        key_years=tuple(doc.key.years or ()),
        key_floor=doc.key.floor,
        key_ceiling=doc.key.ceiling,
        key_gradient=doc.key.capacity.gradient if doc.key.capacity else None,
        nations=tuple(
            Nation(
                iso3=n.iso3,
                name=n.name or n.iso3,
                group=NationGroup.ALLY,
                indicators={
                    k: _series(getattr(n, k))
                    for k in ("gdp", "gni", "population")
                    if getattr(n, k) is not None
                },
            )
            for n in doc.nations
        ),
        opt_out=tuple(doc.opt_out),
        opt_out_share=doc.opt_out_share,
        fx=tuple(FxRate(f.source, f.target, f.year, f.rate) for f in doc.fx),
        fx_rule=doc.fx_rule,
        fx_history=fx_store.bundled(),
        contributions=tuple(c.domain() for c in doc.contributions),
    )


def shares_document(result: SharesResult) -> dict[str, Any]:
    """The `ramstein.shares/1` document for a result, field by field as the format says."""
    return {
        "format": SHARES_FORMAT,
        "baseline_eur": result.baseline_eur,
        "uncovered_eur": result.uncovered_eur,
        "nations": [nation_document(n) for n in result.nations],
    }


def nation_document(n: NationShare) -> dict[str, Any]:
    """One nation's line of `ramstein.shares/1` (the review documents repeat it per period)."""
    return {
        "iso3": n.iso3,
        "participating": n.participating,
        "key_share": n.key_share,
        "fair_share_eur": n.fair_share_eur,
        "counted_eur": n.counted_eur,
        "gap_eur": n.gap_eur,
        "counted_pct_of_gdp": n.counted_pct_of_gdp,
    }
