"""Pacing per rate-limit lane, so a fan-out stays inside each platform's limits.

A generic cell-rate algorithm: each lane has a theoretical arrival time that advances by
1/rate per message. A message may go a little early (half an interval), which makes up for
the event loop waking late, yet never lets a lane exceed its rate over any window.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence

TOLERANCE = 0.5
"""How early, in intervals, a message may go."""


class Pacer:
    """Waits until every lane a message counts against may take it (per process)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.arrival: dict[str, float] = {}
        self.lock = asyncio.Lock()

    def _take(self, lanes: Sequence[tuple[str, float]]) -> float:
        """Book the message on every lane if all allow it now; else the seconds to wait."""
        now = self.clock()
        wait = 0.0
        for key, rate in lanes:
            early = self.arrival.get(key, now) - TOLERANCE / rate
            wait = max(wait, early - now)
        if wait > 0.0:
            return wait
        for key, rate in lanes:
            self.arrival[key] = max(self.arrival.get(key, now), now) + 1.0 / rate
        return 0.0

    async def acquire(self, lanes: Sequence[tuple[str, float]]) -> None:
        if not lanes:
            return
        while True:
            async with self.lock:
                wait = self._take(lanes)
            if wait == 0.0:
                return
            await self.sleep(wait)

    def hold(self, lanes: Sequence[tuple[str, float]], seconds: float) -> None:
        """After a 429: nothing more on these lanes for `seconds`."""
        until = self.clock() + seconds
        for key, _ in lanes:
            self.arrival[key] = max(self.arrival.get(key, until), until)
