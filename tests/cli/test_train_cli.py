"""`ramstein train` and `ramstein readiness`, down to the Washington dataset end to end."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ramstein.store.db import Store
from ramstein.store.plans import list_plans
from tests.conftest import Cli, Washington, assert_bad_input, set_path

EXAMPLE = Path(__file__).parent.parent / "plan" / "training_example.json"


@pytest.fixture
def example() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return doc


def test_train_file_json_prints_the_plan(sqlite_cli: Cli) -> None:
    result = sqlite_cli("train", str(EXAMPLE), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["score"], doc["bound"], doc["optimal"]) == (325, 325, True)


BAD: list[tuple[str, Any, str]] = [
    (
        "end before start",
        lambda d: set_path(d, ["sessions", 0, "end"], "2025-01-01"),
        "error: sessions[S1].end: 2025-01-01 is before start 2025-01-06",
    ),
    (
        "unknown course",
        lambda d: set_path(d, ["cohorts", 0, "course"], "F16_PILOT"),
        "error: cohorts[C1].course: unknown course 'F16_PILOT'",
    ),
    (
        "zero capacity",
        lambda d: set_path(d, ["sessions", 0, "capacity"], 0),
        "error: sessions[S1].capacity: must be a positive integer",
    ),
    (
        "unknown key",
        lambda d: set_path(d, ["cohorts", 0, "sise"], 5),
        "error: cohorts[C1].sise: unknown key 'sise'",
    ),
    (
        "bad date",
        lambda d: set_path(d, ["cohorts", 0, "needed_by"], "2025-13-01"),
        "error: cohorts[C1].needed_by: Input should be a valid date",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_training_file_exits_2_with_one_line(
    sqlite_cli: Cli,
    example: dict[str, Any],
    write_json: Any,
    case: str,
    mutate: Any,
    message: str,
) -> None:
    result = sqlite_cli("train", write_json(mutate(example)), "--json")
    assert_bad_input(result, message)
    imported = sqlite_cli("train", "import", write_json(mutate(example)))
    assert imported.exit_code == 2 and imported.stderr.startswith(message)


def _readiness(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("readiness", "--json", *args)
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _versions(cli: Cli) -> dict[str, list[int]]:
    store = Store(cli.url)
    with store.transaction() as session:
        found = {
            k: [r.version for r in list_plans(session, k)] for k in ("match", "route", "train")
        }
    store.close()
    return found


def test_washington_end_to_end(cli: Cli, washington: Washington) -> None:
    washington(cli)
    for step in (("match",), ("route", "--time-limit", "60"), ("train",)):
        result = cli(*step)
        assert result.exit_code == 0, result.stderr
    saved = _versions(cli)
    assert saved == {"match": [1], "route": [1], "train": [1]}

    base = _readiness(cli)
    assert base["format"] == "ramstein.readiness/1"
    patriot = next(c for c in base["capabilities"] if c["requirement"] == "UKR-PATRIOT")
    assert patriot["delivered"] == 3
    for unit in patriot["units"]:
        assert unit["ready"] is not None
        assert unit["ready"] >= unit["equipment"] and unit["ready"] >= unit["training"]
        assert unit["cause"] in ("equipment", "training")

    delayed = _readiness(cli, "--delay-hub", "HUB_POL:7")
    changes = {c["requirement"]: c for c in delayed["what_if"]["changes"]}
    after = {c["requirement"]: c for c in delayed["capabilities"]}
    assert after == {c["requirement"]: c for c in base["capabilities"]}  # base unchanged
    moved = [c for c in changes.values() if c["slip_days"]]
    assert moved, "delaying the Polish hub slips something"
    assert all(c["slip_days"] > 0 for c in moved)
    # Equipment whose only way in is through the Polish hub arrives later, every unit of it;
    # the US interceptors and the Spanish HAWKs have no other route. The re-plan moves
    # everything else too, so a consignment's last pallet may slip by less than the delay
    # where others give way on a link they share (US interceptors: 6 days, the US Patriot
    # giving way on HUB_POL -> UKR_CENTRAL).
    what_if = {c["requirement"]: c for c in delayed["what_if"]["capabilities"]}
    only_polish = ("UKR-PATRIOT-INTERCEPTORS", "UKR-HAWK")
    for requirement in only_polish:
        assert changes[requirement]["slip_days"] > 0
        pairs = zip(after[requirement]["units"], what_if[requirement]["units"], strict=True)
        for before, later in pairs:
            shift = date.fromisoformat(later["equipment"]) - date.fromisoformat(before["equipment"])
            assert shift.days > 0
            assert later["ready"] >= before["ready"]

    table = cli("readiness", "--delay-hub", "HUB_POL:7")
    slip = changes["UKR-PATRIOT-INTERCEPTORS"]["slip_days"]
    assert "Slip (days)" in table.stdout and f"+{slip}" in table.stdout

    dropped = _readiness(cli, "--drop-donor", "DEU")
    gepard = next(c for c in dropped["what_if"]["changes"] if c["requirement"] == "UKR-GEPARD")
    assert gepard["units"] == [10, 0] and gepard["what_if"] is None

    assert _versions(cli) == saved  # what-ifs never touch the stored plans

    bad = cli("readiness", "--delay-hub", "HUB_XYZ:7")
    assert bad.exit_code == 2 and bad.stderr == "error: --delay-hub: unknown hub 'HUB_XYZ'\n"
    assert date.fromisoformat(patriot["last_ready"]) >= date(2024, 9, 1)


def test_a_short_time_limit_holds_for_a_large_file(sqlite_cli: Cli, tmp_path: Path) -> None:
    from bench.train import SIZES, generate

    from ramstein.io.train_json import instance_document
    from ramstein.plan.limits import margin

    instance = generate(SIZES["F10"], 3)  # 8 courses, 1,000 sessions, 10,000 cohorts
    path = tmp_path / "training.json"
    path.write_text(json.dumps(instance_document(instance)))
    started = time.perf_counter()
    result = sqlite_cli("train", str(path), "--json", "--time-limit", "3")
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["bound"] >= doc["score"] > 0 and doc["optimal"] is False
    assert len(doc["assignments"]) + len(doc["unassigned"]) == 10_000
    # Not a speed test: the documented margin, plus reading and writing 10,000 cohorts,
    # with room for a loaded machine.
    assert seconds <= 3 + 3 * margin(3)
