"""Turn validation failures into one-line messages that name the field and the item's id."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

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


# The largest magnitude any number in a document may have: above every amount in EUR (the
# ledger's 1e15 cap) and far below where solvers' integers overflow.
LARGEST = 1e15
# Documents nest a few levels; deeper nesting is not one of ours.
DEEPEST = 32


def _refuse_constant(name: str) -> float:
    raise InputError("(document)", f"{name} is not a number JSON allows")


def load_document(text: str) -> Any:
    """Parse a JSON document, refusing NaN/Infinity, numbers beyond 1e15 in size and
    nesting deeper than 32 levels, each naming the field (with the item's id) it found."""
    try:
        raw = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InputError("(document)", f"not JSON: {exc}") from None
    except RecursionError:
        raise InputError("(document)", f"nested deeper than {DEEPEST} levels") from None
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(raw, ())]
    while stack:
        node, loc = stack.pop()
        if len(loc) > DEEPEST:
            raise InputError(field_path(loc[:DEEPEST], raw), f"nested deeper than {DEEPEST} levels")
        if isinstance(node, dict):
            stack.extend((v, (*loc, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*loc, i)) for i, v in enumerate(node))
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            if isinstance(node, float) and not math.isfinite(node):
                raise InputError(field_path(loc, raw), "must be a finite number")
            if abs(node) > LARGEST:
                raise InputError(
                    field_path(loc, raw), f"{float(node):.3g} is out of range (at most 1e15)"
                )
    return raw


class Strict(BaseModel):
    """The base of every input document's models: an unknown key is refused, and what is
    read is not changed afterwards."""

    model_config = ConfigDict(extra="forbid", frozen=True)


DocT = TypeVar("DocT", bound=BaseModel)


def parse_document(text: str, model: type[DocT]) -> DocT:
    """`text` read by `load_document` and validated (strictly) as `model`; the first
    problem is raised as a one-line InputError naming its field and the item's id."""
    raw = load_document(text)
    try:
        return model.model_validate_json(text, strict=True)
    except ValidationError as exc:
        raise input_error(exc, raw) from None
