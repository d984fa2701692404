"""Documentation covers every CLI command, setting and module; the README leads with setup."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import typer

from ramstein.cli import app
from ramstein.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "ramstein"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


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


# A bullet of the architecture page that describes one package or top-level module.
BULLET = re.compile(r"^- `([a-z_]+(?:/|\.py))`")
# A path the page names: `name.py`, `dir/`, `dir/name.py` (a `.` in the name excluded).
PATH = re.compile(r"`([a-z_][a-z0-9_/]*(?:\.py|/))`")


def _named_paths(text: str) -> list[tuple[str, Path]]:
    """Every path the page names, resolved: within the package of the bullet it stands in,
    else from the package root (`domain/audit.py`, `app.py`) or the repository's (`tests/`)."""
    named: list[tuple[str, Path]] = []
    section: Path | None = None
    for line in text.splitlines():
        if head := BULLET.match(line):
            section = PACKAGE / head.group(1)
        elif not line.startswith("  "):
            section = None
        for token in PATH.findall(line):
            top = token.split("/")[0]
            if section is not None and token == head_of(section):
                path = section
            elif "/" in token.rstrip("/") and (PACKAGE / top).is_dir():
                path = PACKAGE / token
            elif top in ("tests", "docs", "bench", "src"):
                path = ROOT / token
            elif section is not None:
                path = (section if section.is_dir() else PACKAGE) / token
            else:
                path = PACKAGE / token
            named.append((token, path))
    return named


def head_of(section: Path) -> str:
    """How the bullet of `section` names it: `plan/` or `app.py`."""
    return section.name + ("/" if section.suffix != ".py" else "")


def _modules() -> list[Path]:
    """Every module and package of the source tree, migrations' own scripts aside."""
    return [
        p
        for p in sorted(PACKAGE.rglob("*"))
        if "__pycache__" not in p.parts
        and (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
        and p.name != "__init__.py"
        and "migrations" not in p.relative_to(PACKAGE).parts[:-1]
    ]


def test_architecture_page_names_every_layer() -> None:
    text = ARCHITECTURE.read_text()
    for layer in ("domain", "store", "ledger", "shares", "plan", "io", "api", "web", "cli"):
        assert f"- `{layer}/`" in text


def test_every_path_the_architecture_page_names_exists() -> None:
    named = _named_paths(ARCHITECTURE.read_text())
    assert len(named) > 80  # the parser finds the page's paths
    missing = [token for token, path in named if not path.exists()]
    assert missing == []


def test_a_stale_path_on_the_architecture_page_is_caught() -> None:
    stale = "- `cli.py` — the Typer app: one thin command per capability.\n"
    assert [t for t, p in _named_paths(stale) if not p.exists()] == ["cli.py"]


def test_the_architecture_page_describes_every_module() -> None:
    named = {path.resolve() for _, path in _named_paths(ARCHITECTURE.read_text())}
    undescribed = [
        str(p.relative_to(PACKAGE))
        for p in _modules()
        # A module is described by name, or by its directory where that is not a layer
        # (`routes/` describes every router, `migrations/` every migration).
        if p.resolve() not in named
        and not any(d.resolve() in named for d in p.parents if d != PACKAGE and d.parent != PACKAGE)
    ]
    assert undescribed == []


def test_the_layer_diagram_is_the_contract() -> None:
    text = ARCHITECTURE.read_text()
    block = text.split("## Layers", 1)[1].split("```", 2)[1]
    drawn = [
        " | ".join(part.strip() for part in re.split(r"\s{2,}", line.strip())[0].split("|"))
        for line in block.strip().splitlines()
    ]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (layers,) = [
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    ]
    assert drawn == [" | ".join(p.strip() for p in layer.split("|")) for layer in layers]
