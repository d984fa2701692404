"""Turn validation failures into one-line messages that name the field and the item's id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from ramstein.domain.errors import InputError

ID_KEYS = ("id", "iso3")

FRIENDLY = {
    "extra_forbidden": "unknown key",
    "missing": "missing",
}


def field_path(loc: Sequence[int | str], raw: Any) -> str:
    """A dotted path in which list positions are replaced by the item's id where it has one."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            label = next(
                (str(item[k]) for k in ID_KEYS if isinstance(item, dict) and k in item),
                str(step),
            )
            parts.append(f"[{label}]")
            node = item
        else:
            parts.append(f".{step}" if parts else str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts) or "(document)"


def input_error(exc: ValidationError, raw: Any) -> InputError:
    """The first validation error as an InputError naming its field and id."""
    first = exc.errors()[0]
    message = FRIENDLY.get(first["type"], first["msg"])
    if first["type"] == "extra_forbidden":
        message = f"unknown key {first['loc'][-1]!r}"
    return InputError(field_path(first["loc"], raw), message)
