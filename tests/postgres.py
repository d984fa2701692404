"""A throwaway PostgreSQL server (Debian's package) for the tests and the benchmarks."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pytest_postgresql.executors.proc import PostgreSQLExecutor


def _pg_ctl() -> str:
    found = shutil.which("pg_ctl")
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True):
        return str(candidate)
    raise RuntimeError("pg_ctl not found: install Debian's postgresql package (make test does)")


@contextmanager
def start_postgres() -> Iterator[PostgreSQLExecutor]:
    """A throwaway PostgreSQL server in a temporary folder (run as `postgres` when we are root)."""
    base = Path(tempfile.mkdtemp(prefix="ramstein-pg-"))
    executable = _pg_ctl()
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: hand pg_ctl and its directory to `postgres`.
        postgres = pwd.getpwnam("postgres")
        os.chown(base, postgres.pw_uid, postgres.pw_gid)
        wrapper = Path(tempfile.mkdtemp(prefix="ramstein-pgctl-")) / "pg_ctl"
        wrapper.write_text(f'#!/bin/sh\nexec runuser -u postgres -- "{executable}" "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
        executable = str(wrapper)
    port = _free_port()
    executor = PostgreSQLExecutor(
        executable=executable,
        host="127.0.0.1",
        port=port,
        datadir=str(base / "data"),
        unixsocketdir=str(base),
        logfile=str(base / "postgresql.log"),
        startparams="-w",
        dbname="ramstein",
    )
    executor.start()
    try:
        yield executor
    finally:
        executor.stop()
        shutil.rmtree(base, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
