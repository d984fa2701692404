"""A domain record read from its stored row: one rule for every table whose columns are
named as the record's fields (most are), instead of a constructor call per table that lists
every field again."""

from __future__ import annotations

import dataclasses
import enum
import typing
from typing import Any, TypeVar

T = TypeVar("T")


_ENUMS: dict[type[Any], dict[str, type[enum.Enum]]] = {}


def _enum_fields(cls: type[Any]) -> dict[str, type[enum.Enum]]:
    """The record's fields typed as (or optionally as) an enum, with their enum."""
    if cls in _ENUMS:
        return _ENUMS[cls]
    found: dict[str, type[enum.Enum]] = {}
    for name, hint in typing.get_type_hints(cls).items():
        options = typing.get_args(hint) or (hint,)
        for option in options:
            if isinstance(option, type) and issubclass(option, enum.Enum):
                found[name] = option
    _ENUMS[cls] = found
    return found


def from_row(cls: type[T], row: Any, **given: Any) -> T:
    """The dataclass `cls` with each field taken from `row`'s attribute of the same name
    (text made the field's enum where the field is one), except the fields `given`
    (nested records, renamed or converted columns)."""
    enums = _enum_fields(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not f.init or f.name in given:
            continue
        value = getattr(row, f.name)
        if value is not None and f.name in enums:
            value = enums[f.name](value)
        values[f.name] = value
    return cls(**values, **given)
