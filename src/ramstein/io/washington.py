"""The Washington 2024 dataset, read from the CSV files packaged under `ramstein/data/`."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from importlib.resources import files

from ramstein.domain.contributions import Category, Channel, Contribution, Status, Visibility
from ramstein.domain.items import MatchInstance
from ramstein.domain.logistics import LogisticsInstance
from ramstein.domain.money import FxRate
from ramstein.domain.nations import IndicatorValue, Nation, NationGroup
from ramstein.domain.procurement import Contract
from ramstein.domain.purl import Package
from ramstein.domain.scenario import OptOutShare, Scenario
from ramstein.domain.training import TrainingInstance
from ramstein.io import kiel_release
from ramstein.io.coalition_json import CoalitionDataset, parse_coalitions
from ramstein.io.contract_json import parse_contract
from ramstein.io.kiel import donor_of
from ramstein.io.match_json import parse_match
from ramstein.io.purl_json import parse_purl
from ramstein.io.route_json import parse_logistics
from ramstein.io.train_json import parse_training
from ramstein.store import fx as fx_store

NAME = "washington-2024"
# Pledge periods and the GDP year that keys each: the latest full year of GDP published when
# the period is agreed or begins (2023 for 2024: the World Bank's release of mid-2024), and
# for 2025 and 2026 still 2023, the last year of the series the package carries (WB-WDI-2024-09).
PERIODS = ((2024, 2023), (2025, 2023), (2026, 2023))
KIEL_GDP = "gdp_kiel"  # Kiel's basis for "% of GDP": 2021 GDP in EUR (Release 29)
AIR_DEFENCE = "Joint statement on Ukraine's air defence, Washington, 9 July 2024 (sourced)"
INTERCEPTORS = "US statement on re-sequenced interceptor deliveries, 9 July 2024 (sourced)"


def _rows(name: str) -> list[dict[str, str]]:
    text = (files("ramstein.data") / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def nations() -> list[Nation]:
    """The 37 nations with their GDP, GNI and population series, 2021-2023."""
    series: dict[str, dict[str, dict[int, IndicatorValue]]] = {}
    for r in _rows("indicators.csv"):
        # The GNI series is the World Bank's Atlas method; keys call it plain `gni`.
        name = "gni" if r["indicator"] == "gni_atlas" else r["indicator"]
        series.setdefault(r["iso3"], {}).setdefault(name, {})[int(r["year"])] = IndicatorValue(
            float(r["value"]), r["currency"], r["unit"], r["source"]
        )
    for iso3, eur in kiel_release.gdp_2021().items():
        if iso3 in series:
            series[iso3][KIEL_GDP] = {2021: IndicatorValue(eur, "EUR", "", kiel_release.SOURCE)}
    return [
        Nation(r["iso3"], r["name"], NationGroup(r["group"]), series.get(r["iso3"], {}))
        for r in _rows("nations.csv")
    ]


def kiel_contributions() -> list[Contribution]:
    """Kiel's military allocations per donor and month, 2022-01 to 2026-04 (Release 29)."""
    return [m.contribution() for m in kiel_release.military()]


def kiel_donors(known: set[str]) -> list[Nation]:
    """Donors in Kiel's table that the dataset's nations do not include (Austria, Ireland)."""
    found = {}
    for m in kiel_release.military():
        if m.iso3 not in known and m.iso3 not in found:
            donor = donor_of(m.iso3)
            found[m.iso3] = Nation(m.iso3, donor.name if donor else m.country, NationGroup.OTHER)
    return list(found.values())


def fx_rates() -> list[FxRate]:
    """The ECB's annual average EUR/USD rates (US$ per EUR 1)."""
    return [
        FxRate(r["base"], r["quote"], int(r["year"]), float(r["rate"]), r["source"])
        for r in _rows("fx.csv")
    ]


