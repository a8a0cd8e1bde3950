"""The running process's shared parts, built once and handed to adapters and services."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.metrics import Metrics
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    metrics: Metrics
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)

    def wake_dispatchers(self) -> None:
        """New outbox rows are committed: dispatchers in this process look now, not later."""
        self.wakeup.set()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: the state change and its outbound messages commit together."""
        async with self.sessions() as session, session.begin():
            yield session


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, migrate: bool = True, metrics: Metrics | None = None
) -> AsyncIterator[Runtime]:
    """Engine, schema at head, and clean disposal; the CLI and the server both start here."""
    engine = create_engine(settings.database_url)
    try:
        if migrate:
            await upgrade(engine)
        yield Runtime(settings, engine, session_factory(engine), metrics or Metrics())
    finally:
        await engine.dispose()


RUNTIME = web.AppKey("runtime", Runtime)
"""Where the aiohttp application keeps the runtime once it has started."""
