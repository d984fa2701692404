"""The annotated field types every document shares, and the one rule for ids.

An id is 1 to 200 characters, none of them whitespace or `/`: it is one URL path segment
(`/ledger/{id}`, `/api/v1/contributions/{id}`) and one spreadsheet cell, so that every
record written anywhere can be read back by every reader. Ids Ramstein derives from other
ids join their parts with `:` (`join_id`), which the rule allows.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from ramstein.domain.errors import InputError
from ramstein.domain.text import id_problem, printable_id

ID_MAX = 200
ID_PATTERN = r"^[^\s/]+$"
ID_SEPARATOR = ":"
_ID = re.compile(ID_PATTERN)

ISO3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""A nation: an ISO 3166-1 alpha-3 code."""
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""A currency: an ISO 4217 code."""
Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=ID_MAX, pattern=ID_PATTERN),
    AfterValidator(printable_id),
]
"""A record's id, by the rule above, in printable characters only (`domain.text`)."""
Amount = Annotated[float, Field(ge=0, le=1e15)]
"""A sum of money in the currency beside it."""
Share = Annotated[float, Field(gt=0, le=1)]
"""A part of a whole, in (0, 1]."""
Day = Annotated[date, Field(description="a calendar day, YYYY-MM-DD")]
"""A calendar day."""
Text = Annotated[str, StringConstraints(max_length=2000)]
"""Free text: a source, a description, a note."""


def is_id(value: str) -> bool:
    """Whether `value` obeys the id rule."""
    return 0 < len(value) <= ID_MAX and _ID.match(value) is not None and id_problem(value) is None


def check_id(value: str, field: str) -> None:
    """Raise InputError naming `field` unless `value` obeys the id rule."""
    if not (0 < len(value) <= ID_MAX and _ID.match(value) is not None):
        raise InputError(field, f"{value!r} is not 1-{ID_MAX} characters without spaces or '/'")
    problem = id_problem(value)
    if problem is not None:
        raise InputError(field, f"{value!r} {problem}")


def join_id(*parts: str) -> str:
    """An id made of other ids (a contract, a lot, a nation): parts joined by `:`.

    Raises InputError when the parts cannot make one (too long, or a part that breaks the
    rule), so that no producer writes an id a reader refuses.
    """
    joined = ID_SEPARATOR.join(parts)
    check_id(joined, "id")
    return joined
