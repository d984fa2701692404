"""The Kiel Institute's Ukraine Support Tracker main sheet, read as published.

Rows are keyed by Kiel's `activity_id`/`sub_activity_id` (else its `ID`), stable across
releases. Every cell is read right or the row is refused by name: numbers such as "2,5"
or "1.234,5" and dates with two-digit years are ambiguous and refused; "." and
"No price" are unknown values (the row is kept without an amount, not counted). A row is
dated by `announcement_date`, else by Kiel's `month` where `month_exists_dummy` says it is
known. Negative rows are corrections netted within their activity; commitments carry
their value in `tot_activity_value_EUR`. Donor names resolve through the alias table beside
pycountry (`data/kiel-donors.csv`); the EU institutions and the European Peace Facility are
donors of their own.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from importlib.resources import files
from pathlib import Path

import pycountry
from python_calamine import CalamineError, CalamineWorkbook

from ramstein.domain.contributions import Category, Channel, Contribution, Status, Visibility
from ramstein.domain.errors import InputError, RowError
from ramstein.domain.nations import NationGroup
from ramstein.domain.sheets import Row
from ramstein.io.spreadsheet import read_rows

SHEET = "Bilateral Assistance, MAIN DATA"
SUMMARY_SHEET = "Country Summary (€)"
SOURCE = "Kiel Institute, Ukraine Support Tracker"
ID_PREFIX = "KIEL-ACT-"
REQUIRED = (
    "donor",
    "announcement_date",
    "aid_type_general",
    "aid_type_specific",
    "measure",
    "tot_sub_activity_value_EUR",
    "tot_activity_value_EUR",
    "month",
    "month_exists_dummy",
)
GENERAL = ("military", "financial", "humanitarian")
MEASURES = {"allocation": Status.DELIVERED, "commitment": Status.COMMITTED}
UNKNOWN_VALUES = {".", "no price", ""}
# The tracker starts on 24 January 2022; Kiel's month 1 is January 2022.
TRACKER_START = date(2022, 1, 24)
# Category words in `aid_type_specific`, first match wins; the pledge's seven categories.
CATEGORY_WORDS: tuple[tuple[str, Category], ...] = (
    ("training", Category.TRAINING),
    ("trust fund", Category.TRUST_FUND),
    ("maintenance", Category.MAINTENANCE),
    ("repair", Category.MAINTENANCE),
    ("logistic", Category.MAINTENANCE),
    ("transport", Category.MAINTENANCE),
    ("industr", Category.INDUSTRY),
    ("production", Category.INDUSTRY),
    ("financ", Category.EQUIPMENT),
    ("funding", Category.EQUIPMENT),
    ("procure", Category.EQUIPMENT),
    ("purchase", Category.EQUIPMENT),
    ("operation", Category.OPERATIONS),
    ("ammunition", Category.IN_KIND),
    ("weapon", Category.IN_KIND),
    ("equipment", Category.IN_KIND),
)


class ValueColumn(StrEnum):
    """Which of Kiel's row values to store: as given, or with packages redistributed."""

    SUB = "sub"
    REDISTR = "redistr"

    @property
    def column(self) -> str:
        """The sheet's column for this choice."""
        if self is ValueColumn.REDISTR:
            return "tot_sub_activity_value_EUR_redistr"
        return "tot_sub_activity_value_EUR"


class Undated(StrEnum):
    """What to do with a row that has neither a date nor a known month."""

    KEEP = "keep"  # dated at the tracker's start, counted in Kiel's totals but no pledge year
    REFUSE = "refuse"


@dataclass(frozen=True)
class Donor:
    """A donor as Ramstein knows it: code, name and group."""

    iso3: str
    name: str
    group: NationGroup


def _aliases() -> dict[str, Donor]:
    text = (files("ramstein.data") / "kiel-donors.csv").read_text("utf-8")
    found = {}
    for r in csv.DictReader(text.splitlines()):
        group = NationGroup(r["group"]) if r["group"] else NationGroup.OTHER
        found[_key(r["name"])] = Donor(r["iso3"], r["name"], group)
    return found


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


_ALIASES: dict[str, Donor] | None = None


def donor_of(name: str) -> Donor | None:
    """The donor a Kiel name means: the alias table first, then pycountry; None if neither."""
    global _ALIASES
    if _ALIASES is None:
        _ALIASES = _aliases()
    key = _key(name)
    if not key:
        return None
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        country = pycountry.countries.lookup(" ".join(name.split()))
    except LookupError:
        return None
    common = getattr(country, "common_name", None) or country.name
    return Donor(str(country.alpha_3), str(common), NationGroup.OTHER)


