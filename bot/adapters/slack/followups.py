"""Replies that go out right after the ack: the clicked message updated, a refusal shown.

The state change they show is already committed when the ack leaves, so a lost follow-up
costs a stale view, never an answer. They run in order per message: two quick clicks on
one prompt can never leave the older view showing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

log = logging.getLogger(__name__)


class FollowUps:
    def __init__(self) -> None:
        self._last: dict[str, asyncio.Task[None]] = {}
        self._running: set[asyncio.Task[None]] = set()

    def after(self, key: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` once every earlier follow-up with the same key has finished."""
        task = asyncio.ensure_future(self._run(self._last.get(key), work))
        self._last[key] = task
        self._running.add(task)
        task.add_done_callback(partial(self._done, key))

    def _done(self, key: str, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if self._last.get(key) is task:
            del self._last[key]

    @staticmethod
    async def _run(
        previous: asyncio.Task[None] | None, work: Callable[[], Awaitable[None]]
    ) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        try:
            await work()
        except Exception:
            log.exception("a Slack follow-up failed")

    async def settle(self) -> None:
        """Wait until nothing is pending (shutdown, tests)."""
        while self._running:
            await asyncio.wait(set(self._running))
