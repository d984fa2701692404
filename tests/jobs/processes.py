"""Real `ramstein` processes for the job tests: API servers and workers, killed with -9."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# A short heartbeat, so that a killed worker's job is found stalled within seconds.
HEARTBEAT = "1"


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "RAMSTEIN_DATABASE_URL": url, "RAMSTEIN_ACTOR": "test"}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Process:
    """A `ramstein` subprocess; `kill()` is kill -9."""

    def __init__(self, args: list[str], url: str) -> None:
        self.args, self.url = args, url
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "ramstein.cli", *args],
            env=_env(url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait()

    def stop(self) -> None:
        """Terminate (if still running) and reap."""
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Server(Process):
    """`ramstein serve` on a free port; `client` speaks to it."""

    def __init__(self, url: str, *extra: str) -> None:
        self.port = _port()
        super().__init__(["serve", "--port", str(self.port), *extra], url)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_for(self._up, timeout=120, what="the server to answer")

    def _up(self) -> bool:
        try:
            return self.request("GET", "/api/v1/openapi.json")[0] == 200
        except OSError:
            return False

    def request(self, method: str, path: str, token: str = "", body: Any = None) -> tuple[int, Any]:
        """One request (with a bearer token if given): status and JSON body."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(
            f"{self.base}{path}", data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def worker(url: str, concurrency: int = 1) -> Process:
    """`ramstein worker` with a short heartbeat."""
    return Process(["worker", "--concurrency", str(concurrency), "--heartbeat", HEARTBEAT], url)


@contextmanager
def running(*processes: Process) -> Iterator[None]:
    """Stop the processes however the block ends."""
    try:
        yield
    finally:
        for p in processes:
            p.stop()


def wait_for(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Poll `check` until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
