"""What an id may hold: printable characters only, no bidi controls, invisibles or pictographs."""

from __future__ import annotations

import unicodedata

# Unicode categories refused in ids: controls, format characters (the bidi overrides and
# isolates, zero-width joiners and spaces), separators, private use, surrogates, unassigned,
# and "other symbols" (emoji and pictographs). An id is read by people and compared by code.
REFUSED = {"Cc", "Cf", "Co", "Cs", "Cn", "Zs", "Zl", "Zp", "So", "Sk"}


# The ASCII characters an id may hold: checked as a set first, since nearly every id is
# ASCII (a million-row import asks for each of them).
_ASCII_ALLOWED = frozenset(
    ch for ch in map(chr, range(128)) if unicodedata.category(ch) not in REFUSED and ch != "/"
)


def id_problem(value: str) -> str | None:
    """Why `value` cannot be an id, or None if it can."""
    if _ASCII_ALLOWED.issuperset(value):
        return None
    for ch in value:
        if unicodedata.category(ch) in REFUSED or ch == "/":
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            return f"may not contain {name} (U+{ord(ch):04X}); use printable characters"
    return None


def printable_id(value: str) -> str:
    """`value` if it is a valid id; raises ValueError (a validation error) if not."""
    problem = id_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value
