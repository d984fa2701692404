"""`ramstein coalition`: the dataset's eight coalitions, leads, targets, a lead's match and
bad input; `ramstein contribution status ... delivered` with the title's place and day."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ramstein.store import repositories as repo
from ramstein.store.db import Store
from tests.conftest import Cli, Washington, assert_bad_input, set_path

EIGHT = {
    "air_force": ["USA", "DNK", "NLD"],
    "iamd": ["FRA", "DEU"],
    "artillery": ["FRA", "USA"],
    "armour": ["DEU", "POL", "ITA"],
    "maritime": ["GBR", "NOR"],
    "it": ["EST", "LUX"],
    "demining": ["LTU", "ISL"],
    "drones": ["LVA", "GBR"],
}


@pytest.fixture
def loaded(cli: Cli) -> Cli:
    result = cli("load", "washington-2024", "--no-kiel")
    assert result.exit_code == 0, result.stderr
    assert "8 capability coalitions" in result.stdout
    return cli


@pytest.fixture
def sqlite_loaded(sqlite_cli: Cli, washington: Washington) -> Cli:
    washington(sqlite_cli, kiel=False)
    return sqlite_cli


def _show(cli: Cli, coalition: str, viewer: str = "coordinator") -> dict[str, object]:
    result = cli("coalition", "show", coalition, "--as", viewer, "--json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def test_the_dataset_shows_the_eight_coalitions_with_their_leads(loaded: Cli) -> None:
    leads = {c: _show(loaded, c)["leads"] for c in EIGHT}
    assert leads == EIGHT
    listed = loaded("coalition", "list")
    assert listed.exit_code == 0
    assert "1,000,000 DRONE by 2027" in listed.stdout
    drones = _show(loaded, "drones")
    assert drones["targets"] == [
        {
            "item": "DRONE",
            "year": 2027,
            "quantity": 1_000_000,
            "illustrative": False,
            "source": drones["targets"][0]["source"],  # type: ignore[index]
        }
    ]
    iamd = _show(loaded, "iamd")
    assert all(t["illustrative"] for t in iamd["targets"])  # type: ignore[attr-defined]
    # The air-defence requirements are the IAMD coalition's; its roadmap counts its offers.
    assert next(c["requirement"] for c in iamd["coverage"]) == "UKR-PATRIOT"  # type: ignore[attr-defined]
    patriot = next(p for p in iamd["progress"] if p["item"] == "PATRIOT_BATTERY")  # type: ignore[attr-defined]
    assert (patriot["target"], patriot["offered"]) == (7, 3)


def test_loading_twice_changes_no_coalition(sqlite_loaded: Cli) -> None:
    before = _show(sqlite_loaded, "iamd")
    again = sqlite_loaded("load", "washington-2024", "--no-kiel")
    assert again.exit_code == 0
    assert _show(sqlite_loaded, "iamd") == before


def test_a_nation_made_lead_may_run_its_coalitions_match(sqlite_loaded: Cli) -> None:
    refused = sqlite_loaded("coalition", "match", "iamd", "--as", "POL")
    assert_bad_input(refused, "error: coalition: only its leads and coordinators")
    assert _show(sqlite_loaded, "iamd", "POL")["lead"] is False
    made = sqlite_loaded("coalition", "lead", "iamd", "pol")
    assert made.exit_code == 0, made.stderr
    assert "FRA, DEU, POL" in made.stdout
    assert _show(sqlite_loaded, "iamd", "POL")["lead"] is True
    ran = sqlite_loaded("coalition", "match", "iamd", "--as", "POL", "--json")
    assert ran.exit_code == 0, ran.stderr
    plan = json.loads(ran.stdout)
    reqs = {r["id"] for r in plan["requirements"]}
    assert "UKR-PATRIOT" in reqs and len(reqs) == 8
    removed = sqlite_loaded("coalition", "lead", "iamd", "POL", "--remove")
    assert removed.exit_code == 0
    assert_bad_input(
        sqlite_loaded("coalition", "match", "iamd", "--as", "POL"), "error: coalition:"
    )


def test_a_coalition_without_requirements_has_nothing_to_match(sqlite_loaded: Cli) -> None:
    assert_bad_input(
        sqlite_loaded("coalition", "match", "drones", "--as", "LVA"),
        "error: coalitions[drones].requirements: none to match",
    )


def test_a_roadmap_target_counts_the_offers_of_its_item(sqlite_loaded: Cli) -> None:
    added = sqlite_loaded("coalition", "target", "iamd", "GEPARD", "2026", "40", "--illustrative")
    assert added.exit_code == 0, added.stderr
    gepard = next(
        p
        for p in _show(sqlite_loaded, "iamd")["progress"]
        if p["item"] == "GEPARD"  # type: ignore[attr-defined]
    )
    assert (gepard["target"], gepard["offered"], gepard["share"]) == (40, 10, 0.25)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("coalition", "show", "nope"), "error: coalitions[nope]: no such coalition"),
        (("coalition", "lead", "nope", "DEU"), "error: coalitions[nope]: no such coalition"),
        (("coalition", "lead", "drones", "XXX"), "error: coalitions[drones].leads: unknown nation"),
        (("coalition", "lead", "drones", "DEU", "--remove"), "error: coalitions[drones].leads:"),
        (
            ("coalition", "target", "drones", "DRONE", "2099", "5"),
            "error: coalitions[drones].targets[DRONE:2099].year:",
        ),
        (
            ("coalition", "target", "drones", "DRONE", "2026", "0"),
            "error: coalitions[drones].targets[DRONE:2026].quantity:",
        ),
        (
            ("coalition", "target", "drones", "NO_SUCH", "2026", "5"),
            "error: coalitions[drones].targets[NO_SUCH:2026].item: unknown item",
        ),
        (("coalition", "tag", "offer", "NOPE", "drones"), "error: offers[NOPE]: no such offer"),
        (
            ("coalition", "tag", "requirement", "UKR-PATRIOT", "nope"),
            "error: requirements[UKR-PATRIOT].coalition: unknown coalition",
        ),
        (("coalition", "tag", "thing", "X", "drones"), "error: kind: is requirement or offer"),
        (("coalition", "show", "iamd", "--as", "nobody"), "error: as:"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    sqlite_loaded: Cli, args: tuple[str, ...], message: str
) -> None:
    assert_bad_input(sqlite_loaded(*args), message)


def test_an_offer_shared_with_a_coalition_must_name_it(sqlite_loaded: Cli) -> None:
    result = sqlite_loaded(
        "match", "add-offer", "DEU-X1", "DEU", "GEPARD", "2", "--visibility", "coalition"
    )
    assert_bad_input(result, "error: offers[DEU-X1].coalition: required when visibility")


def test_delivered_says_where_and_when_title_passed(
    sqlite_cli: Cli, example_scenario: dict[str, Any], write_json: Any
) -> None:
    cid = "c1"
    set_path(example_scenario, ["contributions", 0, "status"], "contracted")
    assert sqlite_cli("load", write_json(example_scenario)).exit_code == 0
    assert_bad_input(
        sqlite_cli("contribution", "status", cid, "shipped", "--place", "Kyiv"),
        f"error: contributions[{cid}].place: only a move to delivered has one",
    )
    shipped = sqlite_cli("contribution", "status", cid, "shipped")
    assert shipped.exit_code == 0, shipped.stderr
    assert_bad_input(
        sqlite_cli("contribution", "status", cid, "delivered"),
        f"error: contributions[{cid}].place: required when status is delivered",
    )
    assert_bad_input(
        sqlite_cli("contribution", "status", cid, "delivered", "--place", "Kyiv", "--on", "x"),
        "error: --on:",
    )
    assert_bad_input(
        sqlite_cli("contribution", "status", cid, "contracted"),
        f"error: contributions[{cid}].status: cannot move from shipped back to contracted",
    )
    done = sqlite_cli(
        "contribution", "status", cid, "delivered", "--place", "Kyiv", "--on", "2025-03-04"
    )
    assert done.exit_code == 0, done.stderr
    shown = sqlite_cli("contribution", "history", cid)
    assert "Title passed to the recipient on 2025-03-04 at Kyiv." in shown.stdout
    store = Store(sqlite_cli.url)
    with store.transaction() as session:
        title = repo.title_of(session, cid)
        found = repo.get_contribution(session, cid)
        history = [e.to_status.value for e in repo.contribution_history(session, cid)]
    store.close()
    assert title is not None and (title.place, title.on.isoformat()) == ("Kyiv", "2025-03-04")
    assert found is not None and found[0].status.value == "delivered"
    assert history == ["contracted", "shipped", "delivered"]


def test_offer_and_requirement_sheets_carry_the_coalition(
    sqlite_loaded: Cli, tmp_path: Any
) -> None:
    bad = tmp_path / "offers.csv"
    bad.write_text(
        "id,donor,item,quantity,visibility,coalition\n"
        "DEU-D1,DEU,DRONE,50,coalition,\n"
        "DEU-D2,DEU,DRONE,50,public,nope\n"
        "DEU-D3,DEU,DRONE,50,coalition,drones\n"
    )
    result = sqlite_loaded("import", "offers", str(bad))
    assert result.exit_code == 2
    assert "row 2, coalition: required when visibility is coalition" in result.stderr
    assert "row 3, coalition: unknown coalition 'nope'" in result.stderr
    assert [o["id"] for o in _show(sqlite_loaded, "drones")["offers"]] == []  # type: ignore[attr-defined]
    good = tmp_path / "good.csv"
    good.write_text(
        "id,donor,item,quantity,visibility,coalition\nDEU-D3,DEU,DRONE,50,coalition,drones\n"
    )
    assert sqlite_loaded("import", "offers", str(good)).exit_code == 0
    assert [o["id"] for o in _show(sqlite_loaded, "drones", "LVA")["offers"]] == ["DEU-D3"]  # type: ignore[attr-defined]
    assert _show(sqlite_loaded, "drones", "POL")["offers"] == []
    # A sheet without the column keeps the coalition (and counts the row unchanged).
    again = tmp_path / "again.csv"
    again.write_text("id,donor,item,quantity,visibility\nDEU-D3,DEU,DRONE,50,coalition\n")
    kept = sqlite_loaded("import", "offers", str(again))
    assert kept.exit_code == 0 and "1 unchanged" in kept.stdout
    reqs = tmp_path / "reqs.csv"
    reqs.write_text("id,item,quantity,priority,coalition\nUKR-DR,DRONE,900,10,drones\n")
    assert sqlite_loaded("import", "requirements", str(reqs)).exit_code == 0
    coverage = _show(sqlite_loaded, "drones", "LVA")["coverage"]
    assert [(c["requirement"], c["offered"]) for c in coverage] == [("UKR-DR", 50)]  # type: ignore[attr-defined]
