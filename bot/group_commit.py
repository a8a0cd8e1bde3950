"""Group commit: units of work that arrive while a transaction commits share the next one.

A member's click must be stored before it is acked, and a transaction per click makes the
commit (and, on SQLite, the one writer connection) the bottleneck under a launch-day storm.
Here each caller queues its item and waits; one drain task takes everything queued, runs
`work` over the whole batch in ONE transaction and resolves every caller only after that
commit. With no load a batch is a single item and nothing waits; under load a batch is what
arrived during the previous commit. If a batch fails, each item is retried alone, so one
bad click never costs the others their answer and its caller gets its own error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

Item = TypeVar("Item")
Result = TypeVar("Result")
Work = Callable[[AsyncSession, Sequence[Item]], Awaitable[list[Result]]]
Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]

MAX_BATCH = 256
"""Enough to drain a storm quickly, few enough that one batch's locks are held briefly."""


@dataclass
class _Waiting(Generic[Item, Result]):
    item: Item
    done: asyncio.Future[Result] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class GroupCommit(Generic[Item, Result]):
    def __init__(
        self,
        transaction: Transaction,
        work: Work[Item, Result],
    ) -> None:
        self.transaction = transaction
        self.work = work
        self.queue: list[_Waiting[Item, Result]] = []
        self.drainer: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """The item's result, once the transaction that holds it has committed."""
        waiting: _Waiting[Item, Result] = _Waiting(item)
        self.queue.append(waiting)
        if self.drainer is None or self.drainer.done():
            self.drainer = asyncio.create_task(self._drain())
        return await asyncio.shield(waiting.done)

    async def _drain(self) -> None:
        while self.queue:
            batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
            if len(batch) == 1:
                await self._alone(batch[0])
                continue
            try:
                results = await self._commit([w.item for w in batch])
            except Exception:
                for waiting in batch:
                    await self._alone(waiting)
                continue
            for waiting, result in zip(batch, results, strict=True):
                waiting.done.set_result(result)

    async def _alone(self, waiting: _Waiting[Item, Result]) -> None:
        """One item in its own transaction; its failure is its caller's."""
        try:
            [result] = await self._commit([waiting.item])
        except Exception as exc:
            waiting.done.set_exception(exc)
        else:
            waiting.done.set_result(result)

    async def _commit(self, items: Sequence[Item]) -> list[Result]:
        async with self.transaction() as session:
            return await self.work(session, items)
