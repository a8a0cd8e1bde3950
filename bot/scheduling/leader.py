"""Which replica runs the scheduler: the holder of a PostgreSQL advisory lock.

The lock lives on one dedicated connection that is heartbeated; when the holder dies its
connection drops, PostgreSQL releases the lock, and another replica takes it on its next
try. On SQLite there is one process, and it always leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage import locks

log = logging.getLogger(__name__)
INTERVAL = 5.0


class LeaderLock:
    def __init__(
        self,
        engine: AsyncEngine,
        on_elected: Callable[[], Awaitable[None]],
        on_deposed: Callable[[], Awaitable[None]],
        interval: float = INTERVAL,
    ) -> None:
        self.engine = engine
        self.on_elected = on_elected
        self.on_deposed = on_deposed
        self.interval = interval
        self.connection: AsyncConnection | None = None
        self.leading = False
        self.failing = False
        """The last try failed: said once, not every `interval` while the database is away."""

    async def run(self) -> None:
        """Forever: try to lead; while leading, heartbeat; step down if the connection fails."""
        if not locks.shared_by_replicas(self.engine):
            self.leading = True
            await self.on_elected()
            await asyncio.Event().wait()
        try:
            while True:
                await self._step()
                await asyncio.sleep(self.interval)
        finally:
            await self._release()

    async def _step(self) -> None:
        try:
            if self.connection is None:
                self.connection = await locks.open_connection(self.engine)
                if self.failing:
                    log.info("leader lock connection open again")
                    self.failing = False
            if self.leading:
                await locks.heartbeat(self.connection)
                return
            if await locks.try_lead(self.connection):
                self.leading = True
                log.info("this replica now runs the scheduler")
                await self.on_elected()
        except Exception as exc:
            if not self.failing or self.leading:
                log.warning("leader lock connection failed (%s); stepping down", exc)
            self.failing = True
            await self._release()

    async def _release(self) -> None:
        if self.leading:
            self.leading = False
            await self.on_deposed()
        if self.connection is not None:
            # Invalidate rather than return to the pool: closing the socket is what
            # guarantees the session-level lock is released.
            with contextlib.suppress(Exception):
                await self.connection.invalidate()
            with contextlib.suppress(Exception):
                await self.connection.close()
            self.connection = None
