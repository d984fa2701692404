"""Form logic: what the ledger entry form starts with, its choices, and reading typed input."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from ramstein.domain.access import Role, Viewer
from ramstein.domain.contribution_schema import FIELDS
from ramstein.domain.contributions import Category, Channel, Status, Visibility
from ramstein.domain.errors import InputError
from ramstein.services.ledger_view import Filters
from ramstein.web import data

# The record's fields a form fills (its donor is the signed-in nation's, or typed apart).
NEW_FIELDS = tuple(n for n in FIELDS if n not in ("donor", "recipient", "funders", "parent"))


def new_form(viewer: Viewer, values: dict[str, str] | None = None) -> dict[str, str]:
    """The entry form's values: the defaults, overlaid with what was typed."""
    blank = {
        "id": "",
        "donor": viewer.nation or "",
        "amount": "",
        "currency": "EUR",
        "date": date.today().isoformat(),
        "category": "in_kind",
        "status": "delivered",
        "visibility": "nation",
        "channel": "bilateral",
        "description": "",
        "source": "",
    }
    return {**blank, **(values or {})}


def may_add(viewer: Viewer) -> bool:
    """Whether the viewer may record contributions at all."""
    return viewer.role in (Role.COORDINATOR, Role.NATION)


def choices() -> dict[str, list[str]]:
    """The fixed choices of the ledger's filters and entry form."""
    return {
        "category": [c.value for c in Category],
        "status": [s.value for s in Status],
        "channel": [c.value for c in Channel],
        "visibility": [v.value for v in Visibility],
    }


def field_of(loc: str) -> str:
    """The form field an error path names (`contributions[x].donor` -> `donor`)."""
    tail = loc.rsplit(".", 1)[-1] if "." in loc else loc
    return tail if tail in (*NEW_FIELDS, "donor") else "id"


def parse_baseline(raw: str) -> float | None:
    """The baseline box takes EUR bn; empty means the scenario's own."""
    if not raw.strip():
        return None
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        raise InputError("baseline", f"is a number of EUR bn, not {raw!r}") from None
    if not 0 <= value <= 1e6:  # also refuses NaN
        raise InputError("baseline", "must lie between 0 and 1,000,000 EUR bn")
    return value * 1e9


@dataclass(frozen=True)
class LedgerQuery:
    """The ledger's filters as the query string gives them: the page and both downloads
    take the same five."""

    donor: str = ""
    category: str = ""
    status: str = ""
    channel: str = ""
    period: str = ""

    def filters(self) -> Filters:
        """The filters they select; a bad period is bad input."""
        return ledger_filters(self.donor, self.category, self.status, self.channel, self.period)

    def form(self) -> dict[str, str]:
        """The filter form's values as typed (the donor's code in capitals)."""
        return asdict(self) | {"donor": self.donor.upper()}


FilterText = Annotated[str, Query(max_length=200)]


def ledger_query(
    donor: FilterText = "",
    category: FilterText = "",
    status: FilterText = "",
    channel: FilterText = "",
    period: FilterText = "",
) -> LedgerQuery:
    """The ledger's filters from the query string (a route's dependency)."""
    return LedgerQuery(donor, category, status, channel, period)


LedgerQueryDep = Annotated[LedgerQuery, Depends(ledger_query)]


def ledger_filters(donor: str, category: str, status: str, channel: str, period: str) -> Filters:
    """The ledger's filters from the query string; a bad period is bad input."""
    year = None
    if period.strip():
        if not period.strip().isdigit():
            raise InputError("period", f"is a year, not {period!r}")
        year = int(period)
    return data.filters_of(donor.upper() or None, category, status, channel, year)
