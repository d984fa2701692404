"""The access rule as SQL: the viewer's `Scope` (domain.access) as a WHERE clause."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlalchemy.orm import QueryableAttribute

from ramstein.domain.access import Viewer, scope
from ramstein.domain.contributions import Visibility


def visible_clause(
    viewer: Viewer,
    visibility: ColumnElement[Any] | QueryableAttribute[Any],
    owner: ColumnElement[Any] | QueryableAttribute[Any],
    coalition: ColumnElement[Any] | QueryableAttribute[Any] | None = None,
) -> ColumnElement[bool]:
    """Rows whose `visibility`, `owner` (and `coalition`, for rows that name one) columns the
    viewer may see, as `domain.access.visible` decides for one row: the same scope, so the
    two never disagree. A table without a coalition column passes none: its `coalition`
    rows are then seen as `nation` rows."""
    s = scope(viewer)
    if s.everything:
        return true()
    rule: ColumnElement[bool] = (
        visibility.in_(sorted(v.value for v in s.visibilities)) if s.visibilities else false()
    )
    if s.own is not None:
        rule = or_(rule, owner == s.own)
    if coalition is not None and s.coalitions:
        shared = and_(visibility == Visibility.COALITION.value, coalition.in_(sorted(s.coalitions)))
        rule = or_(rule, shared)
    return rule
