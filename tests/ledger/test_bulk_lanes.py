"""Bulk writes stay in the single write's lane (issue 16, rule 3): a file import with one
bad row is refused, naming it, and writes nothing; and only the command line writes in
bulk, so no nation account ever does (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest
from sqlalchemy import func, select

from ramstein.store.db import Store
from ramstein.store.models import AuditRow, ContributionRow, OfferRow
from tests.conftest import Cli, Washington

HEADER = "id,donor,amount,currency,date,category,status,visibility,channel,funders,parent"
GOOD = "DEU-OK1,DEU,1000000,EUR,2025-03-01,equipment,delivered,public,bilateral,,"
BULK_WRITERS = (
    "ramstein.ledger.importing",
    "ramstein.ledger.catalog_import",
    "ramstein.ledger.loading",
    "ramstein.services.kiel",
    "ramstein.store.bulk",
)


@pytest.fixture
def loaded(cli: Cli, tmp_path: Path, washington: Washington) -> Cli:
    """Washington's ledger, and one stored DEU row (DEU-OK0) of EUR 1 m to pass on."""
    washington(cli, kiel=False)
    path = tmp_path / "stored.csv"
    path.write_text(HEADER + "\n" + GOOD.replace("DEU-OK1", "DEU-OK0") + "\n")
    assert cli("import", "contributions", str(path)).exit_code == 0
    return cli


def _counts(url: str) -> tuple[int, int, int]:
    """Contributions, offers and audit records stored."""
    store = Store(url)
    with store.transaction(write=False) as session:
        found = tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (ContributionRow, OfferRow, AuditRow)
        )
    store.close()
    return found[0], found[1], found[2]


def _refused(cli: Cli, tmp_path: Path, kind: str, lines: list[str], header: str) -> str:
    """Import the rows; assert exit 2, one line on stderr, nothing written; the line."""
    before = _counts(cli.url)
    path = tmp_path / f"{kind}.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    result = cli("import", kind, str(path))
    assert result.exit_code == 2, result.stdout
    assert _counts(cli.url) == before
    return str(result.stderr)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param(
            ["FRA-77,DEU,100,EUR,2025-03-01,equipment,delivered,public,bilateral,,"],
            "error: contributions[FRA-77].id: ids beginning FRA- belong to FRA's rows",
            id="another-nations-id",
        ),
        pytest.param(
            [
                "DEU-C1,DEU,100,EUR,2025-03-01,equipment,delivered,public,bilateral,,DEU-C2",
                "DEU-C2,DEU,100,EUR,2025-03-01,equipment,delivered,public,bilateral,,DEU-C1",
            ],
            "error: contributions[DEU-C1].parent: makes a cycle",
            id="parent-cycle",
        ),
        pytest.param(
            [
                "DEU-P1,DEU,100,EUR,2025-03-01,equipment,delivered,public,bilateral,,",
                "DEU-P2,DEU,500,EUR,2025-03-02,equipment,delivered,public,bilateral,,DEU-P1",
            ],
            "error: contributions[DEU-P2].parent: flows from 'DEU-P1' would add up to more than it",
            id="passes-on-more-than-it-got",
        ),
        pytest.param(
            ["DEU-P3,DEU,9e12,EUR,2025-03-02,equipment,delivered,public,bilateral,,DEU-OK0"],
            "error: contributions[DEU-P3].parent: flows from 'DEU-OK0' would add up to more",
            id="passes-on-more-than-a-stored-row-got",
        ),
        pytest.param(
            ["DEU-Y1,DEU,100,EUR,1900-03-01,equipment,delivered,public,bilateral,,"],
            "error: contributions[DEU-Y1].date: must lie in 1991-2100",
            id="no-real-date",
        ),
        pytest.param(
            ["DEU-Z1,DEU,100,ZZZ,2025-03-01,equipment,delivered,public,bilateral,,"],
            "error: contributions[DEU-Z1].currency: 'ZZZ' has no exchange rates",
            id="currency-without-rates",
        ),
    ],
)
def test_a_contribution_import_with_a_bad_row_is_refused_by_name(
    loaded: Cli, tmp_path: Path, rows: list[str], message: str
) -> None:
    stderr = _refused(loaded, tmp_path, "contributions", [GOOD, *rows], HEADER)
    assert stderr.startswith(message), stderr
    assert stderr.count("\n") == 1


def test_an_offer_import_keeps_ids_and_donors_in_their_lane(loaded: Cli, tmp_path: Path) -> None:
    header = "id,donor,item,quantity"
    stderr = _refused(
        loaded,
        tmp_path,
        "offers",
        ["DEU-O8,DEU,PATRIOT_LAUNCHER,1", "FRA-O9,DEU,PATRIOT_LAUNCHER,1"],
        header,
    )
    assert "row 3, id: ids beginning FRA- belong to FRA's rows" in stderr
    first = tmp_path / "first.csv"
    first.write_text(header + "\nO9,DEU,PATRIOT_LAUNCHER,1\n")
    assert loaded("import", "offers", str(first)).exit_code == 0
    stderr = _refused(loaded, tmp_path, "offers", ["O9,FRA,PATRIOT_LAUNCHER,1"], header)
    assert "row 2, donor: offer 'O9' is DEU's" in stderr


def test_the_good_rows_import_when_the_bad_one_is_gone(loaded: Cli, tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                GOOD,
                "DEU-P1,DEU,100,EUR,2025-03-01,equipment,delivered,public,bilateral,,",
                "DEU-P2,DEU,60,EUR,2025-03-02,equipment,delivered,public,bilateral,,DEU-P1",
                "DEU-P3,DEU,5e5,EUR,2025-03-02,equipment,delivered,public,bilateral,,DEU-OK0",
            ]
        )
        + "\n"
    )
    result = loaded("import", "contributions", str(path))
    assert result.exit_code == 0, result.stderr
    assert "4 created" in result.stdout
    assert loaded("audit", "verify").exit_code == 0


@pytest.mark.parametrize("shell", ["ramstein.api", "ramstein.web", "ramstein.app"])
def test_no_api_route_or_page_reaches_a_bulk_writer(shell: str) -> None:
    """The bulk writers run with the operator as writer: only the command line may call
    them, so no nation account can write in bulk."""
    graph = grimp.build_graph("ramstein")
    for writer in BULK_WRITERS:
        assert not graph.chain_exists(importer=shell, imported=writer, as_packages=True), writer
