"""The disclosure audit on small tables checked by hand (EUR bn; unit EUR 0.1 bn)."""

from __future__ import annotations

from ramstein.plan.disclosure import Atom, Basis, audit, cell_of, round_to

BN = 1e9
UNIT = 0.1 * BN
CELLS = ("total", "category:equipment", "category:training", "channel:bilateral")


def table(
    hidden: dict[Atom, float], public: dict[Atom, float], lines: tuple[str, ...] = ()
) -> Basis:
    """A release of CELLS (and the given nations' lines) over these atoms, rounded to 0.1 bn."""
    cells = [*CELLS, *(f"nation:{n}" for n in lines)]
    pub = {c: sum(v for a, v in public.items() if cell_of(c, a)) for c in cells}
    published = {
        c: round_to(pub[c] + sum(v for a, v in hidden.items() if cell_of(c, a)), UNIT)
        for c in cells
    }
    return Basis(UNIT, published, pub, hidden)


def eq(nation: str) -> Atom:
    return (nation, "equipment", "bilateral")


def test_rounding_is_to_the_nearest_unit() -> None:
    assert round_to(2.65 * BN, UNIT) == 2.7 * BN
    assert round_to(2.64 * BN, UNIT) == 2.6 * BN
    assert round_to(0.04 * BN, UNIT) == 0.0


def test_three_similar_hidden_amounts_may_be_published() -> None:
    # Total 2.7 bn: for any one nation, the others may hold all of it or none: [0, 2.75].
    basis = table({eq("DEU"): 1.0 * BN, eq("FRA"): 0.9 * BN, eq("POL"): 0.8 * BN}, {})
    assert audit([basis], ["DEU", "FRA", "POL", "USA"]) == []


def test_a_cell_from_two_nations_is_refused_and_named() -> None:
    basis = table({eq("DEU"): 1.0 * BN, eq("FRA"): 0.9 * BN}, {})
    found = audit([basis], ["DEU", "FRA", "POL"])
    assert "total: its confidential part comes from 2 nation(s), fewer than 3" in found
    assert any(p.startswith("category:equipment:") for p in found)


def test_a_cell_one_nation_dominates_is_refused() -> None:
    basis = table({eq("DEU"): 0.9 * BN, eq("FRA"): 0.05 * BN, eq("POL"): 0.05 * BN}, {})
    found = audit([basis], ["DEU", "FRA", "POL"])
    assert "total: one nation makes up 90 % of its confidential part, over 80 %" in found


def test_published_lines_of_the_others_pin_the_one_nation_with_hidden_rows() -> None:
    # Only DEU hides (1.0 bn); USA, FRA, POL publish lines of public rows (0.3 bn each).
    public = {eq(n): 0.3 * BN for n in ("USA", "FRA", "POL")}
    basis = table({eq("DEU"): 1.0 * BN}, public, lines=("USA", "FRA", "POL"))
    found = audit([basis], ["DEU", "USA", "FRA", "POL"])
    # Total 1.9 bn, 0.9 of it public: hidden in [0.95, 1.05]; the three lines leave the
    # others at most 0.05 bn each, so DEU lies in [0.80, 1.05]: within ±25 % of 1.0.
    pinned = [p for p in found if "pin DEU's confidential total" in p]
    assert pinned == [
        "category:equipment, channel:bilateral, total: together with the public rows they "
        "pin DEU's confidential total to EUR 0.80-1.05 bn, within ±25 % of it"
    ]


def test_a_second_release_that_isolates_one_nations_change_is_refused() -> None:
    nations = ["DEU", "FRA", "POL"]
    first = table({eq("DEU"): 1.0 * BN, eq("FRA"): 1.0 * BN, eq("POL"): 1.0 * BN}, {})
    assert audit([first], nations) == []
    # Only DEU adds 0.5 bn: 3.5 - 3.0 bn, each total ±0.05, pins the change to [0.4, 0.6].
    second = table({eq("DEU"): 1.5 * BN, eq("FRA"): 1.0 * BN, eq("POL"): 1.0 * BN}, {})
    assert audit([second], nations) == []  # alone, it pins nothing
    found = audit([first, second], nations)
    assert found == [
        "category:equipment, channel:bilateral, total: against release 1 of the period they "
        "pin the change in DEU's confidential total to EUR 0.40-0.60 bn, within ±25 %"
    ]
    # If France changed too, nobody's change is pinned.
    third = table({eq("DEU"): 1.5 * BN, eq("FRA"): 1.4 * BN, eq("POL"): 1.0 * BN}, {})
    assert audit([first, third], nations) == []
