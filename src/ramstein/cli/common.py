"""What every command shares: the console, bad-input exits, the store and the actor."""

from __future__ import annotations

import csv
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from sqlalchemy.orm import Session
from typer.core import TyperGroup

from ramstein.domain.errors import InputError
from ramstein.settings import get_settings
from ramstein.store.db import Store, WriteConflict

console = Console()

# The planners' time limit, the same option for every `plan` command.
TimeLimit = Annotated[
    float | None, typer.Option(min=0, help="seconds; returns the best plan and bound so far")
]


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit with status 2 (bad input)."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(2)


@contextmanager
def input_errors() -> Iterator[None]:
    """Turn an InputError raised in the block into a one-line error and exit status 2."""
    try:
        yield
    except InputError as exc:
        fail(str(exc))


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work on the store at the configured URL, migrated to head."""
    store = Store(get_settings().resolved_database_url())
    try:
        with store.transaction(actor=actor()) as session:
            yield session
    except WriteConflict as conflict:
        # Another process wrote first (an overlapping import): nothing of ours is kept.
        fail(str(conflict))
    finally:
        store.close()


Found = TypeVar("Found")


def print_stored(read: Callable[[Session], Found], show: Callable[[Found], RenderableType]) -> None:
    """Read from the store in a transaction of its own, then print what `show` makes of it."""
    with transaction() as session:
        found = read(session)
    console.print(show(found))


def actor() -> str:
    """Who is acting: RAMSTEIN_ACTOR, or the login name."""
    return get_settings().actor or getpass.getuser()


def read_text(path: Path) -> str:
    """A file's text; a missing or unreadable file is bad input."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"file: cannot read {path}: {exc}")


def split_codes(codes: str) -> tuple[str, ...]:
    """`"usa, DEU"` -> `("USA", "DEU")`."""
    return tuple(c.strip().upper() for c in codes.split(",") if c.strip())


# Failures that only bad input causes: a file nested too deeply, a number too large for
# an integer, text that is not text, a path that is not a readable file.
BAD_INPUT = (RecursionError, OverflowError, UnicodeError, OSError, csv.Error)


class GuardedGroup(TyperGroup):
    """The command group: bad input that slipped past a command's own checks is still
    one line and exit status 2, never a traceback (any transaction has rolled back)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BAD_INPUT as exc:
            kind = _KINDS.get(type(exc), type(exc).__name__)
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            fail(f"input: {kind}: {detail}" if detail else f"input: {kind}")


_KINDS: dict[type[BaseException], str] = {
    RecursionError: "nested too deeply to read",
    OverflowError: "a number too large",
    UnicodeDecodeError: "not UTF-8 text",
    IsADirectoryError: "a directory, not a file",
    FileNotFoundError: "no such file",
    PermissionError: "not readable",
    csv.Error: "malformed CSV",
}


class PlanByDefault(TyperGroup):
    """`ramstein GROUP [FILE] ...` runs `ramstein GROUP plan [FILE] ...`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["plan", *args]
        return super().parse_args(ctx, args)


def parse_date(text: str | None, field: str) -> date | None:
    """An ISO date, or None; anything else is bad input naming `field`."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(field, f"{text!r} is not a date (YYYY-MM-DD)") from None


class SolveDisplay:
    """A spinner with the best objective and the proven bound while a solver works."""

    def __init__(self, live: Live, label: str) -> None:
        self.live = live
        self.label = label

    def __call__(self, objective: float, bound: float) -> None:
        self.live.update(
            Spinner("dots", text=f"{self.label}: best {objective:,.0f}, bound {bound:,.0f}")
        )
