"""The Kiel Institute's Ukraine Support Tracker workbook, read into contributions.

Only the "Bilateral Assistance, MAIN DATA" sheet and its military rows are read. Donor
names become ISO3 codes through pycountry (exact names, official and common names) and a
short list of the tracker's own spellings; a name neither knows is reported, never guessed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pycountry

from ramstein.domain.contributions import Category, Channel, Contribution, Status, Visibility
from ramstein.domain.errors import ImportRejected, RowError
from ramstein.io.spreadsheet import read_rows

SHEET = "Bilateral Assistance, MAIN DATA"
SOURCE = "Kiel Institute for the World Economy, Ukraine Support Tracker"
REQUIRED = (
    "donor",
    "announcement_date",
    "aid_type_general",
    "aid_type_specific",
    "measure",
    "tot_sub_activity_value_EUR",
)
MEASURES = {"allocation": Status.DELIVERED, "commitment": Status.COMMITTED}
# The tracker's spellings that pycountry does not know under that name.
ALIASES = {
    "czech republic": "CZE",
    "turkey": "TUR",
    "south korea": "KOR",
    "slovak republic": "SVK",
    "united states of america": "USA",
    "the netherlands": "NLD",
    "russia": "RUS",
}


def iso3_of(name: str) -> str | None:
    """The ISO3 code of a donor name, or None when it is not a known country name."""
    key = " ".join(name.split())
    if not key:
        return None
    if key.lower() in ALIASES:
        return ALIASES[key.lower()]
    try:
        country = pycountry.countries.lookup(key)
    except LookupError:
        return None
    code: str = country.alpha_3
    return code


@dataclass(frozen=True)
class KielRead:
    """What the workbook gave: contributions, rows of unknown donors, rows left aside."""

    contributions: list[Contribution]
    skipped: list[tuple[int, str]]  # (row, why): unknown donors, allocations without a value
    not_military: int


def _day(text: str) -> date:
    text = text.strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        day, month, year = text.split(".")
        return date(int(year), int(month), int(day))


def read_kiel(path: Path, nations: set[str], *, scale: float = 1.0) -> KielRead:
    """Military rows as contributions; every bad row reported (ImportRejected), none guessed."""
    header, rows = read_rows(path, sheet=SHEET)
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRejected([RowError(1, c, "missing column") for c in missing])
    found: list[Contribution] = []
    skipped: list[tuple[int, str]] = []
    errors: list[RowError] = []
    aside = 0
    seen: dict[str, int] = {}
    for row in rows:
        cells = {k.strip(): v.strip() for k, v in row.cells.items() if k}
        if cells.get("aid_type_general", "").lower() != "military":
            aside += 1
            continue
        donor = iso3_of(cells["donor"])
        if donor is None or donor not in nations:
            skipped.append((row.number, f"unknown donor {cells['donor']!r}"))
            continue
        measure = MEASURES.get(cells["measure"].lower())
        if measure is None:
            errors.append(
                RowError(
                    row.number, "measure", f"{cells['measure']!r} is not Allocation or Commitment"
                )
            )
            continue
        try:
            day = _day(cells["announcement_date"])
        except ValueError:
            errors.append(
                RowError(
                    row.number, "announcement_date", f"{cells['announcement_date']!r} is not a date"
                )
            )
            continue
        raw = cells["tot_sub_activity_value_EUR"].replace(",", "")
        try:
            amount = float(raw) * scale if raw else None
        except ValueError:
            errors.append(
                RowError(row.number, "tot_sub_activity_value_EUR", f"{raw!r} is not a number")
            )
            continue
        if amount is not None and amount < 0:
            errors.append(RowError(row.number, "tot_sub_activity_value_EUR", "is negative"))
            continue
        if amount is None and measure is Status.DELIVERED:
            skipped.append((row.number, "an allocation without a value"))
            continue
        specific = cells["aid_type_specific"]
        key = (
            cells.get("ID")
            or cells.get("id")
            or "|".join(
                [
                    donor,
                    day.isoformat(),
                    specific,
                    cells["measure"],
                    raw,
                    cells.get("explanation", ""),
                ]
            )
        )
        cid = "KIEL-" + hashlib.sha256(key.encode()).hexdigest()[:16]
        if cid in seen:
            errors.append(RowError(row.number, "donor", f"repeats row {seen[cid]}"))
            continue
        seen[cid] = row.number
        found.append(
            Contribution(
                id=cid,
                donor=donor,
                amount=amount,
                currency="EUR",
                date=day,
                category=Category.EQUIPMENT if "financ" in specific.lower() else Category.IN_KIND,
                status=measure,
                visibility=Visibility.PUBLIC,
                channel=Channel.BILATERAL,
                source=SOURCE,
                description=specific,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return KielRead(found, skipped, aside)
