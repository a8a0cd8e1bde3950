"""The outbox dispatcher: claim due rows under a lease, send, record; retry with backoff.

Several dispatchers (tasks or processes) can run against one database: a claimed row is
leased, so a dispatcher that dies mid-send leaves it for another once the lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from bot.delivery.pacing import Pacer
from bot.delivery.senders import Permanent, RateLimited, Sender, Transient
from bot.runtime import Runtime
from bot.views import view_from_dict
from storage.models import OutboxMessage, Participant
from storage.outbox import claim

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
MAX_BACKOFF = 300.0


def backoff(attempts: int) -> float:
    """Exponential with full jitter, so many failing sends never retry in step."""
    return random.uniform(0.5, 1.0) * min(MAX_BACKOFF, 2.0 ** max(0, attempts - 1))


class Dispatcher:
    def __init__(
        self,
        runtime: Runtime,
        senders: Mapping[str, Sender],
        *,
        batch: int = 100,
        concurrency: int = 16,
        lease: timedelta = timedelta(seconds=60),
        idle_poll: float = 1.0,
    ) -> None:
        self.runtime = runtime
        self.senders = dict(senders)
        self.batch = batch
        self.concurrency = asyncio.Semaphore(concurrency)
        self.lease = lease
        self.idle_poll = idle_poll
        self.pacer = Pacer()

    async def run(self) -> None:
        """Forever: dispatch what is due, then wait for a wake-up or the next poll."""
        while True:
            try:
                busy = await self.dispatch_once()
            except Exception:
                log.exception("outbox dispatch failed; retrying")
                busy = 0
            if busy:
                continue
            self.runtime.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.runtime.wakeup.wait(), self.idle_poll)

    async def drain(self, rounds: int = 1000) -> None:
        """Dispatch until nothing is due (tests and the CLI)."""
        for _ in range(rounds):
            if not await self.dispatch_once():
                return

    async def dispatch_once(self) -> int:
        if not self.senders:
            return 0
        now = datetime.now(UTC)
        async with self.runtime.transaction() as session:
            rows = await claim(
                session, now, limit=self.batch, lease=self.lease, platforms=list(self.senders)
            )
            items = [
                (
                    r.id,
                    r.platform,
                    {**r.destination, "key": r.idempotency_key},
                    r.payload,
                    r.attempts,
                    r.status == "sending",
                )
                for r in rows
            ]
        await asyncio.gather(*(self._deliver(*item) for item in items))
        return len(items)

    async def _deliver(
        self,
        row_id: int,
        platform: str,
        destination: dict[str, Any],
        payload: dict[str, Any],
        attempts: int,
        uncertain: bool,
    ) -> None:
        """Send one row. `uncertain`: an earlier dispatcher's lease ran out mid-send, so the
        message may have gone out; a sender that can look it up is asked first."""
        sender = self.senders[platform]
        view = view_from_dict(payload["view"])
        lanes = sender.lanes(destination)
        async with self.concurrency:
            await self.pacer.acquire(lanes)
            try:
                found = await _find_sent(sender, destination) if uncertain else None
                if found is not None:
                    external = found
                elif destination["to"] == "ref":
                    ref = json.loads(destination["address"])
                    external = await sender.update(ref, destination, view)
                else:
                    external = await sender.send(destination, view)
            except RateLimited as exc:
                self.pacer.hold(lanes, exc.retry_after)
                await self._later(row_id, attempts, exc.retry_after, str(exc), count=False)
            except Transient as exc:
                await self._retry(row_id, attempts + 1, str(exc))
            except Permanent as exc:
                await self._give_up(row_id, destination, str(exc))
            except Exception as exc:
                log.exception("sending outbox row %s failed", row_id)
                await self._retry(row_id, attempts + 1, f"{type(exc).__name__}: {exc}")
            else:
                await self._sent(row_id, platform, external, payload.get("prompt_for"))

    async def _sent(
        self,
        row_id: int,
        platform: str,
        external: dict[str, Any],
        prompt_for: dict[str, Any] | None,
    ) -> None:
        async with self.runtime.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id)
                .values(
                    status="sent",
                    sent_at=datetime.now(UTC),
                    external_ref=external,
                    lease_until=None,
                )
            )
            if prompt_for:
                await session.execute(
                    update(Participant)
                    .where(
                        Participant.round_id == prompt_for["round"],
                        Participant.user_id == prompt_for["user"],
                        Participant.prompt_ref.is_(None),
                    )
                    .values(prompt_ref=external)
                )
        self.runtime.metrics.outbox_sent.labels(platform).inc()

    async def _later(
        self, row_id: int, attempts: int, delay: float, reason: str, *, count: bool
    ) -> None:
        async with self.runtime.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id)
                .values(
                    status="pending",
                    attempts=attempts + (1 if count else 0),
                    next_attempt_at=datetime.now(UTC) + timedelta(seconds=delay),
                    lease_until=None,
                    last_error=reason,
                )
            )

    async def _retry(self, row_id: int, attempts: int, reason: str) -> None:
        if attempts >= MAX_ATTEMPTS:
            await self._give_up(row_id, None, f"gave up after {attempts} attempts: {reason}")
            return
        await self._later(row_id, attempts - 1, backoff(attempts), reason, count=True)

    async def _give_up(self, row_id: int, destination: dict[str, Any] | None, reason: str) -> None:
        log.warning("outbox row %s failed for good: %s", row_id, reason)
        async with self.runtime.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id)
                .values(status="failed", last_error=reason[:2000], lease_until=None)
            )
            if destination and destination.get("to") == "user":
                # The leader's status counts unreachable members; it never names them.
                row = await session.get(OutboxMessage, row_id)
                round_id = _round_of(row.idempotency_key if row else "")
                if round_id is not None:
                    await session.execute(
                        update(Participant)
                        .where(
                            Participant.round_id == round_id,
                            Participant.user_id == destination["address"],
                        )
                        .values(unreachable=reason[:255])
                    )


async def _find_sent(sender: Sender, destination: dict[str, Any]) -> dict[str, Any] | None:
    find = getattr(sender, "find_sent", None)
    if find is None:
        return None
    result: dict[str, Any] | None = await find(destination)
    return result


def _round_of(key: str) -> int | None:
    parts = key.split(":")
    if len(parts) > 1 and parts[0] == "round" and parts[1].isdigit():
        return int(parts[1])
    return None
