"""Deadlines and reminders as rows: idempotent jobs, a scheduler rebuilt after downtime,
and one leader among replicas."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.scheduling.jobs import execute
from bot.scheduling.leader import LeaderLock
from bot.scheduling.service import Scheduler
from storage import locks
from storage.engine import create_engine
from storage.models import OutboxMessage, Round, ScheduledJob
from tests.support.processes import free_port, until
from tests.support.world import World, make_profile


async def _jobs(runtime: Runtime) -> list[ScheduledJob]:
    async with runtime.sessions() as session:
        return list(
            (await session.scalars(select(ScheduledJob).order_by(ScheduledJob.due_at))).all()
        )


async def _status(runtime: Runtime) -> str:
    async with runtime.sessions() as session:
        return str(await session.scalar(select(Round.status)))


async def _outbox(runtime: Runtime, fragment: str) -> int:
    async with runtime.sessions() as session:
        query = select(func.count()).where(OutboxMessage.idempotency_key.contains(fragment))
        return int(await session.scalar(query) or 0)


@pytest.fixture
async def world(runtime: Runtime) -> World:
    await make_profile(runtime, {"M02": 4, "M05": 3, "M13": 3})
    return World(runtime)


async def test_a_short_round_gets_a_deadline_and_no_automatic_reminders(world: World) -> None:
    await world.say("lea", "start 30m")
    jobs = await _jobs(world.runtime)
    assert [(j.kind, j.due_at) for j in jobs] == [("close", world.now + timedelta(minutes=30))]


async def test_the_deadline_job_closes_once(world: World) -> None:
    await world.say("lea", "start 30m")
    (job,) = await _jobs(world.runtime)
    assert not await execute(world.runtime, job.id, job.due_at - timedelta(seconds=1))
    assert await _status(world.runtime) == "open"
    assert await execute(world.runtime, job.id, job.due_at)
    assert await _status(world.runtime) == "closed"
    assert not await execute(world.runtime, job.id, job.due_at + timedelta(seconds=5))
    assert await _outbox(world.runtime, ":summary") == 1


async def test_a_week_long_round_reminds_only_the_unfinished(world: World) -> None:
    await world.say("lea", "start 7d")  # opened Monday 30 November 2026, 10:00 local
    jobs = await _jobs(world.runtime)
    reminders = [j for j in jobs if j.kind == "remind"]
    assert len(reminders) == 2 and jobs[-1].kind == "close"
    await world.answer_all("ali", [1, 2, 3])
    assert await execute(world.runtime, reminders[0].id, reminders[0].due_at)
    assert not await execute(world.runtime, reminders[0].id, reminders[0].due_at)
    await world.dispatcher.drain()
    assert len(world.recorder.to("ali")) == 1  # only the intro
    assert [len(world.recorder.to(w)) for w in ("lea", "bea", "cai")] == [2, 2, 2]


async def test_a_deadline_passed_during_downtime_closes_at_start(world: World) -> None:
    await world.say("lea", "start 1m")
    async with world.runtime.transaction() as session:
        job = await session.scalar(select(ScheduledJob))
        assert job is not None
        job.due_at = datetime.now(UTC) - timedelta(hours=2)  # the bot was down meanwhile
        round_ = await session.scalar(select(Round))
        assert round_ is not None
        round_.deadline = job.due_at
    scheduler = Scheduler(world.runtime)
    await scheduler.start()
    try:

        async def closed() -> bool:
            return await _status(world.runtime) == "closed"

        await until(closed, within=30, what="the overdue round closes")
    finally:
        await scheduler.stop()
    assert await _outbox(world.runtime, ":summary") == 1


async def test_one_leader_and_a_quick_takeover(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; SQLite runs one process")
    events: list[str] = []

    def recorder(name: str, what: str) -> Callable[[], Awaitable[None]]:
        async def record() -> None:
            events.append(f"{name} {what}")

        return record

    first = LeaderLock(runtime.engine, recorder("a", "leads"), recorder("a", "stops"), 0.1)
    second = LeaderLock(runtime.engine, recorder("b", "leads"), recorder("b", "stops"), 0.1)
    tasks = [asyncio.create_task(first.run())]
    await until(lambda: events == ["a leads"], within=30, what="a leads")
    tasks.append(asyncio.create_task(second.run()))
    await asyncio.sleep(0.5)  # b tries several times meanwhile
    assert events == ["a leads"]
    tasks[0].cancel()  # the leader dies; its connection, and so its lock, goes with it
    await asyncio.gather(tasks[0], return_exceptions=True)
    await until(lambda: len(events) == 3, within=30, what="b takes over")
    assert events == ["a leads", "a stops", "b leads"]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_a_database_that_is_away_is_reported_once_not_every_try(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/x")
    tries: list[int] = []
    real_open = locks.open_connection

    async def counted(*args: Any) -> Any:
        tries.append(1)
        return await real_open(*args)

    async def nothing() -> None:
        pass

    monkeypatch.setattr(locks, "open_connection", counted)
    leader = LeaderLock(engine, nothing, nothing, 0.01)
    task = asyncio.create_task(leader.run())
    try:
        await until(lambda: len(tries) >= 5, within=30, what="five tries")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await engine.dispose()
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(said) == 1 and said[0].startswith("leader lock connection failed")
