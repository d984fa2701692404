"""The coordination workflow at the terminal: edits, unknown ids, tables at 80 columns."""

from __future__ import annotations

import re

import pytest
from click.testing import Result

from ramstein.cli import app
from ramstein.cli.common import console
from tests.conftest import Cli, Washington

NARROW = 80


class Narrow(Cli):
    """The CLI at an 80-column terminal (the console reads COLUMNS when the program starts,
    so a test in a process started wider sets the width the program would have read)."""

    def __call__(self, *args: str) -> Result:
        wide = console.width
        console.width = NARROW
        try:
            return self.runner.invoke(
                app, list(args), env={"RAMSTEIN_DATABASE_URL": self.url, "COLUMNS": str(NARROW)}
            )
        finally:
            console.width = wide


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory, washington: Washington) -> Narrow:
    """The Washington dataset with its match, route and training plans, at 80 columns."""
    url = f"sqlite:///{tmp_path_factory.mktemp('workflow') / 'ramstein.db'}"
    cli = Narrow(url)
    washington(cli, planners=("match", "route", "train"))
    return cli


def _readable(output: str) -> None:
    """Every line fits 80 columns and no cell was cut short with an ellipsis."""
    assert "…" not in output
    wide = [line for line in output.splitlines() if len(line) > NARROW]
    assert not wide, wide[:3]


TABLES = [
    ("match", "requirements"),
    ("match", "offers"),
    ("match", "items"),
    ("match", "plans"),
    ("route", "plans"),
    ("route", "discrepancies"),
    ("track", "K-WAS24-DEU-PATRIOT"),
    ("train", "plans"),
    ("readiness",),
    ("readiness", "--delay-hub", "HUB_POL:7", "--drop-donor", "USA"),
    ("contract", "list"),
    ("contract", "show", "NSPA-STINGER-2024"),
    ("contribution", "list", "--donor", "DEU"),
    ("contribution", "history", "WAS24-DEU-PATRIOT"),
    ("shares",),
    ("shares", "--without", "USA"),
    ("review", "2025"),
    ("purl", "list"),
    ("purl", "status"),
    ("coalition", "list"),
    ("coalition", "show", "iamd"),
    ("custody", "report"),
    ("custody", "deliveries"),
    ("production", "list"),
]


@pytest.mark.parametrize("command", TABLES, ids=" ".join)
def test_tables_are_readable_at_80_columns(planned: Narrow, command: tuple[str, ...]) -> None:
    result = planned(*command)
    assert result.exit_code == 0, result.output
    _readable(result.stdout)


def test_planner_tables_keep_every_id_whole(planned: Narrow) -> None:
    for command, ids in (
        (("match",), ["UKR-PATRIOT-INTERCEPTORS", "UKR-IRIST-SLM", "SAMPT_ENGAGEMENT_MODULE"]),
        (("route",), ["K-WAS24-NLD-PATRIOT-LAUNCHERS", "K-WAS24-USA-INTERCEPTORS"]),
        (("train",), ["UKR-IRIST-SLM-CREW-1", "UKR-NASAMS-CREW-3"]),
    ):
        result = planned(*command)
        assert result.exit_code == 0, result.output
        _readable(result.stdout)
        for rid in ids:
            assert rid in result.stdout, (command, rid)


def test_readiness_groups_units_and_lists_what_nothing_reaches(planned: Narrow) -> None:
    out = planned("readiness").stdout
    # 200 interceptors on one line, not 200 lines.
    assert re.search(
        r"UKR-PATRIOT-INTERCEPTORS\s+│\s+200 of 300\s+│ #1\u2013#200 2024-\d\d-\d\d, equipment", out
    )
    assert re.search(r"UKR-IRIST-SLM\s+│\s+0 of 6\s+│ none planned", out)
    assert len(out.splitlines()) < 30


def test_readiness_what_if_is_named_in_words_not_a_dict(planned: Narrow) -> None:
    out = planned("readiness", "--delay-hub", "HUB_POL:7").stdout
    assert "What if HUB_POL handles 7 days slower" in out
    assert "{" not in out and "'delay_hub'" not in out


def test_match_says_planned_never_delivered(planned: Narrow) -> None:
    out = planned("match", "plan").stdout
    assert "Delivered" not in out
    assert "Planned" in out and "3 of 7" in out


def test_training_lists_unassigned_cohorts_with_reason(planned: Narrow) -> None:
    out = planned("train", "plan").stdout
    left = re.search(r"Cohorts left unassigned \((\d+)\)", out)
    assert left is not None and int(left[1]) > 0
    assert "no seats left in the sessions that fit" in " ".join(re.sub(r"[│┃]", " ", out).split())


def test_overdue_lot_is_flagged(planned: Narrow) -> None:
    # Lot L1 of the Stinger contract was expected on 2026-06-30 and is still planned.
    show = planned("contract", "show", "NSPA-STINGER-2024").stdout
    assert re.search(r"L1\s+│ 2026-06-30\s+│", show) and "overdue" in show
    listed = planned("contract", "list").stdout
    assert re.search(r"NSPA-STINGER-2024 .*│ L1", listed)


