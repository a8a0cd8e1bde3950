"""Token buckets per rate-limit lane, so a fan-out stays inside each platform's limits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class Bucket:
    rate: float
    tokens: float
    updated: float


class Pacer:
    """Waits until every lane a message counts against has a token (per process)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.buckets: dict[str, Bucket] = {}
        self.lock = asyncio.Lock()

    def _take(self, lanes: Sequence[tuple[str, float]]) -> float:
        """Take one token from each lane if all have one; else the seconds to wait."""
        now = self.clock()
        wait = 0.0
        for key, rate in lanes:
            bucket = self.buckets.setdefault(key, Bucket(rate, 1.0, now))
            bucket.rate = rate
            # Bursts of at most a tenth of a second's worth: evenly spaced sends never trip
            # a platform's sliding window, and a pause between batches is made up for.
            burst = max(1.0, rate / 10)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens < 1.0:
                wait = max(wait, (1.0 - bucket.tokens) / rate)
        if wait == 0.0:
            for key, _ in lanes:
                self.buckets[key].tokens -= 1.0
        return wait

    async def acquire(self, lanes: Sequence[tuple[str, float]]) -> None:
        if not lanes:
            return
        while True:
            async with self.lock:
                wait = self._take(lanes)
            if wait == 0.0:
                return
            await asyncio.sleep(wait)

    def hold(self, lanes: Sequence[tuple[str, float]], seconds: float) -> None:
        """After a 429: empty the lanes so nothing else is sent on them for `seconds`."""
        now = self.clock()
        for key, rate in lanes:
            bucket = self.buckets.setdefault(key, Bucket(rate, 0.0, now))
            bucket.tokens = min(bucket.tokens, -seconds * rate)
            bucket.updated = now
