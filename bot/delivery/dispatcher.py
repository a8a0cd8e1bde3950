"""The outbox dispatcher: claim due rows under a lease, send, record; retry with backoff.

Several dispatchers (tasks or processes) can run against one database: a claimed row is
leased, so a dispatcher that dies mid-send leaves it for another once the lease runs out.
A live dispatcher keeps renewing the leases of the batch it is sending, so a batch that
takes long (a slow pacing lane, a long Retry-After) is never taken over while it is sent.
Results of a batch are recorded in one transaction, which keeps the database off the hot
path of a large fan-out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.outbox import emit_steps
from bot.delivery.pacing import Pacer
from bot.delivery.senders import Permanent, RateLimited, Sender, Step, Transient
from bot.runtime import Runtime
from bot.views import View, view_from_dict
from storage import health, outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
MAX_BACKOFF = 300.0


def backoff(attempts: int) -> float:
    """Exponential with full jitter, so many failing sends never retry in step."""
    return random.uniform(0.5, 1.0) * min(MAX_BACKOFF, 2.0 ** max(0, attempts - 1))


@dataclass(frozen=True)
class Job:
    row_id: int
    platform: str
    key: str
    destination: dict[str, Any]
    payload: dict[str, Any]
    attempts: int
    uncertain: bool
    """An earlier dispatcher's lease ran out mid-send: the message may have gone out."""


@dataclass(frozen=True)
class Result:
    job: Job
    external: dict[str, Any] | None = None
    retry_in: float | None = None
    counts: bool = True
    failure: str | None = None
    final: bool = False
    steps: tuple[Step, ...] = ()
    """What follows this message, queued as rows of their own when it is recorded."""


@dataclass(frozen=True)
class Delivered:
    """A row's destination and payload, and the platform's reference to it once sent (None:
    failed for good)."""

    destination: dict[str, Any]
    payload: dict[str, Any]
    external: dict[str, Any] | None
    failure: str | None = None


Hook = Callable[[AsyncSession, Sequence[Delivered]], Awaitable[None]]
"""Told, in the transaction that records them, which messages were sent or failed for good."""


async def _no_hook(_session: AsyncSession, _done: Sequence[Delivered]) -> None:
    return None


