"""Every command the README shows runs as written (on the Washington dataset)."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import Cli

README = Path(__file__).parents[2] / "README.md"
# Needs a file the reader downloads from the Kiel Institute first.
NEEDS_DOWNLOAD = {"import kiel release-29.xlsx --dry-run"}


def examples() -> list[str]:
    """The README's `.venv/bin/ramstein ...` lines, without their comments, in order."""
    found = []
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\.venv/bin/ramstein (.*?)(\s+#.*)?$", line)
        if match:
            found.append(match[1].strip())
    return found


def test_the_readme_shows_the_workflow_commands() -> None:
    shown = examples()
    assert len(shown) >= 20
    assert any(e.startswith("contribution edit ") for e in shown)
    assert "contribution status WAS24-DEU-PATRIOT contracted --amount 1.2e9 --currency EUR" in shown


def test_every_readme_example_runs(sqlite_cli: Cli, tmp_path: Path) -> None:
    here = Path.cwd()
    os.chdir(tmp_path)  # `export scenario.json` and `shares scenario.json` share a folder
    try:
        for example in examples():
            if example in NEEDS_DOWNLOAD:
                continue
            result = sqlite_cli(*shlex.split(example))
            assert result.exit_code == 0, (example, result.output)
            assert "Traceback" not in result.output
    finally:
        os.chdir(here)


@pytest.mark.parametrize("example", sorted(NEEDS_DOWNLOAD))
def test_a_missing_download_is_one_line(sqlite_cli: Cli, tmp_path: Path, example: str) -> None:
    result = sqlite_cli(*shlex.split(example))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
