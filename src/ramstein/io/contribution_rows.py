"""Contributions from spreadsheet rows, every bad row reported: `parse_contributions`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import ValidationError

from ramstein.domain.contribution_schema import REQUIRED_COLUMNS, ContributionRowDoc
from ramstein.domain.contributions import Contribution, check_visibility
from ramstein.domain.errors import InputError, RowError, reject_any
from ramstein.domain.lifecycle import check_amount
from ramstein.domain.sheets import Row
from ramstein.io.rows import check_header, pydantic_errors
from ramstein.shares.credit import check_funders


def _checked(
    row: Row, nations: set[str], first_row: dict[str, int], errors: list[RowError]
) -> Contribution | None:
    """The row's contribution, or None with its problems appended to `errors`."""
    try:
        doc = ContributionRowDoc.model_validate(row.cells)
    except ValidationError as exc:
        errors.extend(pydantic_errors(row.number, exc))
        donor = row.cells.get("donor", "").strip()
        if donor and donor not in nations and all(e["loc"] != ("donor",) for e in exc.errors()):
            errors.append(RowError(row.number, "donor", f"unknown nation {donor!r}"))
        return None
    bad = len(errors)
    if doc.id in first_row:
        errors.append(RowError(row.number, "id", f"{doc.id!r} is also on row {first_row[doc.id]}"))
    first_row.setdefault(doc.id, row.number)
    if doc.donor not in nations:
        errors.append(RowError(row.number, "donor", f"unknown nation {doc.donor!r}"))
    c = doc.domain()
    try:
        check_amount(c.status, c.amount, field="")
    except InputError as exc:
        errors.append(RowError(row.number, "amount", exc.message))
    try:
        check_funders(c, nations)
    except InputError as exc:
        errors.append(RowError(row.number, "funders", exc.message))
    try:
        check_visibility(c.visibility, field="")
    except InputError as exc:
        errors.append(RowError(row.number, "visibility", exc.message))
    return c if len(errors) == bad else None


def parse_contributions(
    header: list[str],
    rows: Iterable[Row],
    nations: set[str],
    stored_ids: Callable[[set[str]], set[str]],
    tick: Callable[[int], None] | None = None,
) -> list[Contribution]:
    """Contributions from rows; raises ImportRejected listing every bad row.

    `stored_ids` says which of some ids the store holds: a parent is another row of the
    file or a stored contribution.
    """
    check_header(header, "contributions", REQUIRED_COLUMNS)
    found: list[Contribution] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    rows_of: dict[str, int] = {}
    for row in rows:
        if tick is not None:
            tick(1)
        c = _checked(row, nations, first_row, errors)
        if c is not None:
            found.append(c)
            rows_of[c.id] = row.number
    parents = {c.parent for c in found if c.parent is not None}
    known = set(first_row) | stored_ids(parents - set(first_row))
    for c in found:
        if c.parent is not None and c.parent not in known:
            errors.append(RowError(rows_of[c.id], "parent", f"unknown contribution {c.parent!r}"))
        if c.parent == c.id:
            errors.append(RowError(rows_of[c.id], "parent", "is the row itself"))
    reject_any(errors)
    return found
