"""The import contract in pyproject.toml holds on the tree, and breaks on a back-up import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(
    cwd: Path, *, python_path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if python_path is not None:
        # First on the path, so that the copy is analysed rather than the installed tree.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(python_path), env.get("PYTHONPATH")]))
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_tree_keeps_every_import_contract() -> None:
    run = _lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Imports only go down the layers KEPT" in run.stdout
    assert "No import cycles between sibling packages or modules KEPT" in run.stdout
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    ("module", "injected", "named"),
    [
        # A pure rule reaching up into the store.
        (
            "domain/money.py",
            "import ramstein.store.db",
            "ramstein.domain.money -> ramstein.store.db",
        ),
        # Siblings in one layer: io may not lean on ledger.
        ("io/kiel.py", "import ramstein.ledger.standing", "ramstein.io.kiel -> ramstein.ledger"),
        # The top: the API may not import the pages (ramstein.app joins them).
        ("api/deps.py", "import ramstein.web.auth", "ramstein.api.deps -> ramstein.web.auth"),
    ],
)
def test_a_copy_with_an_import_against_the_layers_breaks_the_contract(
    tmp_path: Path, module: str, injected: str, named: str
) -> None:
    shutil.copytree(
        ROOT / "src" / "ramstein",
        tmp_path / "src" / "ramstein",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "ramstein" / module
    target.write_text(target.read_text() + f"\n{injected}  # injected by the test\n")

    run = _lint_imports(tmp_path, python_path=tmp_path / "src")

    assert run.returncode != 0, run.stdout
    assert "Imports only go down the layers BROKEN" in run.stdout
    assert named in run.stdout, run.stdout
