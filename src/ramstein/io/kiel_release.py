"""Kiel's website tables (Release 29) as the packaged dataset carries them.

`data/kiel-r29-military.csv` holds Kiel's military allocations per donor and month,
2022-01 to 2026-04, derived from the release's `data_explorer.csv` (`derive_military`
makes it; a test keeps the two equal). `data/kiel-r29-gdp.csv` holds the 2021 GDP in EUR
that Kiel divides by for its "% of GDP". `data/kiel-r29-supply.csv` holds all donors'
military allocations per year by source (stockpile, procurement, unspecified, PURL), from
the release's `procurement_trends.csv`. Loaded, each month is one delivered, public
contribution (`KIEL-R29-DEU-2025-03`): Kiel's allocations, a lower bound of what the pledge
counts (training, PURL payments and operating costs are not in them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path

from ramstein.domain.contributions import Category, Channel, Contribution, Status, Visibility

RELEASE = 29
SOURCE = "Kiel Institute, Ukraine Support Tracker, Release 29"
MILITARY_FILE = "kiel-r29-military.csv"
GDP_FILE = "kiel-r29-gdp.csv"
SUPPLY_FILE = "kiel-r29-supply.csv"
# Kiel's sources of military allocations (Release 29, `procurement_trends.csv`).
SUPPLY_COLUMNS = ("stockpile", "procurement", "unspecified", "nato_purl")
# Kiel's codes that are not ISO3: the EU institutions.
CODES = {"EU": "EUI"}
HEADER = ["iso3", "country", "year", "month", "military_eur_bn", "source"]


@dataclass(frozen=True)
class Month:
    """One donor's military allocations in one month (EUR bn), as Kiel published them."""

    iso3: str
    country: str
    year: int
    month: int
    military_eur_bn: float

    @property
    def id(self) -> str:
        """The contribution's id: `KIEL-R29-DEU-2025-03`."""
        return f"KIEL-R{RELEASE}-{self.iso3}-{self.year}-{self.month:02d}"

    def contribution(self) -> Contribution:
        """The month as a delivered, public contribution dated the month's first day."""
        return Contribution(
            id=self.id,
            donor=self.iso3,
            amount=round(self.military_eur_bn * 1e9, 2),
            currency="EUR",
            date=date(self.year, self.month, 1),
            category=Category.IN_KIND,
            status=Status.DELIVERED,
            visibility=Visibility.PUBLIC,
            channel=Channel.BILATERAL,
            source=SOURCE,
            description=(
                f"Military allocations in {self.year}-{self.month:02d} as Kiel counts them "
                "(a lower bound: training, PURL payments and operating costs are not in them)"
            ),
        )


def derive_military(data_explorer: Path) -> list[Month]:
    """The months with military allocations, from Kiel's `data_explorer.csv`."""
    with data_explorer.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = [
        Month(
            CODES.get(r["iso"], r["iso"]),
            r["country"],
            int(r["year"]),
            int(r["month"]),
            float(r["military"]),
        )
        for r in rows
        if float(r["military"]) != 0
    ]
    return sorted(found, key=lambda m: (m.iso3, m.year, m.month))


def military_csv(months: list[Month]) -> str:
    """The packaged table's text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for m in months:
        writer.writerow([m.iso3, m.country, m.year, m.month, repr(m.military_eur_bn), SOURCE])
    return out.getvalue()


def military() -> list[Month]:
    """The packaged months."""
    text = (files("ramstein.data") / MILITARY_FILE).read_text("utf-8")
    return [
        Month(r["iso3"], r["country"], int(r["year"]), int(r["month"]), float(r["military_eur_bn"]))
        for r in csv.DictReader(text.splitlines())
    ]


def derive_gdp(data_explorer: Path) -> dict[str, tuple[str, float]]:
    """Each donor's 2021 GDP in EUR bn, Kiel's basis for "% of GDP"."""
    with data_explorer.open(encoding="utf-8") as handle:
        return {
            CODES.get(r["iso"], r["iso"]): (r["country"], float(r["gdp"]))
            for r in csv.DictReader(handle)
            if r["gdp"] not in ("", "NA")
        }


def gdp_csv(gdp: dict[str, tuple[str, float]]) -> str:
    """The packaged GDP table's text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["iso3", "country", "gdp_2021_eur_bn", "source"])
    for iso3, (country, value) in sorted(gdp.items()):
        writer.writerow([iso3, country, repr(value), SOURCE])
    return out.getvalue()


def gdp_2021() -> dict[str, float]:
    """Kiel's 2021 GDP per donor, in EUR (ones)."""
    text = (files("ramstein.data") / GDP_FILE).read_text("utf-8")
    return {r["iso3"]: float(r["gdp_2021_eur_bn"]) * 1e9 for r in csv.DictReader(text.splitlines())}


def derive_supply(trends: Path) -> dict[int, dict[str, float]]:
    """All donors' military allocations per year by source (EUR bn), from Kiel's
    `procurement_trends.csv` (one row a month)."""
    years: dict[int, dict[str, float]] = {}
    with trends.open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            year = years.setdefault(int(r["year"]), dict.fromkeys(SUPPLY_COLUMNS, 0.0))
            for column in SUPPLY_COLUMNS:
                year[column] += float(r[column])
    return dict(sorted(years.items()))


def supply_csv(years: dict[int, dict[str, float]]) -> str:
    """The packaged table of military allocations by source and year."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year", *(f"{c}_eur_bn" for c in SUPPLY_COLUMNS), "source"])
    for year, parts in years.items():
        writer.writerow([year, *(repr(round(parts[c], 9)) for c in SUPPLY_COLUMNS), SOURCE])
    return out.getvalue()


def supply_by_year() -> dict[int, dict[str, float]]:
    """The packaged table: each year's military allocations by source, in EUR (ones)."""
    text = (files("ramstein.data") / SUPPLY_FILE).read_text("utf-8")
    return {
        int(r["year"]): {c: float(r[f"{c}_eur_bn"]) * 1e9 for c in SUPPLY_COLUMNS}
        for r in csv.DictReader(text.splitlines())
    }


if (
    __name__ == "__main__"
):  # python -m ramstein.io.kiel_release ../shared/data/kiel/r29-data_explorer.csv
    import sys

    source = Path(sys.argv[1])
    target = Path(str(files("ramstein.data")))
    (target / MILITARY_FILE).write_text(military_csv(derive_military(source)), "utf-8")
    (target / GDP_FILE).write_text(gdp_csv(derive_gdp(source)), "utf-8")
    trends = source.with_name("r29-procurement_trends.csv")
    (target / SUPPLY_FILE).write_text(supply_csv(derive_supply(trends)), "utf-8")
