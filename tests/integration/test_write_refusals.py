"""A database that refuses writes (read-only, full) or cannot be reached: the dispatcher backs
off and says so once, instead of a traceback twice a second, and picks up again when it can
write."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.config import load_settings
from bot.delivery.dispatcher import Dispatcher
from bot.runtime import MAX_PAUSE, Runtime, open_runtime
from bot.scheduling.jobs import RUNTIMES, run_job
from bot.scheduling.service import SCHEDULERS, sync_jobs
from bot.views import Message, View, view_to_dict
from storage import health
from storage.models import OutboxMessage
from storage.outbox import enqueue
from tests.support.processes import free_port, until
from tests.support.read_only import refuse_writes


class Recorder:
    """A sender that only remembers what it was given."""

    platform = "test"

    def __init__(self) -> None:
        self.sent: list[str] = []

    def lanes(self, destination: dict[str, Any]) -> list[tuple[str, float]]:
        return []

    async def send(self, destination: dict[str, Any], view: View) -> dict[str, Any]:
        self.sent.append(str(destination["key"]))
        return {"id": destination["key"]}

    async def update(
        self, ref: dict[str, Any], destination: dict[str, Any], view: View
    ) -> dict[str, Any]:
        raise AssertionError("no updates here")


async def queue(runtime: Runtime, keys: list[str]) -> None:
    view = view_to_dict(Message("hej"))
    rows = [
        {
            "platform": "test",
            "idempotency_key": key,
            "destination": {"to": "channel", "address": "C1"},
            "payload": {"view": view},
        }
        for key in keys
    ]
    async with runtime.transaction() as session:
        await enqueue(session, rows)


def counted(dispatcher: Dispatcher, enough_after: int = 8) -> tuple[list[float], asyncio.Event]:
    """The dispatcher's pauses, instead of waiting them out; the event is set after a few."""
    pauses: list[float] = []
    enough = asyncio.Event()

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) >= enough_after:
            enough.set()
        await asyncio.sleep(0)

    dispatcher.sleep = pause
    return pauses, enough


async def test_a_read_only_database_makes_the_dispatcher_back_off_and_recover(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await queue(runtime, ["a", "b"])
    sender = Recorder()
    dispatcher = Dispatcher(runtime, {"test": sender}, idle_poll=0.01)
    pauses, enough = counted(dispatcher)
    await refuse_writes(runtime.engine)
    loop = asyncio.create_task(dispatcher.run())
    try:
        await asyncio.wait_for(enough.wait(), 30)
        refused = pauses[:]
        assert refused[:6] == [1.0, 2.0, 4.0, 8.0, 16.0, MAX_PAUSE]
        assert set(refused[6:]) == {MAX_PAUSE}
        assert sender.sent == []

        await refuse_writes(runtime.engine, False)

        async def delivered() -> bool:
            async with runtime.sessions() as session:
                statuses = (await session.scalars(select(OutboxMessage.status))).all()
            return set(statuses) == {"sent"} and "writable again" in caplog.text

        await until(delivered, within=30, what="the queued rows sent once writable", every=0.02)
        lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    finally:
        loop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await loop
    assert sorted(sender.sent) == ["a", "b"]
    assert [r.getMessage().split(":")[0] for r in lines] == [
        "database not writable, backing off",
        f"database writable again after {len(pauses)} refused writes",
    ]
    assert not [r for r in lines if r.exc_info]


@pytest.fixture
async def gone() -> AsyncIterator[Runtime]:
    """A runtime whose PostgreSQL server is not there (nothing listens on its port)."""
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/x"
    async with open_runtime(load_settings(database_url=url), migrate=False) as runtime:
        yield runtime


async def test_an_unreachable_database_makes_the_dispatcher_back_off_quietly(
    gone: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    """The database server is down: one line says so, not a traceback per attempt."""
    caplog.set_level(logging.INFO)
    dispatcher = Dispatcher(gone, {"test": Recorder()}, idle_poll=0.01)
    pauses, enough = counted(dispatcher)
    loop = asyncio.create_task(dispatcher.run())
    try:
        await asyncio.wait_for(enough.wait(), 30)
    finally:
        loop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await loop
    assert pauses[:6] == [1.0, 2.0, 4.0, 8.0, 16.0, MAX_PAUSE]
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().split(":")[0] for r in lines] == ["database unreachable, backing off"]
    assert not [r for r in lines if r.exc_info]


async def test_the_scheduler_jobs_say_once_that_the_database_is_away(
    gone: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    """The job sync runs every ten seconds, a due job when it is due: neither raises into
    APScheduler (which would log a traceback each time) while the database is away."""
    caplog.set_level(logging.INFO)
    name = "gone"
    RUNTIMES[name], SCHEDULERS[name] = gone, AsyncIOScheduler()
    try:
        for _ in range(3):
            await sync_jobs(name)
            await run_job(name, 1)
    finally:
        del RUNTIMES[name], SCHEDULERS[name]
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().split(":")[0] for r in lines] == ["database unreachable, backing off"]


def sqlite_error(text: str, code: int) -> Exception:
    error = Exception(text)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


def postgres_error(state: str, text: str) -> Exception:
    error = Exception(text)
    error.sqlstate = state  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    "error",
    [
        "attempt to write a readonly database",
        "database or disk is full",
        "cannot execute UPDATE in a read-only transaction",
    ],
)
def test_write_refusals_are_told_from_other_failures(error: str) -> None:
    assert health.refuses_writes(OperationalError("UPDATE outbox", {}, Exception(error)))
    assert not health.refuses_writes(OperationalError("UPDATE", {}, Exception("syntax error")))
    assert not health.refuses_writes(ValueError("a bug"))


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)"),
        TimeoutError(),
        OperationalError("SELECT", {}, sqlite_error("unable to open database file", 14)),
        OperationalError("SELECT", {}, postgres_error("57P03", "the database is starting up")),
        OperationalError("SELECT", {}, postgres_error("08006", "connection failure")),
    ],
)
def test_a_database_out_of_reach_is_told_from_other_failures(error: Exception) -> None:
    assert health.unreachable(error) and health.unavailable(error)
    assert not health.refuses_writes(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("a bug"),
        OperationalError("SELECT", {}, sqlite_error("no such table: rounds", 1)),
        OperationalError("SELECT", {}, postgres_error("42601", "syntax error")),
    ],
)
def test_a_failure_of_the_work_itself_is_not_the_database_being_away(error: Exception) -> None:
    assert not health.unavailable(error)