def test_readme_status_example_goes_on_with_an_amount(
    sqlite_cli: Cli, washington: Washington
) -> None:
    washington(sqlite_cli, kiel=False)
    signed = sqlite_cli(
        "contribution", "status", "WAS24-DEU-PATRIOT", "committed", "--why", "signed"
    )
    assert signed.exit_code == 0, signed.output
    stuck = sqlite_cli("contribution", "status", "WAS24-DEU-PATRIOT", "contracted")
    assert stuck.exit_code == 2
    assert stuck.stderr.strip().splitlines() == [
        "error: contributions[WAS24-DEU-PATRIOT].amount: required when status is contracted: "
        "give it with --amount"
    ]
    done = sqlite_cli(
        "contribution",
        "status",
        "WAS24-DEU-PATRIOT",
        "contracted",
        "--amount",
        "1.2e9",
        "--currency",
        "EUR",
        "--why",
        "contract signed",
    )
    assert done.exit_code == 0, done.output
    assert "WAS24-DEU-PATRIOT is now contracted, 1,200,000,000.00 EUR." in done.stdout


def test_contribution_edit_changes_facts_and_status_in_one_write(
    sqlite_cli: Cli, washington: Washington
) -> None:
    washington(sqlite_cli, kiel=False)
    edited = sqlite_cli(
        "contribution",
        "edit",
        "WAS24-DEU-PATRIOT",
        "--amount",
        "950e6",
        "--currency",
        "USD",
        "--status",
        "contracted",
        "--why",
        "signed in dollars",
    )
    assert edited.exit_code == 0, edited.output
    assert "is now contracted, 950,000,000.00 USD" in edited.stdout
    history = sqlite_cli("contribution", "history", "WAS24-DEU-PATRIOT").stdout
    assert "signed in dollars" in history
    # A facts-only edit keeps the status and records why.
    again = sqlite_cli(
        "contribution", "edit", "WAS24-DEU-PATRIOT", "--amount", "1e9", "--why", "revised"
    )
    assert again.exit_code == 0, again.output
    assert "contracted, 1,000,000,000.00 USD" in again.stdout
    assert "revised" in sqlite_cli("contribution", "history", "WAS24-DEU-PATRIOT").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("NOPE", "--amount", "5"), "error: contributions[NOPE]: no such contribution"),
        (
            ("WAS24-DEU-PATRIOT", "--currency", "XQZ"),
            "error: contributions[WAS24-DEU-PATRIOT].currency: 'XQZ' has no exchange rates",
        ),
        (
            ("WAS24-DEU-PATRIOT", "--status", "contracted", "--currency", "USD"),
            "error: contributions[WAS24-DEU-PATRIOT].amount: required when status is "
            "contracted: give it with --amount",
        ),
        (("WAS24-DEU-PATRIOT",), "error: contributions[WAS24-DEU-PATRIOT]: nothing to change"),
    ],
)
def test_contribution_edit_refuses_bad_input_and_writes_nothing(
    sqlite_cli: Cli,
    args: tuple[str, ...],
    message: str,
    washington: Washington,
) -> None:
    washington(sqlite_cli, kiel=False)
    before = sqlite_cli("contribution", "history", "WAS24-DEU-PATRIOT").stdout
    listed = sqlite_cli("contribution", "list", "--donor", "DEU").stdout
    result = sqlite_cli("contribution", "edit", *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), lines
    assert sqlite_cli("contribution", "history", "WAS24-DEU-PATRIOT").stdout == before
    assert sqlite_cli("contribution", "list", "--donor", "DEU").stdout == listed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("match", "add-offer", "DEU-X1", "DEU", "NO_SUCH_ITEM", "3"),
            "error: offers[DEU-X1].item: unknown item 'NO_SUCH_ITEM'",
        ),
        (
            ("match", "add-offer", "ZZZ-X1", "ZZZ", "GEPARD", "3"),
            "error: offers[ZZZ-X1].donor: unknown nation 'ZZZ'",
        ),
        (
            ("match", "add-requirement", "UKR-X", "NO_SUCH_ITEM", "3"),
            "error: requirements[UKR-X].item: unknown item 'NO_SUCH_ITEM'",
        ),
        (
            ("match", "add-requirement", "UKR-X", "GEPARD", "3", "--substitute", "NOPE"),
            "error: requirements[UKR-X].substitutes: unknown item 'NOPE'",
        ),
        (("track", "K-NOPE"), "error: consignments[K-NOPE]: no such consignment"),
        (("contribution", "history", "NOPE"), "error: contributions[NOPE]: no such contribution"),
    ],
)
def test_unknown_items_nations_and_ids_give_one_line(
    cli: Cli,
    args: tuple[str, ...],
    message: str,
    washington: Washington,
) -> None:
    washington(cli, kiel=False)
    before = cli("match", "offers").stdout + cli("match", "requirements").stdout
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [message]
    assert "Traceback" not in result.output
    assert cli("match", "offers").stdout + cli("match", "requirements").stdout == before
