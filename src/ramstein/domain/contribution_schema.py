"""The contribution record's schema, written once: every document of a contribution derives
from `ContributionBase`.

The base holds the fields in the import template's column order, their types (the shared
annotated types of `domain.types`) and the defaults of a new record. The documents that
carry a contribution only add what is theirs: the API's create body and the dashboard's
form (unknown keys refused), the public shape (with its version), the scenario document
(unknown keys refused, currency and status stated), and the spreadsheet row (cells of text,
funders written `ISO3:share ...`, the status stated), which is also the one row shape of
every CSV, XLSX and Parquet export. The store's columns are the same fields (`STORED`).
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ramstein.domain.contributions import (
    Category,
    Channel,
    Contribution,
    Funder,
    Status,
    Visibility,
)
from ramstein.domain.types import ISO3, Amount, Currency, Day, Id, Share, Text


class FunderFields(BaseModel):
    """A nation paying `share` of a contribution."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    iso3: ISO3
    share: Share


class ContributionBase(BaseModel):
    """A contribution's fields, as every document of it holds them.

    `funders` name who paid when that is not (only) the donor; `parent` is the flow whose
    money this one passes on (see `domain.contributions.Contribution`).
    """

    id: Id
    donor: ISO3
    amount: Amount | None = None
    currency: Currency = "EUR"
    date: Day
    category: Category
    status: Status = Status.ANNOUNCED
    visibility: Visibility = Visibility.PUBLIC
    channel: Channel = Channel.BILATERAL
    recipient: ISO3 = "UKR"
    funders: list[FunderFields] = []
    parent: Id | None = None
    source: Text = ""
    description: Text = ""

    def domain(self) -> Contribution:
        """The domain contribution this document describes."""
        values = self.__dict__  # the fields' values, without an attribute lookup each
        return Contribution(
            **{name: values[name] for name in PLAIN_FIELDS},
            funders=tuple(Funder(f.iso3, f.share) for f in self.funders),
        )

    @classmethod
    def values_of(cls, c: Contribution) -> dict[str, Any]:
        """A domain contribution's values by field name (funders as their documents)."""
        values: dict[str, Any] = {name: getattr(c, name) for name in FIELDS}
        values["funders"] = [FunderFields(iso3=f.iso3, share=f.share) for f in c.funders]
        return values


FIELDS: tuple[str, ...] = tuple(ContributionBase.model_fields)
"""The record's field names in their one order: the template's, every export's."""
PLAIN_FIELDS: tuple[str, ...] = tuple(n for n in FIELDS if n != "funders")
"""The fields a domain contribution holds as they are (its funders become `Funder`s)."""

ENUMS: dict[str, type[Enum]] = {
    name: field.annotation
    for name, field in ContributionBase.model_fields.items()
    if isinstance(field.annotation, type) and issubclass(field.annotation, Enum)
}
"""The fields with fixed choices, and their enums."""

STORED: tuple[str, ...] = tuple(n for n in FIELDS if n not in ("id", "status"))
"""The fields a stored row holds as plain columns (its id is `external_id`, and its status
moves only through the lifecycle)."""


def funders_text(funders: tuple[Funder, ...]) -> str:
    """Funders as one spreadsheet cell: `ISO3:share` pairs separated by spaces."""
    return " ".join(f"{f.iso3}:{f.share!r}" for f in funders)


def _funders_of_text(text: str) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    for token in text.replace(",", " ").split():
        iso3, _, share = token.partition(":")
        try:
            parts.append({"iso3": iso3.strip().upper(), "share": float(share)})
        except ValueError:
            raise PydanticCustomError(
                "funders", "{token} is not ISO3:share", {"token": repr(token)}
            ) from None
    return parts


def _cell(value: Any) -> str:
    """One value as its cell: blank for none, floats exact (repr), enums and days as text."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return funders_text(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class ContributionRowDoc(ContributionBase):
    """A contribution as a spreadsheet row: every cell text, blanks meaning 'not given'.

    The one row shape of the import template and of every CSV, XLSX and Parquet export
    (`cells`), in the columns `FIELDS`.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    status: Status  # a row says where in its lifecycle it is
    # The same default, made per row: a plain `[]` default is deep-copied for each row.
    funders: list[FunderFields] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_not_given(cls, value: Any) -> Any:
        """An empty cell means 'not given': the field's default applies (or it is missing)."""
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if v != ""}
        return value

    @field_validator("funders", mode="before")
    @classmethod
    def _funders_cell(cls, value: Any) -> Any:
        return _funders_of_text(value) if isinstance(value, str) else value

    @classmethod
    def cells(cls, c: Contribution) -> dict[str, str]:
        """A contribution's cells, which `model_validate` reads back to the same values."""
        return {name: _cell(getattr(c, name)) for name in FIELDS}


REQUIRED_COLUMNS = tuple(n for n, f in ContributionRowDoc.model_fields.items() if f.is_required())
"""The columns every contributions file must have: the fields without a default."""
