"""Fair shares: the format's rules, the Washington orientation figures, and properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramstein.domain.contributions import Category, Contribution, Status
from ramstein.domain.errors import InputError, MissingRateError
from ramstein.domain.money import FxRate
from ramstein.domain.nations import IndicatorValue, Nation
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.io import washington
from ramstein.shares import compute_shares


def nation(iso3: str, gdp_bn: float, currency: str = "EUR") -> Nation:
    return Nation(iso3, iso3, indicators={"gdp": {2023: IndicatorValue(gdp_bn, currency, "bn")}})


def scenario(nations: list[Nation], **changes: object) -> Scenario:
    base = Scenario(
        name="t",
        baseline_amount=40e9,
        baseline_currency="EUR",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        key_indicator="gdp",
        key_year=2023,
        nations=tuple(nations),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def contribution(cid: str, donor: str, amount: float, **changes: object) -> Contribution:
    base = Contribution(
        id=cid,
        donor=donor,
        amount=amount,
        currency="EUR",
        date=date(2025, 3, 1),
        category=Category.EQUIPMENT,
        status=Status.DELIVERED,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_washington_key_shares_match_the_orientation_figures() -> None:
    pledge, _ = washington.scenario()
    result = compute_shares(pledge).by_iso3()
    assert round(100 * result["USA"].key_share, 2) == 53.09
    assert round(result["USA"].fair_share_eur / 1e9, 2) == 21.24
    assert round(100 * result["DEU"].key_share, 2) == 8.65
    assert round(100 * result["GBR"].key_share, 2) == 6.48
    assert result["HUN"].participating is False
    assert result["HUN"].fair_share_eur == 0
    assert len(result) == 32


def test_redistribute_shares_the_baseline_among_participants_only() -> None:
    result = compute_shares(
        scenario([nation("AAA", 300), nation("BBB", 100), nation("HUN", 100)], opt_out=("HUN",))
    ).by_iso3()
    assert result["AAA"].key_share == pytest.approx(0.75)
    assert result["BBB"].fair_share_eur == pytest.approx(10e9)
    assert result["HUN"].key_share == 0


def test_uncovered_leaves_the_opt_out_portion_unassigned() -> None:
    result = compute_shares(
        scenario(
            [nation("AAA", 300), nation("BBB", 100), nation("HUN", 100)],
            opt_out=("HUN",),
            opt_out_share=OptOutShare.UNCOVERED,
        )
    )
    lines = result.by_iso3()
    assert lines["AAA"].key_share == pytest.approx(0.6)
    assert result.uncovered_eur == pytest.approx(8e9)


def test_only_contracted_or_delivered_contributions_in_the_period_count() -> None:
    contributions = (
        contribution("in", "AAA", 1e9),
        contribution("contracted", "AAA", 2e9, status=Status.CONTRACTED),
        contribution("announced", "AAA", 4e9, status=Status.ANNOUNCED),
        contribution("committed", "AAA", 8e9, status=Status.COMMITTED),
        contribution("cancelled", "AAA", 16e9, status=Status.CANCELLED),
        contribution("before", "AAA", 32e9, date=date(2024, 12, 31)),
        contribution("after", "AAA", 64e9, date=date(2026, 1, 1)),
        contribution("last-day", "AAA", 128e9, date=date(2025, 12, 31)),
    )
    result = compute_shares(scenario([nation("AAA", 100)], contributions=contributions))
    line = result.by_iso3()["AAA"]
    assert line.counted_eur == pytest.approx(131e9)
    assert line.gap_eur == pytest.approx(40e9 - 131e9)
    assert line.counted_pct_of_gdp == pytest.approx(131.0)


def test_contributions_convert_at_the_rate_of_their_year() -> None:
    result = compute_shares(
        scenario(
            [nation("AAA", 100, "USD")],
            fx=(FxRate("EUR", "USD", 2023, 1.25), FxRate("EUR", "USD", 2025, 2.0)),
            contributions=(contribution("c", "AAA", 1e9, currency="USD"),),
        )
    )
    line = result.by_iso3()["AAA"]
    assert line.counted_eur == pytest.approx(0.5e9)
    # GDP converts at the key year's rate: 100 bn USD / 1.25 = 80 bn EUR.
    assert line.counted_pct_of_gdp == pytest.approx(100 * 0.5 / 80)


def test_a_missing_rate_is_an_error_never_one() -> None:
    with pytest.raises(MissingRateError) as caught:
        compute_shares(
            scenario(
                [nation("AAA", 100)],
                contributions=(contribution("c9", "AAA", 1e9, currency="USD"),),
            )
        )
    assert str(caught.value) == "contributions[c9].currency: no FX rate USD->EUR for 2025"


def test_a_withdrawal_is_an_opt_out_in_a_what_if() -> None:
    base = scenario([nation("AAA", 300), nation("BBB", 100)])
    without = compute_shares(base.what_if(without=("AAA",))).by_iso3()
    assert without["BBB"].fair_share_eur == pytest.approx(40e9)
    assert without["AAA"].participating is False


def test_an_unknown_opt_out_is_bad_input() -> None:
    with pytest.raises(InputError, match="opt_out: unknown nation 'ZZZ'"):
        compute_shares(scenario([nation("AAA", 1)], opt_out=("ZZZ",)))


gdps = st.lists(
    st.floats(min_value=0.01, max_value=30_000, allow_nan=False), min_size=2, max_size=12
)


def _nations(values: list[float]) -> list[Nation]:
    return [nation(f"N{i:02d}", v) for i, v in enumerate(values)]


@settings(max_examples=200, deadline=None)
@given(gdps, st.data(), st.floats(min_value=0, max_value=1e12))
def test_redistribute_fair_shares_sum_to_the_baseline(
    values: list[float], data: st.DataObject, baseline: float
) -> None:
    nations = _nations(values)
    opt_out = data.draw(
        st.lists(st.sampled_from([n.iso3 for n in nations]), max_size=len(nations) - 1, unique=True)
    )
    result = compute_shares(scenario(nations, opt_out=tuple(opt_out), baseline_amount=baseline))
    assert sum(n.fair_share_eur for n in result.nations) == pytest.approx(baseline, rel=1e-9)
    assert sum(n.key_share for n in result.nations if n.participating) == pytest.approx(1.0)
    assert result.uncovered_eur == 0


@settings(max_examples=200, deadline=None)
@given(gdps, st.data(), st.sampled_from(list(OptOutShare)))
def test_opting_out_never_lowers_another_participants_fair_share(
    values: list[float], data: st.DataObject, mode: OptOutShare
) -> None:
    nations = _nations(values)
    leaver = data.draw(st.sampled_from([n.iso3 for n in nations]))
    before = compute_shares(scenario(nations, opt_out_share=mode)).by_iso3()
    after = compute_shares(scenario(nations, opt_out=(leaver,), opt_out_share=mode)).by_iso3()
    for iso3, line in after.items():
        if iso3 != leaver:
            assert line.fair_share_eur >= before[iso3].fair_share_eur * (1 - 1e-12)
    assert after[leaver].fair_share_eur == 0


@settings(max_examples=200, deadline=None)
@given(gdps, st.data())
def test_uncovered_plus_assigned_shares_is_the_baseline(
    values: list[float], data: st.DataObject
) -> None:
    nations = _nations(values)
    opt_out = data.draw(
        st.lists(st.sampled_from([n.iso3 for n in nations]), max_size=len(nations), unique=True)
    )
    result = compute_shares(
        scenario(nations, opt_out=tuple(opt_out), opt_out_share=OptOutShare.UNCOVERED)
    )
    assigned = sum(n.fair_share_eur for n in result.nations)
    assert result.uncovered_eur + assigned == pytest.approx(40e9, rel=1e-9)
    opted = sum(n.iso3 in opt_out for n in result.nations)
    assert (result.uncovered_eur > 0) == (opted > 0)
