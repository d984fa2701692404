"""The machine a benchmark ran on, for the tables in docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import time


def cpu() -> str:
    """The processor's model name."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def describe(seed: int) -> str:
    """One line: seed, machine, Python, cores and date."""
    return (
        f"Seed {seed}; machine: {platform.machine()}, {cpu()}, "
        f"Python {platform.python_version()}, {os.cpu_count() or 1} cores; "
        f"run {time.strftime('%Y-%m-%d')}."
    )


def report(
    title: str,
    headers: tuple[str, ...],
    rows: list[list[str]],
    *,
    seed: int,
    write: str | None,
) -> None:
    """Print a results table and, with `write`, keep it as Markdown with the machine's line."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for header in headers:
        table.add_column(header, justify="right")
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    if write:
        lines = [describe(seed), "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        with open(write, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
