"""Screenshots of each role's pages at 1280 and 390 px wide, after a day's work
(python -m tests.e2e.role_screens DIR; `make screenshots` runs it).

The day: the liaison adds a requirement, Germany offers towards it, the coordinator plans
and accepts, the consignment is routed, the liaison confirms its receipt with a damaged
pallet. Each role's pages are then shot as that role sees them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from ramstein.cli import app as cli_app
from tests.e2e.harness import chromium, live_server, prepare_store, sign_in

WIDTHS = (1280, 390)
ROLE_PAGES = {
    "public": {"overview": "/?without=USA"},
    "ukr-liaison": {
        "requirements-desk": "/requirements/desk",
        "receipts": "/receipts",
        "training": "/training",
    },
    "deu-mod": {"offers": "/offers"},
    "coord": {"planning": "/planning", "jobs": "/jobs"},
}
LABELS = {
    "public": "public",
    "ukr-liaison": "liaison",
    "deu-mod": "ministry",
    "coord": "coordinator",
}


def _day(url: str) -> None:
    """The day's work, through the CLI (the browser tests do it through the pages)."""
    env = {"RAMSTEIN_DATABASE_URL": url, "COLUMNS": "200"}
    runner = CliRunner()
    for args in (
        [
            "match",
            "add-requirement",
            "UKR-SLM-LAUNCHERS",
            "IRIST_SLM_LAUNCHER",
            "4",
            "--priority",
            "15",
            "--needed-by",
            "2025-06-30",
        ],
        [
            "match",
            "add-offer",
            "DEU-SLM-LAUNCHERS",
            "DEU",
            "IRIST_SLM_LAUNCHER",
            "4",
            "--available-from",
            "2025-01-15",
            "--visibility",
            "alliance",
        ],
        ["match"],
        ["match", "accept"],
        ["route"],
    ):
        result = runner.invoke(cli_app, args, env=env)
        assert result.exit_code == 0, (args, result.output)


def screenshots(folder: Path) -> list[Path]:
    """Each role's pages at each width into `folder`, as ROLE-PAGE-WIDTH.png."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/roles.db"
        prepare_store(url, kiel=False)
        _day(url)
        with live_server(url) as base, chromium() as browser:
            for width in WIDTHS:
                for role, pages in ROLE_PAGES.items():
                    context = browser.new_context(viewport={"width": width, "height": 900})
                    page = context.new_page()
                    if role != "public":
                        sign_in(page, base, role)
                        if "Signed in as" not in page.locator("header .who").inner_text():
                            page.reload()  # the sign-in's commit raced its redirect
                    if role == "ukr-liaison":
                        page.goto(f"{base}/receipts")
                        row = page.locator("#consignments-table tr#k-K-DEU-SLM-LAUNCHERS")
                        if row.get_by_role("button", name="Confirm").count():
                            row.get_by_label("Received").fill("3")
                            row.get_by_label("Damaged").fill("1")
                            row.get_by_role("button", name="Confirm").click()
                            page.wait_for_load_state("load")
                    for name, path in pages.items():
                        page.goto(f"{base}{path}")
                        page.wait_for_function(
                            "[...document.querySelectorAll('.chart')].every(c => c.dataset.drawn)"
                        )
                        target = folder / f"{LABELS[role]}-{name}-{width}.png"
                        page.screenshot(path=str(target))
                        written.append(target)
                    context.close()
    return written


if __name__ == "__main__":
    for shot in screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(shot)