_PLAIN = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")


def number(text: str) -> float | None:
    """A cell's number; None for Kiel's unknowns ("." and "No price", blank).

    Raises ValueError naming why for anything that could be read two ways: "2,5" (2.5 or
    25?), "1.234,5", "1,234" (one thousand, or one and a bit?). Commas are read as
    thousands separators only where nothing else is possible ("1,234,567", "1,234.5").
    """
    cell = text.strip()
    if cell.casefold() in UNKNOWN_VALUES:
        return None
    if _PLAIN.match(cell):
        value = float(cell)
    elif _THOUSANDS.match(cell) and (cell.count(",") > 1 or "." in cell):
        value = float(cell.replace(",", ""))
    elif "," in cell:
        raise ValueError(f"{text!r} is ambiguous (decimal comma or thousands separator?)")
    else:
        raise ValueError(f"{text!r} is not a number")
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SHORT_YEAR = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2}$")
_SLASHED = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def day_of(text: str) -> date | None:
    """A date cell: ISO (an Excel date is read as one) or DD.MM.YYYY; None for free text.

    Raises ValueError for what looks like a date but could be read wrongly: two-digit
    years ("14.01.25") and slashed dates (day or month first?), or impossible dates.
    """
    cell = text.strip()
    try:
        if m := _ISO.match(cell):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DOTTED.match(cell):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date") from None
    if _SHORT_YEAR.match(cell):
        raise ValueError(f"{text!r} has a two-digit year")
    if _SLASHED.match(cell):
        raise ValueError(f"{text!r} is ambiguous (day or month first?)")
    return None  # free text such as "until March 2024": Kiel dates the row by its month


def month_start(index: int) -> date:
    """The first day of Kiel's running month `index` (1 = January 2022)."""
    return date(2022 + (index - 1) // 12, (index - 1) % 12 + 1, 1)


def _flag(text: str) -> bool:
    cell = text.strip().casefold()
    if cell in ("1", "1.0", "true", "yes"):
        return True
    if cell in ("0", "0.0", "false", "no", ""):
        return False
    raise ValueError(f"{text!r} is not 1/0 or true/false")


def category_of(specific: str) -> Category:
    """The pledge category `aid_type_specific` names, else in kind."""
    lowered = specific.casefold()
    for word, category in CATEGORY_WORDS:
        if word in lowered:
            return category
    return Category.IN_KIND


def clean_id(text: str) -> str:
    """Kiel's id text as part of a Ramstein id: printable, no whitespace, no '/'."""
    kept = "".join(ch for ch in text.strip() if ch.isprintable())
    return re.sub(r"[\s/]+", "-", kept)


@dataclass(frozen=True)
class EuShares:
    """Kiel's apportionment of EU-level aid to members (r29-eu_aid_shares: `eu_share_bn`)."""

    shares: dict[str, float]

    @classmethod
    def read(cls, path: Path) -> EuShares:
        """The shares file; InputError naming the bad cell."""
        header, rows = read_rows(path)
        for column in ("iso", "eu_share_bn"):
            if column not in header:
                raise InputError(f"{path.name}", f"missing column {column!r}")
        shares: dict[str, float] = {}
        for row in rows:
            iso = row.cells["iso"].strip().upper()
            try:
                value = number(row.cells["eu_share_bn"])
            except ValueError as exc:
                raise InputError(f"{path.name}, row {row.number}, eu_share_bn", str(exc)) from None
            if not re.match(r"^[A-Z]{3}$", iso) or value is None or value < 0:
                raise InputError(f"{path.name}, row {row.number}", "needs an ISO3 and a share")
            shares[iso] = value
        if not shares or sum(shares.values()) <= 0:
            raise InputError(path.name, "holds no shares")
        return cls(shares)

    def split(self, amount: float) -> dict[str, float]:
        """`amount` over the members in proportion to their shares."""
        total = math.fsum(self.shares.values())
        return {iso: amount * s / total for iso, s in sorted(self.shares.items())}


@dataclass(frozen=True)
class _Line:
    """One military row as read: its cells made sense of."""

    number: int
    donor: Donor
    activity: str
    sub: str
    measure: Status
    value: float | None
    activity_value: float | None
    day: date | None
    day_from: str  # "date", "month" or "" (unknown)
    specific: str
    explanation: str
    unknown_text: str


@dataclass
class KielRead:
    """What the sheet gave: contributions, refused rows, rows left aside, donors, summary."""

    release: int
    contributions: list[Contribution]
    refused: list[RowError]
    rows: int
    aside: dict[str, int]  # reason -> rows
    donors: dict[str, Donor]
    summary: dict[str, float] | None  # the release's own military allocations per ISO3 (EUR)
    notes: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, float]:
        """Military allocations per donor (EUR) as read: delivered rows with an amount."""
        found: dict[str, float] = defaultdict(float)
        for c in self.contributions:
            if c.status is Status.DELIVERED and c.amount is not None:
                found[c.donor] += c.amount
        return dict(found)


