"""Process-level proofs of issue 5, with real `kompetencebot serve` processes on PostgreSQL.

- kill -9 in the middle of a 1,000-prompt fan-out, then a new process on the same database:
  every member gets exactly one prompt, the channel one announcement;
- two replicas: exactly one runs the scheduler, both dispatch, nobody is prompted or
  reminded twice; kill -9 the leader and the other takes over and runs a due job;
- two dispatchers on one database, one of them sending a batch slower than its lease: the
  other never takes that batch over while it is being sent.

The fake Slack Web API runs in the test process; each message is counted at the fake by
the outbox key the Slack sender puts in its message metadata.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from bot.config import load_settings
from bot.delivery.dispatcher import Dispatcher
from bot.runtime import open_runtime
from bot.views import Message, View, view_to_dict
from storage.locks import LEADER_KEY as LOCK_KEY
from storage.models import OutboxMessage, Participant, Round, ScheduledJob
from storage.outbox import counts_by_status, enqueue
from tests.conftest import reset_postgres
from tests.fakes.slack_api import FakeSlack
from tests.support.processes import (
    CHANNEL,
    Server,
    dms,
    import_profile,
    people,
    posts,
    server_env,
    slash_command,
    until,
    workspace,
)

pytestmark = pytest.mark.postgres

MEMBERS = people(1000)
LEADER = MEMBERS[0]
ROWS = len(MEMBERS) + 1
"""A round's launch: one intro prompt per member and the channel's announcement."""


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
async def database(postgres_url: str) -> str:
    await reset_postgres(postgres_url)
    return postgres_url


@pytest.fixture
async def db(database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with workspace(MEMBERS) as slack:
        yield slack


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        yield session


@pytest.fixture
async def env(database: str, fake: FakeSlack, tmp_path: Path) -> dict[str, str]:
    """The servers' environment, with the team's profile imported as an operator would."""
    variables = server_env(database, fake)
    await import_profile(variables, tmp_path, LEADER)
    return variables


@pytest.fixture
async def launch(env: dict[str, str], tmp_path: Path) -> AsyncIterator[Callable[[str], Server]]:
    """Start a named server; every one started is stopped (or reaped) afterwards."""
    started: list[Server] = []

    def start(name: str) -> Server:
        server = Server(name, env, tmp_path)
        started.append(server)
        server.start()
        return server

    try:
        yield start
    finally:
        for server in started:
            await server.stop()


# -- the database, as the test sees it ------------------------------------------------------------


async def outbox_settled(db: AsyncEngine, rows: int) -> bool:
    """Every row sent and recorded: nothing pending, nothing in flight, nothing failed."""
    async with AsyncSession(db) as session:
        return await counts_by_status(session) == {"sent": rows}


async def round_id(db: AsyncEngine) -> int | None:
    async with AsyncSession(db) as session:
        return await session.scalar(select(Round.id))


async def keys_with_status(db: AsyncEngine, status: str) -> set[str]:
    async with AsyncSession(db) as session:
        query = select(OutboxMessage.idempotency_key).where(OutboxMessage.status == status)
        return set((await session.scalars(query)).all())


async def scheduler_locks(db: AsyncEngine) -> int:
    """Holders of the leader's advisory lock in this database (advisory locks are per database)."""
    query = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid::bigint = :high AND objid::bigint = :low AND objsubid = 1"
    )
    async with db.connect() as connection:
        held = await connection.scalar(
            query, {"high": LOCK_KEY >> 32, "low": LOCK_KEY & 0xFFFFFFFF}
        )
    return int(held or 0)


def expect_one_each(seen: dict[tuple[str, str], int], expected: set[tuple[str, str]]) -> None:
    missing = sorted(expected - set(seen))
    extra = sorted(set(seen) - expected)
    twice = sorted((to, key, n) for (to, key), n in seen.items() if n != 1)
    assert not missing, f"{len(missing)} never sent, e.g. {missing[:5]}"
    assert not extra, f"{len(extra)} unexpected, e.g. {extra[:5]}"
    assert not twice, f"{len(twice)} sent more than once, e.g. {twice[:5]}"


def intros(round_: int) -> set[tuple[str, str]]:
    return {(user, f"round:{round_}:intro:{user}") for user in MEMBERS}


def channel_posts(fake: FakeSlack) -> dict[tuple[str, str], int]:
    return {(to, key): n for (to, key), n in posts(fake).items() if not to.startswith("U")}


@pytest.fixture
def timer() -> Iterator[Callable[[str], None]]:
    """Phase timings, printed at the end (visible with -s) to keep an eye on the budget."""
    started = time.monotonic()
    marks: list[tuple[str, float]] = []
    yield lambda phase: marks.append((phase, time.monotonic() - started))
    print("\n" + "\n".join(f"  {at:6.1f} s  {phase}" for phase, at in marks))


