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
    assert f"{LAYERS} KEPT" in run.stdout
    assert "No import cycles between sibling packages or modules KEPT" in run.stdout
    assert "5 kept, 0 broken" in run.stdout


LAYERS = "Imports only go down the layers"


@pytest.mark.parametrize(
    ("module", "injected", "contract", "named"),
    [
        # A pure rule reaching up into the store.
        (
            "domain/money.py",
            "import ramstein.store.db",
            LAYERS,
            "ramstein.domain.money -> ramstein.store",
        ),
        # Siblings in one layer: io may not lean on ledger.
        (
            "io/kiel.py",
            "import ramstein.ledger.standing",
            LAYERS,
            "ramstein.io.kiel -> ramstein.ledger",
        ),
        # The top: the API may not import the pages (ramstein.app joins them).
        (
            "api/deps.py",
            "import ramstein.web.auth",
            LAYERS,
            "ramstein.api.deps -> ramstein.web.auth",
        ),
        # A planner touching the database.
        ("plan/milp.py", "import sqlalchemy", "are pure", "ramstein.plan.milp -> sqlalchemy"),
        # Rich tables outside the CLI.
        ("web/charts.py", "import rich.table", "the CLI's alone", "ramstein.web.charts -> rich"),
    ],
)
def test_a_copy_with_an_import_against_the_contract_breaks_it(
    tmp_path: Path, module: str, injected: str, contract: str, named: str
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
    broken = [line for line in run.stdout.splitlines() if line.endswith(" BROKEN")]
    assert any(contract in line for line in broken), broken
    assert named in run.stdout, run.stdout
