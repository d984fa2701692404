"""The dashboard's request models: what a posted form must hold to be written."""

from __future__ import annotations

from pydantic import ConfigDict

from ramstein.domain.contribution_schema import ContributionBase


class ContributionForm(ContributionBase):
    """The new-contribution form: the record's fields, checked as the API checks them.

    The form shows `forms.NEW_FIELDS` and the donor; the rest keep the record's defaults
    (to Ukraine, no co-funders, no parent).
    """

    model_config = ConfigDict(extra="forbid")
