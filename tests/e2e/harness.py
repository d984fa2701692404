"""A live dashboard over a prepared store, and Debian's Chromium driven by Playwright.

Used by the browser tests and by `make screenshots` (python -m tests.e2e.harness DIR).
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from typer.testing import CliRunner

from ramstein.app import create_app
from ramstein.cli import app as cli_app
from tests.conftest import Cli, Washington

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PASSWORDS = {
    "coord": "Kestrel-ledger-9041",
    "deu-mod": "Heron-77-wing-east",
    "ukr-liaison": "Lantern-harbour-52",
}


def prepare_store(
    url: str, *, plans: bool = True, kiel: bool = True, washington: Washington | None = None
) -> None:
    """Load Washington 2024 (with Kiel's allocations unless `kiel` is false), make the plans,
    and one account per role with a password. With `washington` (the tests' fixture), the
    loaded and planned store is a copy of the one the worker built with the same commands."""
    runner = CliRunner()
    env = {"RAMSTEIN_DATABASE_URL": url, "COLUMNS": "200"}
    commands = [["load", "washington-2024", *([] if kiel else ["--no-kiel"])]]
    if plans:
        commands += [["match"], ["route"], ["train"]]
    if washington is not None:
        washington(Cli(url), kiel=kiel, planners=tuple(args[0] for args in commands[1:]))
        commands = []
    for args in commands:
        result = runner.invoke(cli_app, args, env=env)
        assert result.exit_code == 0, (args, result.output)
    roles = {
        "coord": ["--role", "coordinator"],
        "deu-mod": ["--role", "nation", "--nation", "DEU"],
        "ukr-liaison": ["--role", "recipient"],
    }
    for name, role in roles.items():
        result = runner.invoke(
            cli_app,
            ["account", "create", name, *role, "--password-stdin"],
            input=PASSWORDS[name] + "\n",
            env=env,
        )
        assert result.exit_code == 0, result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def live_server(url: str) -> Iterator[str]:
    """The app served by uvicorn in a thread; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the dashboard did not start within 30 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright cannot download its own here)."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page: Page, base: str, name: str) -> None:
    """Sign in through the form as one of the prepared accounts."""
    page.goto(f"{base}/signin")
    page.get_by_label("Account").fill(name)
    page.get_by_label("Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


PAGES = {
    "overview": "/",
    "overview-without-usa": "/?without=USA",
    "overview-2024-kiel": "/?year=2024&gdp=kiel",
    "ledger": "/ledger",
    "requirements": "/requirements",
    "logistics": "/logistics",
    "training": "/training",
    "nation-deu": "/nations/DEU",
    "contracts": "/contracts",
    "purl": "/purl",
    "coalitions": "/coalitions",
    "coalition-iamd": "/coalitions/iamd",
    "signin": "/signin",
}


def screenshots(folder: Path) -> list[Path]:
    """Each page at 1280x800, signed in as the coordination staff, into `folder`."""
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/screens.db"
        prepare_store(url)
        with live_server(url) as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{base}/signin")
            page.screenshot(path=str(folder / "signin.png"))
            written.append(folder / "signin.png")
            sign_in(page, base, "coord")
            for name, path in PAGES.items():
                if name == "signin":
                    continue
                page.goto(f"{base}{path}")
                for chart in page.locator(".chart").all():
                    chart.locator("xpath=.").wait_for()
                page.wait_for_function(
                    "[...document.querySelectorAll('.chart')].every(c => c.dataset.drawn)"
                )
                target = folder / f"{name}.png"
                page.screenshot(path=str(target))
                written.append(target)
    return written


if __name__ == "__main__":
    for shot in screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(shot)