# -- kill -9 in the middle of a fan-out -----------------------------------------------------------


async def test_kill_9_during_a_fan_out_prompts_every_member_exactly_once(
    db: AsyncEngine,
    fake: FakeSlack,
    http: aiohttp.ClientSession,
    launch: Callable[[str], Server],
    timer: Callable[[str], None],
) -> None:
    first = launch("first")
    await first.ready(http)
    timer("first server up")
    await slash_command(http, first, fake, LEADER, "start 3d")
    await until(
        lambda: len(dms(fake, "intro")) >= 150,
        within=90,
        what="the first 150 prompts reach Slack",
        servers=[first],
    )
    await first.kill()
    timer("first server killed")

    delivered = {key for _, key in dms(fake, "intro")}
    assert 100 <= len(delivered) < 900, f"killed after {len(delivered)} prompts"
    in_flight = await keys_with_status(db, "sending")
    reached = in_flight & delivered
    # The dead process's leases would run out a minute from their claim: move them to now, as
    # if that minute had passed, rather than sleep through it. What follows is the real thing.
    async with AsyncSession(db) as session, session.begin():
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "sending")
            .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    lookups_before = len(fake.called("conversations.history"))

    second = launch("second")
    await second.ready(http)
    timer("second server up")
    await until(
        lambda: len(dms(fake, "intro")) >= len(MEMBERS),
        within=150,
        what="every member has a prompt",
        servers=[second],
    )
    await until(
        lambda: outbox_settled(db, ROWS),
        within=60,
        what="the outbox is sent and recorded",
        servers=[second],
    )
    timer("every member prompted")

    round_ = await round_id(db)
    assert round_ is not None
    print(
        f"\n  killed after {len(delivered)} prompts; {len(in_flight)} sends were in flight, "
        f"{len(reached)} of them had reached Slack and were found, not sent again"
    )
    assert in_flight, "the kill interrupted no send: nothing was proven about resuming"
    assert reached, "no interrupted send had reached Slack: the lookup was not exercised"
    expect_one_each(dms(fake, "intro"), intros(round_))
    assert sum(n for (to, _), n in posts(fake).items() if to.startswith("U")) == len(MEMBERS)
    assert channel_posts(fake) == {(CHANNEL, f"round:{round_}:opened"): 1}
    # Each interrupted send was looked up once before anything was posted again; no other was.
    assert len(fake.called("conversations.history")) - lookups_before == len(in_flight)
    # Found prompts are remembered like sent ones, so a click can update them in place.
    async with AsyncSession(db) as session:
        unknown = await session.scalar(
            select(func.count()).select_from(Participant).where(Participant.prompt_ref.is_(None))
        )
    assert unknown == 0


# -- two replicas ---------------------------------------------------------------------------------


