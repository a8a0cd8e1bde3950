"""The running process's shared parts, built once and handed to adapters and services."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.group_commit import GroupCommit, Work
from bot.metrics import Metrics
from storage import health
from storage.engine import create_engine, create_read_engine, session_factory
from storage.migrate import upgrade

log = logging.getLogger(__name__)
FIRST_PAUSE = 1.0
MAX_PAUSE = 30.0


class Writability:
    """Whether the database takes this process's writes, as its loops last found out.

    A read-only, full or unreachable database fails every write until an operator acts or
    the server is back: the loops that write (the dispatcher, scheduled jobs, the health
    probe) report here, which logs one line per change of state, not one traceback per
    attempt, and paces their retries.
    """

    def __init__(self) -> None:
        self.refusals = 0

    @property
    def writable(self) -> bool:
        return self.refusals == 0

    def refused(self, exc: BaseException) -> float:
        """A write was refused: the seconds to wait, doubling up to MAX_PAUSE."""
        if self.refusals == 0:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            log.error("database %s, backing off: %s", health.state(exc), reason[:300])
        self.refusals += 1
        return min(MAX_PAUSE, FIRST_PAUSE * 2.0 ** (self.refusals - 1))

    @contextmanager
    def reported(self) -> Iterator[None]:
        """A periodic job's block: failing for want of the database, it is reported here
        and not raised (the scheduler would log a traceback each run); the next run retries."""
        try:
            yield
        except Exception as exc:
            if not health.unavailable(exc):
                raise
            self.refused(exc)

    def accepted(self) -> None:
        """A write went through."""
        if self.refusals:
            log.warning("database writable again after %d refused writes", self.refusals)
        self.refusals = 0


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    """Sessions for reading (on SQLite, connections other than the one writer)."""
    metrics: Metrics
    writes: async_sessionmaker[AsyncSession]
    """Sessions for transactions (on SQLite, the one writer connection)."""
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    groups: dict[object, GroupCommit[Any, Any]] = field(default_factory=dict)
    writes_ok: Writability = field(default_factory=Writability)

    def wake_dispatchers(self) -> None:
        """New outbox rows are committed: dispatchers in this process look now, not later."""
        self.wakeup.set()

    def group_commit(self, work: Work[Any, Any]) -> GroupCommit[Any, Any]:
        """The process's one group commit for `work`, shared by every channel's turns."""
        if work not in self.groups:
            self.groups[work] = GroupCommit(self.transaction, work)
        return self.groups[work]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: the state change and its outbound messages commit together."""
        async with self.writes() as session, session.begin():
            yield session


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, migrate: bool = True, metrics: Metrics | None = None
) -> AsyncIterator[Runtime]:
    """Engine, schema at head, and clean disposal; the CLI and the server both start here."""
    engine = create_engine(settings.database_url)
    reader = create_read_engine(settings.database_url, engine)
    try:
        if migrate:
            await upgrade(engine)
        yield Runtime(
            settings,
            engine,
            session_factory(reader),
            metrics or Metrics(),
            session_factory(engine),
        )
    finally:
        if reader is not engine:
            await reader.dispose()
        await engine.dispose()


RUNTIME = web.AppKey("runtime", Runtime)
"""Where the aiohttp application keeps the runtime once it has started."""
