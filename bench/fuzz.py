"""Fuzz the live API with schemathesis: random requests as a coordinator and as a nation.

    python -m bench.fuzz [--minutes 10] [--seed N] [--write FILE]

Serves the app (uvicorn, loopback) over a fresh SQLite store with Washington 2024, then
for `--minutes` draws random requests for every operation from the OpenAPI schema (not
derandomised: each run explores new inputs), half with a coordinator's token, half with
Germany's, and checks each answer: no 5xx, and every response matches its schema.
Prints the cases, 5xx answers and schema violations (`make fuzz`; not part of the tests).
"""

from __future__ import annotations

import argparse
import random
import socket
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup, ServerError

from bench.machine import describe
from ramstein.app import create_app
from ramstein.domain.access import Role
from ramstein.io import washington
from ramstein.ledger.loading import load_scenario
from ramstein.store.accounts import create_account
from ramstein.store.db import Store

SKIPPED = {("POST", "/api/v1/plans/{kind}")}  # starts solver jobs: CPU, not input handling


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _store(folder: Path) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{folder / 'fuzz.db'}"
    store = Store(url)
    with store.transaction(actor="fuzz") as session:
        scenario, others = washington.scenario()
        load_scenario(session, scenario, actor="fuzz", reason="fuzz", other_nations=others)
        tokens = {
            "coordinator": create_account(session, "fuzz-coord", Role.COORDINATOR),
            "nation": create_account(session, "fuzz-deu", Role.NATION, nation="DEU"),
        }
    store.close()
    return url, tokens


def _fuzz(
    operation: Any,
    base: str,
    headers: dict[str, str],
    label: str,
    counts: Counter[str],
    examples: dict[str, str],
) -> None:
    """Random requests for one operation; failures counted by kind, the first kept."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def fuzz(case: schemathesis.Case) -> None:
        counts["cases"] += 1
        try:
            case.call_and_validate(
                base_url=base,
                headers=headers,
                # Anonymous reads are public by design; a schema-valid body may still
                # name an unknown nation (a 422 is right there).
                excluded_checks=[checks.ignored_auth, checks.positive_data_acceptance],
            )
        except FailureGroup as group:
            for failure in group.exceptions:
                kind = "5xx" if isinstance(failure, ServerError) else "violations"
                counts[kind] += 1
                examples.setdefault(kind, f"{label}: {failure.title}")
        except AssertionError as failure:
            counts["violations"] += 1
            examples.setdefault("violations", f"{label}: {failure}")

    fuzz()


def run(minutes: float, seed: int) -> dict[str, object]:
    """Fuzz for `minutes`; the counts of what was found."""
    random.seed(seed)
    with tempfile.TemporaryDirectory(prefix="ramstein-fuzz-") as folder:
        url, tokens = _store(Path(folder))
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="error")
        )
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
        operations = [
            r.ok()
            for r in schema.get_all_operations()
            if (r.ok().method.upper(), r.ok().path) not in SKIPPED
        ]
        counts: Counter[str] = Counter()
        examples: dict[str, str] = {}
        deadline = time.monotonic() + minutes * 60
        rounds = 0
        while time.monotonic() < deadline:
            rounds += 1
            for operation in operations:
                if time.monotonic() >= deadline:
                    break
                who = "coordinator" if random.random() < 0.5 else "nation"
                headers = {"Authorization": f"Bearer {tokens[who]}"}
                label = f"{operation.method.upper()} {operation.path}"

                _fuzz(operation, base, headers, label, counts, examples)
        server.should_exit = True
        return {
            "minutes": minutes,
            "rounds": rounds,
            "operations": len(operations),
            "cases": counts["cases"],
            "5xx": counts["5xx"],
            "violations": counts["violations"],
            "examples": examples,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    found = run(args.minutes, args.seed)
    line = (
        f"| {found['minutes']:g} min | {found['operations']} | {found['rounds']} | "
        f"{found['cases']:,} | {found['5xx']} | {found['violations']} |"
    )
    print(line)
    for kind, example in dict(found["examples"]).items():  # type: ignore[call-overload]
        print(f"first {kind}: {example}")
    print(describe(args.seed))
    if args.write:
        args.write.write_text(line + "\n" + describe(args.seed) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