async def test_two_replicas_one_scheduler_both_dispatch_and_a_takeover(
    db: AsyncEngine,
    fake: FakeSlack,
    http: aiohttp.ClientSession,
    launch: Callable[[str], Server],
    timer: Callable[[str], None],
) -> None:
    replicas = [launch("replica-a"), launch("replica-b")]
    for replica in replicas:
        await replica.ready(http)
    timer("both replicas up")

    # A 1,000-member fan-out shared by both.
    await slash_command(http, replicas[0], fake, LEADER, "start 3d")
    await until(
        lambda: len(dms(fake, "intro")) >= len(MEMBERS),
        within=120,
        what="every member has a prompt",
        servers=replicas,
    )
    await until(
        lambda: outbox_settled(db, ROWS),
        within=60,
        what="the launch is sent and recorded",
        servers=replicas,
    )
    timer("fan-out done")
    round_ = await round_id(db)
    assert round_ is not None
    expect_one_each(dms(fake, "intro"), intros(round_))
    assert channel_posts(fake) == {(CHANNEL, f"round:{round_}:opened"): 1}
    sent = [await replica.sent(http) for replica in replicas]
    print(f"\n  launch sent per replica: {sent}")
    assert all(n > 0 for n in sent), f"a replica sent nothing: {sent}"
    assert sum(sent) == ROWS

    # Exactly one runs the scheduler; by now the other has tried the lock several times.
    leaders = [replica for replica in replicas if replica.leads()]
    assert len(leaders) == 1, [replica.name for replica in leaders]
    assert await scheduler_locks(db) == 1
    leader = leaders[0]
    follower = next(replica for replica in replicas if replica is not leader)

    # A reminder falls due: each member (nobody has finished) is nudged once.
    async with AsyncSession(db) as session, session.begin():
        session.add(ScheduledJob(round_id=round_, kind="remind", due_at=datetime.now(UTC)))
    await until(
        lambda: len(dms(fake, "remind")) >= len(MEMBERS),
        within=120,
        what="every member has a reminder",
        servers=replicas,
    )
    await until(
        lambda: outbox_settled(db, 2 * ROWS - 1),
        within=60,
        what="the reminders are sent and recorded",
        servers=replicas,
    )
    timer("reminders done")
    expect_one_each(
        dms(fake, "remind"), {(user, f"round:{round_}:remind:{user}:1") for user in MEMBERS}
    )
    reminded = [
        await replica.sent(http) - before for replica, before in zip(replicas, sent, strict=True)
    ]
    print(f"  reminders sent per replica: {reminded}")
    assert sum(reminded) == len(MEMBERS)

    # kill -9 the leader: the other takes over and runs what falls due.
    await leader.kill()
    killed = time.monotonic()
    timer(f"leader {leader.name} killed")
    async with AsyncSession(db) as session, session.begin():
        now = datetime.now(UTC)
        await session.execute(update(Round).where(Round.id == round_).values(deadline=now))
        session.add(ScheduledJob(round_id=round_, kind="close", due_at=now))
    await until(
        follower.leads,
        within=30,
        what=f"{follower.name} takes over the scheduler",
        servers=[follower],
    )
    timer(f"{follower.name} runs the scheduler ({time.monotonic() - killed:.1f} s after the kill)")
    summary = (CHANNEL, f"round:{round_}:summary")
    await until(
        lambda: summary in posts(fake),
        within=60,
        what="the round closes and its summary is posted",
        servers=[follower],
    )
    await until(  # and its chart, uploaded as a step of its own once the summary is posted
        lambda: outbox_settled(db, 2 * ROWS + 1),
        within=60,
        what="the summary and its chart are recorded",
        servers=[follower],
    )
    timer("round closed by the new leader")
    async with AsyncSession(db) as session:
        assert await session.scalar(select(Round.status).where(Round.id == round_)) == "closed"
    assert await scheduler_locks(db) == 1
    assert channel_posts(fake) == {(CHANNEL, f"round:{round_}:opened"): 1, summary: 1}
    assert f"(close) for round {round_} done: 1 messages" in follower.log()
    # Nobody got anything twice over the whole run.
    assert all(n == 1 for n in posts(fake).values())


# -- a batch slower than its lease ----------------------------------------------------------------


class SlowLane:
    """A platform with one slow pacing lane; it remembers who sent what, and can be asked
    (like Slack's metadata lookup) whether a message is already there."""

    platform = "slow"

    def __init__(self, name: str, sent: dict[str, list[str]]) -> None:
        self.name = name
        self.sent = sent

    def lanes(self, destination: dict[str, Any]) -> list[tuple[str, float]]:
        return [("slow", 10.0)]

    async def send(self, destination: dict[str, Any], view: View) -> dict[str, Any]:
        self.sent[destination["key"]].append(self.name)
        return {"key": destination["key"]}

    async def find_sent(self, destination: dict[str, Any]) -> dict[str, Any] | None:
        return {"key": destination["key"]} if self.sent.get(destination["key"]) else None

    async def update(
        self, ref: dict[str, Any], destination: dict[str, Any], view: View
    ) -> dict[str, Any]:
        return ref


async def test_a_batch_slower_than_its_lease_is_not_taken_over_while_it_is_sent(
    database: str,
) -> None:
    """30 messages at 10 a second take 3 s under a 1.5 s lease. The dispatcher that claimed
    them keeps its lease while it sends; before it did, the other replica took the rows over
    after 1.5 s, found nothing sent yet, and both sent them."""
    sent: dict[str, list[str]] = defaultdict(list)
    rows = 30
    async with open_runtime(load_settings(database_url=database)) as runtime:
        async with runtime.transaction() as session:
            await enqueue(
                session,
                [
                    {
                        "platform": "slow",
                        "idempotency_key": f"slow:{i}",
                        "destination": {"to": "user", "address": f"U{i:05d}"},
                        "payload": {"view": view_to_dict(Message(f"besked {i}"))},
                    }
                    for i in range(rows)
                ],
            )
        lease = timedelta(seconds=1.5)
        first = Dispatcher(runtime, {"slow": SlowLane("first", sent)}, lease=lease)
        second = Dispatcher(runtime, {"slow": SlowLane("second", sent)}, lease=lease)
        tasks = [asyncio.create_task(first.run())]
        try:
            await until(lambda: bool(sent), within=10, what="the first dispatcher sends")
            tasks.append(asyncio.create_task(second.run()))
            await until(
                lambda: outbox_settled(runtime.engine, rows),
                within=30,
                what="every message is sent and recorded",
            )
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    twice = {key: who for key, who in sent.items() if len(who) > 1}
    assert not twice, f"{len(twice)} of {rows} sent twice, e.g. {list(twice.items())[:3]}"
    assert len(sent) == rows
