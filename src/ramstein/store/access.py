"""The access rule as SQL: the viewer's `Scope` (domain.access) as a WHERE clause."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import QueryableAttribute

from ramstein.domain.access import Viewer, scope


def visible_clause(
    viewer: Viewer,
    visibility: ColumnElement[Any] | QueryableAttribute[Any],
    owner: ColumnElement[Any] | QueryableAttribute[Any],
) -> ColumnElement[bool]:
    """Rows whose `visibility` and `owner` columns the viewer may see, as `domain.access.visible`
    decides for one row: the same scope, so the two never disagree."""
    s = scope(viewer)
    if s.everything:
        return true()
    rule: ColumnElement[bool] = (
        visibility.in_(sorted(v.value for v in s.visibilities)) if s.visibilities else false()
    )
    if s.own is not None:
        rule = or_(rule, owner == s.own)
    return rule
