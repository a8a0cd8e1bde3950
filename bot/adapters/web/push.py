"""Server-sent events: tell each open page when a conversation it shows has changed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

CLOSE = "close"


class Broker:
    """Per-process fan-out; the playground runs as one process, so this is all it needs."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[str]] = set()

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[str]]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=100)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    def publish(self, topic: str = "changed") -> None:
        for queue in list(self._queues):
            if not queue.full():
                queue.put_nowait(topic)

    async def close(self) -> None:
        """End every open stream, so the server can shut down without waiting for them."""
        for queue in list(self._queues):
            while queue.full():
                queue.get_nowait()
            queue.put_nowait(CLOSE)
