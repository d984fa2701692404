"""The machine a benchmark ran on, for the tables in docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from typing import Any


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


def _child(send: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    import resource

    result = fn(*args)
    # ru_maxrss is in KiB on Linux: the larger of this process's own peak and its largest
    # child's (a solver run as a program of its own, like CBC).
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    send.send((result, peak / 1024))
    send.close()


def in_child(fn: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """`fn(*args)` in a fresh process: its result and its peak memory in MB.

    A fresh (spawned, not forked) interpreter starts small, so the peak is the run's own;
    `fn` and its arguments and result must pickle.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, fn, args))
    process.start()
    send.close()
    try:
        result, peak = receive.recv()
    except EOFError:
        raise RuntimeError(f"benchmark child failed with exit code {process.exitcode}") from None
    finally:
        process.join()
    return result, peak


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


def run_sizes(
    doc: str | None,
    label: str,
    run_one: Callable[[str, int], Any],
    cells: Callable[[Any], list[str]],
    headers: tuple[str, ...],
    title: str,
) -> None:
    """A benchmark's command line: --sizes, --seed and --write; a progress bar; the table."""
    from rich.progress import Progress

    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--write", help="write the Markdown table to this file")
    args = parser.parse_args()
    rows = []
    names = [s.strip() for s in args.sizes.split(",") if s.strip()]
    with Progress(transient=True) as progress:
        task = progress.add_task(label, total=len(names))
        for name in names:
            progress.update(task, description=f"{label}: size {name}")
            rows.append(run_one(name, args.seed))
            progress.advance(task)
    report(title, headers, [cells(r) for r in rows], seed=args.seed, write=args.write)
