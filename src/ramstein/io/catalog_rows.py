"""Offers and requirements from spreadsheet rows: each good row's value, and every bad row.

Only the rows themselves are checked here; whether their items and donors exist is the
importer's question (`ledger.catalog_import`), which reports both kinds together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ramstein.domain.contributions import Visibility
from ramstein.domain.errors import RowError
from ramstein.domain.items import Offer, Requirement
from ramstein.domain.sheets import Row
from ramstein.domain.types import ISO3, Day, Id, Text
from ramstein.io.rows import check_header, given, pydantic_errors

Units = Annotated[int, Field(gt=0, le=1_000_000)]
T = TypeVar("T")
Numbered = list[tuple[int, T]]


class _Lax(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


class OfferRowDoc(_Lax):
    id: Id
    donor: ISO3
    item: Id
    quantity: Units
    available_from: Day | None = None
    visibility: Visibility = Visibility.PUBLIC
    note: Text = ""
    coalition: Id | None = None

    def domain(self) -> Offer:
        # The row's columns are the record's fields, by name.
        return Offer(**self.model_dump())


class RequirementRowDoc(_Lax):
    id: Id
    item: Id
    quantity: Units
    priority: Annotated[float, Field(gt=0, le=1e9)]
    needed_by: Day | None = None
    substitutes: str = ""
    note: Text = ""
    coalition: Id | None = None

    def domain(self) -> Requirement:
        # The row's columns are the record's fields, by name; substitutes are space-separated.
        fields = self.model_dump(exclude={"substitutes"})
        return Requirement(**fields, substitutes=tuple(self.substitutes.split()))


def _rows(
    kind: str, header: list[str], rows: Iterable[Row], model: type[Any], required: tuple[str, ...]
) -> tuple[Numbered[Any], list[RowError]]:
    check_header(header, kind, required)
    good: Numbered[Any] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        try:
            doc = model.model_validate(given(row.cells))
        except ValidationError as exc:
            errors.extend(pydantic_errors(row.number, exc))
            continue
        if doc.id in seen:
            errors.append(RowError(row.number, "id", f"{doc.id!r} is also on row {seen[doc.id]}"))
            continue
        seen[doc.id] = row.number
        good.append((row.number, doc.domain()))
    return good, errors


def parse_offers(header: list[str], rows: Iterable[Row]) -> tuple[Numbered[Offer], list[RowError]]:
    """The good rows' offers with their row numbers, and every bad row's problems."""
    return _rows("offers", header, rows, OfferRowDoc, ("id", "donor", "item", "quantity"))


def parse_requirements(
    header: list[str], rows: Iterable[Row]
) -> tuple[Numbered[Requirement], list[RowError]]:
    """The good rows' requirements with their row numbers, and every bad row's problems."""
    return _rows(
        "requirements", header, rows, RequirementRowDoc, ("id", "item", "quantity", "priority")
    )
