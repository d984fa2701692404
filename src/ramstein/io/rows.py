"""What every row import shares: the header check, blank cells, and errors by row and column."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from ramstein.domain.errors import InputError, RowError
from ramstein.domain.sheets import columns


def check_header(header: list[str], kind: str, required: Iterable[str]) -> None:
    """The header names every required column of `kind` and no unknown one."""
    known = {c.name for c in columns(kind)}
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError("header", f"missing column(s) {', '.join(missing)}")
    unknown = [h for h in header if h and h not in known]
    if unknown:
        raise InputError("header", f"unknown column(s) {', '.join(unknown)}")


def given(cells: dict[str, str]) -> dict[str, Any]:
    """The cells that hold something: an empty cell means 'not given' (the default applies)."""
    return {k: v for k, v in cells.items() if v != ""}


def pydantic_errors(row: int, exc: ValidationError) -> list[RowError]:
    """A row's validation errors, each under the column it names."""
    return [
        RowError(row, str(e["loc"][0]) if e["loc"] else "(row)", e["msg"]) for e in exc.errors()
    ]