def source_of(release: int) -> str:
    """The source a release's rows carry."""
    return f"{SOURCE}, Release {release}"


def release_of(source: str) -> int | None:
    """The release a source text names, if it is the tracker's."""
    m = re.match(rf"^{re.escape(SOURCE)}, Release (\d+)$", source)
    return int(m[1]) if m else None


def _text(value: object) -> str:
    """A cell as text: whole floats without ".0", dates in ISO, blanks empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def sheet_rows(path: Path, sheet: str) -> tuple[list[str], Iterator[Row]]:
    """A sheet's header and rows: .xlsx through calamine (the real sheet has ~500,000 cells,
    too many for openpyxl to read in seconds), .csv as any other import reads it."""
    if path.suffix.lower() != ".xlsx":
        return read_rows(path)
    if not path.exists():
        raise InputError("file", f"{path} does not exist")
    try:
        book = CalamineWorkbook.from_path(str(path))
        if sheet not in book.sheet_names:
            raise InputError("file", f"{path.name} has no sheet {sheet!r}")
        cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise InputError("file", f"{path.name} is not a readable .xlsx: {exc}") from None
    if not cells:
        return [], iter(())
    header = [_text(h) for h in cells[0]]
    body = (
        Row(n, dict(zip(header, (_text(v) for v in values), strict=False)))
        for n, values in enumerate(cells[1:], start=2)
        if any(v not in (None, "") for v in values)
    )
    return header, body


def _required(header: list[str], value: ValueColumn) -> None:
    need = [*REQUIRED, value.column]
    missing = [c for c in need if c not in header]
    has_ids = ("activity_id" in header and "sub_activity_id" in header) or "ID" in header
    if not has_ids:
        missing.append("activity_id and sub_activity_id (or ID)")
    if missing:
        near = [h for h in header if h and h not in need and "_" in h]
        hint = f" (the sheet has {', '.join(near[:8])})" if near else ""
        raise InputError(f"{SHEET!r} header", f"missing column(s) {', '.join(missing)}{hint}")


def _line(
    row: Row, cells: dict[str, str], value_column: str
) -> tuple[_Line | None, list[RowError]]:
    n = row.number
    errors: list[RowError] = []
    donor = donor_of(cells["donor"])
    if donor is None:
        errors.append(RowError(n, "donor", f"unknown donor {cells['donor']!r}"))
    measure = MEASURES.get(cells["measure"].strip().casefold())
    if measure is None:
        errors.append(
            RowError(n, "measure", f"{cells['measure']!r} is not Allocation or Commitment")
        )
    activity = cells.get("activity_id", "").strip()
    sub = cells.get("sub_activity_id", "").strip()
    if not activity or not sub:
        activity, sub = "ID", cells.get("ID", "").strip()
        if not sub:
            errors.append(RowError(n, "activity_id", "blank (and no ID)"))
    values: dict[str, float | None] = {}
    for column in (value_column, "tot_activity_value_EUR"):
        try:
            values[column] = number(cells[column])
        except ValueError as exc:
            errors.append(RowError(n, column, str(exc)))
    day: date | None = None
    day_from = ""
    try:
        day = day_of(cells["announcement_date"])
        day_from = "date" if day else ""
    except ValueError as exc:
        errors.append(RowError(n, "announcement_date", str(exc)))
    if day is None and not errors:
        try:
            known = _flag(cells["month_exists_dummy"])
        except ValueError as exc:
            errors.append(RowError(n, "month_exists_dummy", str(exc)))
            known = False
        if known:
            try:
                index = number(cells["month"])
            except ValueError as exc:
                errors.append(RowError(n, "month", str(exc)))
                index = None
            if index == 0:
                pass  # Kiel's 0: no month, whatever the dummy says
            elif index is None or not index.is_integer() or not 1 <= index <= 1200:
                errors.append(RowError(n, "month", f"{cells['month']!r} is not Kiel's month 1.."))
            else:
                day, day_from = month_start(int(index)), "month"
    if errors or donor is None or measure is None:
        return None, errors
    raw = cells[value_column].strip()
    return (
        _Line(
            n,
            donor,
            activity,
            sub,
            measure,
            values[value_column],
            values["tot_activity_value_EUR"],
            day,
            day_from,
            cells["aid_type_specific"].strip(),
            cells.get("explanation", "").strip(),
            raw if values[value_column] is None else "",
        ),
        [],
    )


def _description(line: _Line, extra: str = "") -> str:
    parts = [line.specific or "Military aid", extra, line.explanation]
    return " · ".join(p for p in parts if p)[:2000]


def _net(lines: list[_Line]) -> tuple[dict[int, float], list[RowError]]:
    """Amounts per row of one activity with its negative rows netted, largest rows first."""
    amounts = {x.number: x.value for x in lines if x.value is not None and x.value > 0}
    owed = -math.fsum(x.value for x in lines if x.value is not None and x.value < 0)
    for number_ in sorted(amounts, key=lambda k: -amounts[k]):
        if owed <= 0:
            break
        take = min(owed, amounts[number_])
        amounts[number_] -= take
        owed -= take
    errors = []
    if owed > 1e-6:
        for x in lines:
            if x.value is not None and x.value < 0:
                errors.append(
                    RowError(
                        x.number,
                        "tot_sub_activity_value_EUR",
                        f"a correction of {x.value:,.0f} exceeds its activity's allocations",
                    )
                )
    return {k: float(v) for k, v in amounts.items() if v is not None}, errors


def read_summary(path: Path) -> dict[str, float] | None:
    """The workbook's "Country Summary (€)" military allocations per donor (EUR), if it has one.

    The sheet is found by name; its donor column is the first, its value column the first
    whose name says military allocations (EUR bn).
    """
    if path.suffix.lower() != ".xlsx":
        return None
    try:
        header, rows = sheet_rows(path, SUMMARY_SHEET)
    except InputError:
        return None
    wanted = [h for h in header if "military" in h.casefold() and "alloc" in h.casefold()]
    if not header or not wanted:
        return None
    found: dict[str, float] = {}
    for row in rows:
        donor = donor_of(row.cells.get(header[0], ""))
        try:
            value = number(row.cells.get(wanted[0], ""))
        except ValueError:
            continue
        if donor is not None and value is not None:
            found[donor.iso3] = found.get(donor.iso3, 0.0) + value * 1e9
    return found or None


def read_kiel(
    path: Path,
    *,
    release: int,
    value: ValueColumn = ValueColumn.SUB,
    undated: Undated = Undated.KEEP,
    eu_shares: EuShares | None = None,
) -> KielRead:
    """The sheet's military rows as contributions, every bad row in `refused`.

    InputError when the sheet cannot be read as the tracker's: a missing or renamed
    required column, or no military rows at all.
    """
    header, rows = sheet_rows(path, SHEET)
    header = [h.strip() for h in header]
    _required(header, value)
    refused: list[RowError] = []
    aside: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    lines: list[_Line] = []
    count = military = 0
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        count += 1
        cells = {k.strip(): (v or "") for k, v in row.cells.items() if k}
        general = cells["aid_type_general"].strip().casefold()
        kinds[cells["aid_type_general"].strip()] += 1
        if general not in GENERAL:
            refused.append(
                RowError(
                    row.number,
                    "aid_type_general",
                    f"{cells['aid_type_general']!r} is not Military, Financial or Humanitarian",
                )
            )
            continue
        if general != "military":
            aside[f"{general} rows (not military)"] += 1
            continue
        military += 1
        line, errors = _line(row, cells, value.column)
        refused.extend(errors)
        if line is None:
            continue
        key = (line.activity, line.sub)
        if key in seen:
            refused.append(
                RowError(
                    row.number,
                    "sub_activity_id",
                    f"{line.activity}/{line.sub} is also on row {seen[key]}",
                )
            )
            continue
        seen[key] = row.number
        if line.day is None and undated is Undated.REFUSE:
            refused.append(
                RowError(
                    row.number,
                    "announcement_date",
                    "no date, and month_exists_dummy says the month is unknown",
                )
            )
            continue
        lines.append(line)
    if not count:
        raise InputError(SHEET, "has no rows")
    if not military:
        shown = ", ".join(f"{k or '(blank)'} ({v})" for k, v in sorted(kinds.items())[:6])
        raise InputError(
            "aid_type_general", f"no military rows among {count} rows (values: {shown})"
        )
    read = KielRead(release, [], refused, count, aside, {}, read_summary(path))
    _assemble(read, lines, eu_shares)
    read.refused.sort(key=lambda e: (e.row, e.column))
    return read


def _assemble(read: KielRead, lines: list[_Line], eu_shares: EuShares | None) -> None:
    source = source_of(read.release)
    by_activity: dict[tuple[str, str, Status], list[_Line]] = defaultdict(list)
    for x in lines:
        by_activity[(x.donor.iso3, x.activity, x.measure)].append(x)
    undated = 0.0
    undated_rows = 0
    for (_, activity, measure), group in by_activity.items():
        first = group[0]
        if measure is Status.COMMITTED:
            values = {x.activity_value for x in group}
            if len(values) > 1:
                read.refused.extend(
                    RowError(x.number, "tot_activity_value_EUR", "differs within its activity")
                    for x in group[1:]
                )
                continue
            amount = first.activity_value
            if amount is not None and amount < 0:
                read.refused.append(
                    RowError(first.number, "tot_activity_value_EUR", "a negative commitment")
                )
                continue
            days = [x.day for x in group if x.day is not None]
            found = [
                (
                    f"{ID_PREFIX}{clean_id(activity)}-C"
                    if activity != "ID"
                    else f"{ID_PREFIX}ID-{clean_id(first.sub)}-C",
                    first,
                    amount,
                    min(days) if days else None,
                )
            ]
            status = Status.COMMITTED
        else:
            netted, errors = _net(group)
            if errors:
                read.refused.extend(errors)
                continue
            found = [
                (
                    f"{ID_PREFIX}{clean_id(activity)}-{clean_id(x.sub)}",
                    x,
                    netted.get(x.number, 0.0 if x.value is not None else None),
                    x.day,
                )
                for x in group
                if x.value is None or x.value >= 0
            ]
            read.notes.extend(
                f"row {x.number}: correction {x.value:,.0f} netted within activity {activity}"
                for x in group
                if x.value is not None and x.value < 0
            )
            status = Status.DELIVERED
        for cid, x, amount, day in found:
            extra = []
            row_status = status
            if amount is None:
                extra.append(f"value unknown in Kiel ({x.unknown_text or 'blank'!s})")
                row_status = Status.COMMITTED  # kept without an amount: not counted
            if day is None:
                extra.append("date unknown in Kiel (dated at the tracker's start)")
                day = TRACKER_START
                if amount:
                    undated += amount
                    undated_rows += 1
            elif x.day_from == "month":
                extra.append("dated by Kiel's month")
            c = Contribution(
                id=cid,
                donor=x.donor.iso3,
                amount=amount,
                currency="EUR",
                date=day,
                category=category_of(x.specific),
                status=row_status,
                visibility=Visibility.PUBLIC,
                channel=Channel.MULTILATERAL
                if x.donor.group is NationGroup.INSTITUTION
                else Channel.BILATERAL,
                source=source,
                description=_description(x, "; ".join(extra)),
            )
            read.donors[x.donor.iso3] = x.donor
            if eu_shares is not None and x.donor.group is NationGroup.INSTITUTION:
                for iso3, part in eu_shares.split(amount or 0.0).items():
                    member = donor_of(iso3)
                    if member is not None:
                        read.donors[iso3] = replace(member, iso3=iso3)
                    read.contributions.append(
                        replace(
                            c,
                            id=f"{cid}-{iso3}",
                            donor=iso3,
                            amount=part if amount is not None else None,
                            channel=Channel.MULTILATERAL,
                            description=_description(
                                x, f"{x.donor.name}, attributed by Kiel's EU-aid shares"
                            ),
                        )
                    )
                continue
            read.contributions.append(c)
    if undated_rows:
        read.notes.append(
            f"{undated_rows} valued rows have no date and no known month "
            f"(EUR {undated / 1e9:,.3f} bn): kept, dated {TRACKER_START.isoformat()} "
            "(the tracker's start), so they count in Kiel's totals and in no pledge year"
        )


def refused_report(path: Path, errors: Iterable[RowError]) -> None:
    """A CSV of every refused row: row, column, reason."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "column", "reason"])
        for e in errors:
            writer.writerow([e.row, e.column, e.reason])
