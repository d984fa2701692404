"""Sign-in throttling: after five failures, each further attempt waits twice as long."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FREE_FAILURES = 5
FIRST_WAIT = 1.0  # seconds, after the fifth failure; doubled by each further one
LONGEST_WAIT = 900.0
FORGET_AFTER = 3600.0  # seconds without a failure after which a key starts afresh
MAX_KEYS = 100_000


@dataclass
class _Failures:
    count: int
    last: float


class Throttle:
    """Failed sign-ins per key (an account name, a client address), kept in memory.

    `wait(keys)` says how long the caller must wait before another attempt with any of
    the keys; `failed` and `succeeded` record the outcome of an attempt that was made.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, _Failures] = {}

    def _delay(self, count: int) -> float:
        if count < FREE_FAILURES:
            return 0.0
        return min(LONGEST_WAIT, FIRST_WAIT * 2.0 ** (count - FREE_FAILURES))

    def wait(self, keys: list[str]) -> int:
        """Whole seconds to wait before trying again (0: go ahead)."""
        now = self._clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                seen = self._failures.get(key)
                if seen is None:
                    continue
                if now - seen.last > FORGET_AFTER:
                    del self._failures[key]
                    continue
                longest = max(longest, seen.last + self._delay(seen.count) - now)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, keys: list[str]) -> None:
        """Count a failed attempt against every key."""
        now = self._clock()
        with self._lock:
            if len(self._failures) > MAX_KEYS:
                self._forget(now)
            for key in keys:
                seen = self._failures.setdefault(key, _Failures(0, now))
                seen.count += 1
                seen.last = now

    def succeeded(self, key: str) -> None:
        """Forget the failures of a key (the account that just signed in)."""
        with self._lock:
            self._failures.pop(key, None)

    def _forget(self, now: float) -> None:
        stale = [k for k, f in self._failures.items() if now - f.last > FORGET_AFTER]
        for key in stale or list(self._failures)[: MAX_KEYS // 2]:
            del self._failures[key]
