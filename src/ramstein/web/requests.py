"""The dashboard's request models: what a posted form must hold to be written."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ramstein.domain.contributions import Category, Channel, Contribution, Status, Visibility
from ramstein.domain.text import printable_id

ISO3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[^\s/]+$"),
    AfterValidator(printable_id),
]
Text = Annotated[str, StringConstraints(max_length=2000)]


class ContributionForm(BaseModel):
    """The new-contribution form: the fields it shows, checked as the API checks them."""

    model_config = ConfigDict(extra="forbid")

    id: Id
    donor: ISO3
    amount: Annotated[float, Field(ge=0, le=1e15)] | None = None
    currency: ISO3 = "EUR"
    date: dt.date
    category: Category
    channel: Channel = Channel.BILATERAL
    status: Status = Status.ANNOUNCED
    visibility: Visibility = Visibility.PUBLIC
    source: Text = ""
    description: Text = ""

    def domain(self) -> Contribution:
        """The domain contribution the form describes (to Ukraine, no co-funders, no parent)."""
        return Contribution(**self.model_dump())