def _announced(cid: str, donor: str, description: str, source: str) -> Contribution:
    return Contribution(
        id=cid,
        donor=donor,
        amount=None,
        currency="EUR",
        date=date(2024, 7, 9),
        category=Category.IN_KIND,
        status=Status.ANNOUNCED,
        visibility=Visibility.PUBLIC,
        channel=Channel.BILATERAL,
        recipient="UKR",
        source=source,
        description=description,
    )


def seed_contributions() -> list[Contribution]:
    """The summit's named commitments, announced in kind, with no amount where none is public."""
    return [
        _announced("WAS24-USA-PATRIOT", "USA", "Patriot battery", AIR_DEFENCE),
        _announced("WAS24-DEU-PATRIOT", "DEU", "Patriot battery", AIR_DEFENCE),
        _announced("WAS24-ROU-PATRIOT", "ROU", "Patriot battery", AIR_DEFENCE),
        _announced(
            "WAS24-NLD-PATRIOT-COMPONENTS",
            "NLD",
            "Patriot components, with other partners, to enable an additional battery",
            AIR_DEFENCE,
        ),
        _announced("WAS24-ITA-SAMPT", "ITA", "SAMP/T system", AIR_DEFENCE),
        _announced(
            "WAS24-USA-INTERCEPTORS",
            "USA",
            "Hundreds of additional air defence interceptors over the next year",
            INTERCEPTORS,
        ),
    ]


def scenario() -> tuple[Scenario, list[Nation]]:
    """The pledge's 2025 scenario over the 32 allies, and the nations outside it."""
    everyone = nations()
    allies = tuple(n for n in everyone if n.group is NationGroup.ALLY)
    others = [n for n in everyone if n.group is not NationGroup.ALLY]
    pledge = Scenario(
        name="Washington pledge 2025",
        baseline_amount=40e9,
        baseline_currency="EUR",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        key_indicator="gdp",
        key_year=2023,
        nations=allies,
        opt_out=("HUN",),
        opt_out_share=OptOutShare.REDISTRIBUTE,
        fx=tuple(fx_rates()),
        fx_history=fx_store.bundled(),
        periods=PERIODS,
        contributions=tuple(seed_contributions()),
    )
    return pledge, others


def air_defence() -> MatchInstance:
    """The air-defence statement as items with BOMs, Ukraine's requirements and offers."""
    text = (files("ramstein.data") / "washington-2024-air-defence.json").read_text("utf-8")
    return parse_match(text)


LOGISTICS_START = date(2024, 9, 1)


def logistics() -> LogisticsInstance:
    """Depots, the hubs in Poland, Slovakia and Romania, and a consignment per offer."""
    text = (files("ramstein.data") / "washington-2024-logistics.json").read_text("utf-8")
    return parse_logistics(text)


def training() -> TrainingInstance:
    """Courses and sessions at allied sites, and a crew cohort per required unit."""
    text = (files("ramstein.data") / "washington-2024-training.json").read_text("utf-8")
    return parse_training(text)


def stinger() -> Contract:
    """The NSPA Stinger contract of 9 July 2024 (buyers' split and lots illustrative)."""
    text = (files("ramstein.data") / "washington-2024-stinger.json").read_text("utf-8")
    return parse_contract(text)


# Kiel's monthly military allocations include PURL payments (Release 29's procurement
# trends: each month's stockpile + procurement + unspecified + nato_purl is its military
# total), so the dataset's packages leave their counting there: no payment is written twice.
PURL_COUNTED_BY = f"{kiel_release.SOURCE}: its monthly military allocations include PURL payments"


def purl_packages() -> list[Package]:
    """PURL packages 1-4 from public reporting (dates, splits and content illustrative)."""
    text = (files("ramstein.data") / "washington-2024-purl.json").read_text("utf-8")
    return [replace(p, counted_by=PURL_COUNTED_BY) for p in parse_purl(text)]


def coalitions() -> CoalitionDataset:
    """The eight capability coalitions of the contact group with their leads and roadmaps
    (targets marked illustrative where not published), and the items marked sensitive."""
    text = (files("ramstein.data") / "washington-2024-coalitions.json").read_text("utf-8")
    return parse_coalitions(text)
