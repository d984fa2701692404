"""The contribution record written once: every document of it derives from one base model,
and its spreadsheet row reads back to the same contribution."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ramstein.api.schemas import ContributionCreate, ContributionPublic
from ramstein.domain.contribution_schema import (
    FIELDS,
    STORED,
    ContributionBase,
    ContributionRowDoc,
)
from ramstein.domain.contributions import (
    Category,
    Channel,
    Contribution,
    Funder,
    Status,
    Visibility,
)
from ramstein.domain.errors import InputError
from ramstein.domain.sheets import columns
from ramstein.domain.types import is_id, join_id
from ramstein.io.export import row_of
from ramstein.io.scenario_json import ContributionDoc
from ramstein.store.bulk import CONTRIBUTION_COLUMNS
from ramstein.store.models import ContributionRow
from ramstein.store.repositories import row_values
from ramstein.web.requests import ContributionForm

DOCUMENTS = (
    ContributionCreate,
    ContributionPublic,
    ContributionForm,
    ContributionDoc,
    ContributionRowDoc,
)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_document_derives_from_the_base_with_its_fields_in_order(
    document: type[ContributionBase],
) -> None:
    assert issubclass(document, ContributionBase)
    assert tuple(document.model_fields)[: len(FIELDS)] == FIELDS


def test_the_template_the_exports_and_the_store_use_the_record_s_fields() -> None:
    assert tuple(c.name for c in columns("contributions")) == FIELDS
    assert set(STORED) <= set(ContributionRow.__table__.c.keys())
    assert CONTRIBUTION_COLUMNS[4:] == list(STORED)
    c = Contribution("X-1", "DEU", 1.5, "EUR", date(2025, 1, 2), Category.IN_KIND, Status.DELIVERED)
    assert tuple(row_of(c)) == FIELDS
    assert tuple(row_values(c)) == STORED


def test_the_id_rule() -> None:
    assert is_id("NSPA-IRIST-2025:L1:NLD") and is_id("KIEL-0123abcd") and is_id("x" * 200)
    for bad in ("", "a b", "a/b", "x" * 201, "tab\there", "new\nline"):
        assert not is_id(bad), bad
        with pytest.raises(ValidationError):
            ContributionCreate.model_validate(
                {"id": bad, "donor": "DEU", "date": "2025-01-01", "category": "in_kind"}
            )
    assert join_id("NSPA-IRIST-2025", "L1", "NLD") == "NSPA-IRIST-2025:L1:NLD"
    with pytest.raises(InputError, match="'C/1:L1:NLD' is not 1-200 characters"):
        join_id("C/1", "L1", "NLD")
    with pytest.raises(InputError):
        join_id("C" * 190, "L1", "NLD0000")


ids = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9:._-]{0,40}\Z")
# Cells are read stripped, so text starts and ends with something visible.
texts = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), max_size=30
) | st.just('a, "quoted" b')
nations = st.sampled_from(["DEU", "POL", "USA", "NLD"])
funders = st.sampled_from([(), (Funder("DEU", 1.0),), (Funder("DEU", 0.6), Funder("NLD", 0.4))])
contributions = st.builds(
    Contribution,
    id=ids,
    donor=nations,
    amount=st.none() | st.floats(0, 1e15, allow_nan=False),
    currency=st.sampled_from(["EUR", "USD", "GBP"]),
    date=st.dates(date(1990, 1, 1), date(2099, 12, 31)),
    category=st.sampled_from(Category),
    status=st.sampled_from(Status),
    visibility=st.sampled_from(Visibility),
    channel=st.sampled_from(Channel),
    recipient=st.just("UKR"),
    source=texts,
    description=texts,
    funders=funders,
    parent=st.none() | ids,
)


@settings(max_examples=200, deadline=None)
@given(contributions)
def test_a_row_reads_back_to_the_same_contribution(c: Contribution) -> None:
    assert ContributionRowDoc.model_validate(row_of(c)).domain() == c
    assert ContributionBase.model_validate(ContributionBase.values_of(c)).domain() == c


def test_the_dashboard_shows_and_asks_for_fields_of_the_record() -> None:
    from ramstein.web.data import LEDGER_COLUMNS
    from ramstein.web.forms import NEW_FIELDS

    assert set(LEDGER_COLUMNS) <= set(FIELDS) and set(NEW_FIELDS) <= set(FIELDS)
    assert "id" in NEW_FIELDS and "donor" not in NEW_FIELDS


def test_a_funders_cell_that_is_not_iso3_share_is_refused_by_name() -> None:
    row = {"id": "F1", "donor": "DEU", "date": "2025-01-01", "category": "in_kind"}
    with pytest.raises(ValidationError) as caught:
        ContributionRowDoc.model_validate({**row, "status": "delivered", "funders": "DEU:half"})
    (error,) = caught.value.errors()
    assert error["loc"] == ("funders",) and error["msg"] == "'DEU:half' is not ISO3:share"
    with pytest.raises(ValidationError) as caught:
        ContributionRowDoc.model_validate(row)  # a row states its status
    assert [e["loc"] for e in caught.value.errors()] == [("status",)]
