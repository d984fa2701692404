"""The dashboard's request models: what a posted form must hold to be written."""

from __future__ import annotations

from dataclasses import replace

from pydantic import ConfigDict

from ramstein.domain.contribution_schema import ContributionBase
from ramstein.domain.contributions import Contribution
from ramstein.domain.types import Id


class ContributionForm(ContributionBase):
    """The new-contribution form: the record's fields, checked as the API checks them.

    The form shows `forms.NEW_FIELDS` and the donor; the rest keep the record's defaults
    (to Ukraine, no co-funders, no parent).
    """

    model_config = ConfigDict(extra="forbid")

    id: Id | None = None  # type: ignore[assignment]  # left empty: assigned on the server

    def domain(self, assigned: str | None = None) -> Contribution:
        """The domain contribution the form describes, with id `assigned` where the form
        left it empty (under the donor's prefix)."""
        cid = self.id or assigned
        if cid is None:
            raise ValueError("a contribution needs an id")
        return replace(super().domain(), id=cid)