class Dispatcher:
    def __init__(
        self,
        runtime: Runtime,
        senders: Mapping[str, Sender],
        *,
        on_sent: Hook = _no_hook,
        on_failed: Hook = _no_hook,
        batch: int = 100,
        concurrency: int = 16,
        lease: timedelta = timedelta(seconds=60),
        idle_poll: float = 1.0,
        workers: int = 2,
    ) -> None:
        self.runtime = runtime
        self.senders = dict(senders)
        self.batch = batch
        self.concurrency = asyncio.Semaphore(concurrency)
        self.lease = lease
        self.idle_poll = idle_poll
        self.workers = workers
        self.pacer = Pacer()
        self.on_sent = on_sent
        self.on_failed = on_failed
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        """How the loop waits out a database that refuses writes (tests count the pauses)."""

    async def run(self) -> None:
        """Forever, with overlapping workers: while one batch is sent (paced), the next is
        claimed and the last one recorded, so a rate-limited lane never sits idle."""
        # A task group, not gather: when the server stops, run() returns only after every
        # worker has finished its transaction, so none outlives the engine.
        async with asyncio.TaskGroup() as group:
            for _ in range(self.workers):
                group.create_task(self._work())

    async def _work(self) -> None:
        while True:
            try:
                busy = await self.dispatch_once()
            except Exception as exc:
                if health.unavailable(exc):
                    # Read-only, full or gone: every attempt fails alike until it is back.
                    await self.sleep(self.runtime.writes_ok.refused(exc))
                    continue
                log.exception("outbox dispatch failed; retrying")
                busy = 0
            if busy:
                # Claiming the rows was a write: only that shows the database writable.
                self.runtime.writes_ok.accepted()
                continue
            self.runtime.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.runtime.wakeup.wait(), self.idle_poll)

    async def drain(self, rounds: int = 1000) -> None:
        """Dispatch until nothing is due (tests and the CLI)."""
        for _ in range(rounds):
            done = await asyncio.gather(*(self.dispatch_once() for _ in range(self.workers)))
            if not any(done):
                return

    async def dispatch_once(self) -> int:
        if not self.senders:
            return 0
        now = datetime.now(UTC)
        async with self.runtime.transaction() as session:
            rows = await outbox.claim(
                session, now, limit=self.batch, lease=self.lease, platforms=list(self.senders)
            )
            jobs = [
                Job(
                    r.id,
                    r.platform,
                    r.idempotency_key,
                    {**r.destination, "key": r.idempotency_key},
                    r.payload,
                    r.attempts,
                    r.status == "sending",
                )
                for r in rows
            ]
        if jobs:
            keeper = asyncio.create_task(self._keep_leases([job.row_id for job in jobs]))
            try:
                results = await asyncio.gather(*(self._deliver(job) for job in jobs))
            finally:
                keeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keeper
            await self._record(results)
        return len(jobs)

    async def _keep_leases(self, row_ids: Sequence[int]) -> None:
        """Renew the batch's leases every third of a lease until it is recorded: a lease
        then runs out only when its dispatcher is gone, never because sending is slow."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                async with self.runtime.transaction() as session:
                    until = datetime.now(UTC) + self.lease
                    await outbox.renew_leases(session, row_ids, until)
            except Exception:
                log.exception("renewing the leases of %d outbox rows failed", len(row_ids))

    async def _deliver(self, job: Job) -> Result:
        sender = self.senders[job.platform]
        lanes = sender.lanes(job.destination)
        async with self.concurrency:
            await self.pacer.acquire(lanes)
            try:
                view = view_from_dict(job.payload["view"])
                found = await _find_sent(sender, job.destination) if job.uncertain else None
                if found is not None:
                    return _sent(sender, job, view, found)
                if job.destination["to"] == "ref":
                    ref = json.loads(job.destination["address"])
                    return Result(job, external=await sender.update(ref, job.destination, view))
                return _sent(sender, job, view, await sender.send(job.destination, view))
            except RateLimited as exc:
                self.pacer.hold(lanes, exc.retry_after)
                return Result(job, retry_in=exc.retry_after, counts=False, failure=str(exc))
            except Transient as exc:
                return _retry(job, str(exc))
            except Permanent as exc:
                return Result(job, failure=str(exc), final=True)
            except Exception as exc:
                log.exception("sending outbox row %s failed", job.row_id)
                return _retry(job, f"{type(exc).__name__}: {exc}")

    async def _record(self, results: Sequence[Result]) -> None:
        now = datetime.now(UTC)
        sent = [r for r in results if r.external is not None]
        failed = [r for r in results if r.external is None and r.final]
        async with self.runtime.transaction() as session:
            await outbox.mark_sent(session, [(r.job.row_id, r.external or {}) for r in sent], now)
            for r in sent:
                if r.steps:
                    view = r.job.payload["view"]
                    await emit_steps(session, r.job.platform, r.job.key, view, r.steps)
            for result in results:
                if result.external is None:
                    await _record_failure(session, result, now)
            if sent:
                await self.on_sent(
                    session, [Delivered(r.job.destination, r.job.payload, r.external) for r in sent]
                )
            if failed:
                await self.on_failed(
                    session,
                    [Delivered(r.job.destination, r.job.payload, None, r.failure) for r in failed],
                )
        for result in sent:
            self.runtime.metrics.outbox_sent.labels(result.job.platform).inc()
        if any(r.steps for r in sent):
            self.runtime.wake_dispatchers()


def _sent(sender: Sender, job: Job, view: View, external: dict[str, Any]) -> Result:
    """A message is out; a multi-step sender names what follows it."""
    steps = getattr(sender, "steps", None)
    following = tuple(steps(job.destination, view, external)) if steps is not None else ()
    return Result(job, external=external, steps=following)


def _retry(job: Job, reason: str) -> Result:
    if job.attempts + 1 >= MAX_ATTEMPTS:
        return Result(
            job, failure=f"gave up after {job.attempts + 1} attempts: {reason}", final=True
        )
    return Result(job, retry_in=backoff(job.attempts + 1), failure=reason)


async def _record_failure(session: AsyncSession, result: Result, now: datetime) -> None:
    job = result.job
    reason = (result.failure or "")[:2000]
    if not result.final:
        attempts = job.attempts + (1 if result.counts else 0)
        when = now + timedelta(seconds=result.retry_in or 0.0)
        await outbox.retry_later(session, job.row_id, attempts, when, reason)
        return
    log.warning("outbox row %s failed for good: %s", job.row_id, reason)
    await outbox.mark_failed(session, job.row_id, reason)


async def _find_sent(sender: Sender, destination: dict[str, Any]) -> dict[str, Any] | None:
    find = getattr(sender, "find_sent", None)
    if find is None:
        return None
    result: dict[str, Any] | None = await find(destination)
    return result
