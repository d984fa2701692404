"""Documentation covers every CLI command and setting, and the README leads with setup."""

from __future__ import annotations

from pathlib import Path

import typer

from ramstein.cli import app
from ramstein.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _commands(typer_app: typer.Typer, prefix: str = "") -> list[str]:
    names = [f"{prefix}{c.name or c.callback.__name__}" for c in typer_app.registered_commands]  # type: ignore[union-attr]
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None
        names += _commands(group.typer_instance, f"{prefix}{group.name} ")
    return names


def test_readme_opens_with_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    head = readme[:1500]
    assert "make demo" in head and "make test" in head


def test_user_guide_covers_every_command() -> None:
    guide = (ROOT / "docs" / "user-guide.md").read_text()
    commands = _commands(app)
    assert "shares" in commands and "contribution status" in commands
    missing = [c for c in commands if f"ramstein {c}" not in guide]
    assert missing == []


def test_user_guide_covers_every_setting() -> None:
    guide = (ROOT / "docs" / "user-guide.md").read_text()
    missing = [f for f in Settings.model_fields if f"RAMSTEIN_{f.upper()}" not in guide]
    assert missing == []


def test_architecture_page_exists() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    for layer in ("domain", "store", "ledger", "shares", "plan", "io", "api", "web", "cli"):
        assert f"`{layer}" in text
