"""Fan-out benchmark: a 10,000-member round on PostgreSQL (issue 5).

Measures, each against its target:
- enqueue: `start` for 10,000 members (participants, prompts in the outbox, jobs) < 2 s;
- dispatch against a fake platform with no limits >= 500 messages/s;
- dispatch against a fake that enforces a Slack-like workspace limit: >= 90 % of the
  allowed rate, and no retry storm (429s stay a small fraction of sends);
- the summary of 10,000 members x 60 competences < 1 s, on SQLite and on PostgreSQL;
- peak memory of this process < 200 MB.

Usage: python bench/fanout.py [--members 10000] [--pg postgresql+asyncpg://postgres@127.0.0.1/postgres]
It creates (and drops) a database `kompetencebot_bench` on that server; the fake platform
runs in a child process on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import resource
import socket
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import insert, make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import load_settings
from bot.delivery.senders import RateLimited, Transient
from bot.domain import Command, Member, Person
from bot.runtime import Runtime, open_runtime
from bot.services.profiles import save_profile
from bot.turn import Turns
from bot.usecases.seats import dispatcher as make_dispatcher
from bot.usecases.summaries import round_summary
from bot.views import View, view_to_dict
from catalog.profiles import parse_profile
from storage import teams as repo
from storage.models import Round, Score

TEAM = "C-bench"


# -- the fake platform (child process) ---------------------------------------------------------


def _fake_platform(port: int, limit: float) -> None:
    """Accepts posts. With `limit` > 0 it is rate-limited like Slack: a token bucket refilled
    at `limit` per second that holds a tenth of a second's burst; empty, it answers 429 with
    Retry-After: 1."""
    burst = max(1.0, limit / 10)
    bucket = {"tokens": burst, "at": time.monotonic()}

    async def post(request: web.Request) -> web.Response:
        await request.read()
        if limit > 0:
            now = time.monotonic()
            bucket["tokens"] = min(burst, bucket["tokens"] + (now - bucket["at"]) * limit)
            bucket["at"] = now
            if bucket["tokens"] < 1.0:
                return web.json_response({"ok": False}, status=429, headers={"Retry-After": "1"})
            bucket["tokens"] -= 1.0
        return web.json_response({"ok": True, "ts": str(time.time())})

    app = web.Application()
    app.router.add_post("/post", post)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class HttpSender:
    """A minimal platform client, like a real adapter's: one HTTP post per message."""

    platform = "bench"

    def __init__(self, url: str, rate: float | None) -> None:
        self.url = url
        self.rate = rate
        self.session: aiohttp.ClientSession | None = None
        self.rate_limited = 0

    def lanes(self, destination: dict[str, Any]) -> list[tuple[str, float]]:
        return [("workspace", self.rate)] if self.rate else []

    async def send(self, destination: dict[str, Any], view: View) -> dict[str, Any]:
        if self.session is None:
            self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
        async with self.session.post(self.url, json=view_to_dict(view)) as response:
            if response.status == 429:
                self.rate_limited += 1
                raise RateLimited(float(response.headers.get("Retry-After", "1")))
            if response.status >= 500:
                raise Transient(str(response.status))
            return dict(await response.json())

    async def update(
        self, ref: dict[str, Any], destination: dict[str, Any], view: View
    ) -> dict[str, Any]:
        return await self.send(destination, view)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()


class StaticDirectory:
    def __init__(self, members: Sequence[Member]) -> None:
        self.people = list(members)

    async def members(self, team_key: str, workspace: str | None) -> Sequence[Member]:
        return self.people


# -- the measurements ----------------------------------------------------------------------------


async def _prepare(runtime: Runtime) -> None:
    async with runtime.transaction() as session:
        team = await repo.get_or_create(
            session, "bench", TEAM, language="da", timezone="Europe/Copenhagen"
        )
        repo.add_leaders(team, ["lead"])
        await save_profile(
            session, team, parse_profile({"template": "medarbejder"}, default_target=3)
        )


async def _enqueue(runtime: Runtime, members: int) -> float:
    people = [Member(f"U{i:05d}", f"Medarbejder {i}") for i in range(members)]
    conversation = Turns(runtime, "bench", StaticDirectory(people))
    started = time.perf_counter()
    reply = await conversation.handle(Command(Person("bench", "lead"), "start 3d", TEAM))
    elapsed = time.perf_counter() - started
    assert reply is not None and "deltagere" in getattr(reply.view, "text", ""), reply
    return elapsed


async def _reset_outbox(runtime: Runtime) -> int:
    async with runtime.transaction() as session:
        result = await session.execute(
            text(
                "UPDATE outbox SET status='pending', attempts=0, next_attempt_at=:now, "
                "lease_until=NULL, sent_at=NULL"
            ),
            {"now": datetime.now(UTC)},
        )
        return int(getattr(result, "rowcount", 0))


async def _dispatch(
    runtime: Runtime, sender: HttpSender, limit: int | None = None
) -> tuple[int, float]:
    if limit is not None:
        async with runtime.transaction() as session:
            await session.execute(
                text(
                    "UPDATE outbox SET status='sent' WHERE id NOT IN "
                    "(SELECT id FROM outbox ORDER BY id LIMIT :n)"
                ),
                {"n": limit},
            )
    dispatcher = make_dispatcher(runtime, {"bench": sender}, batch=200, concurrency=32)
    started = time.perf_counter()
    async with runtime.sessions() as session:
        due = int(
            await session.scalar(text("SELECT count(*) FROM outbox WHERE status='pending'")) or 0
        )
    while True:
        await dispatcher.drain()
        async with runtime.sessions() as session:
            left = int(
                await session.scalar(text("SELECT count(*) FROM outbox WHERE status <> 'sent'"))
                or 0
            )
        if not left:
            break
        await asyncio.sleep(0.05)
    return due, time.perf_counter() - started


async def _summary(url: str, members: int, competences: int = 60) -> float:
    settings = load_settings(database_url=url, playground=False)
    async with open_runtime(settings) as runtime:
        await _prepare(runtime)
        async with runtime.transaction() as session:
            team = await repo.find(session, "bench", TEAM)
            assert team is not None
            profile = await repo.latest_profile(session, team.id)
            assert profile is not None
            from bot.services.snapshots import freeze as snapshot

            round_ = Round(
                team_id=team.id,
                deadline=datetime.now(UTC),
                status="closed",
                snapshot=snapshot(profile, "da"),
            )
            session.add(round_)
            await session.flush()
            round_id = round_.id
        ids = [c.competence_id for c in profile.competences][:competences]
        chooser = random.Random(1)
        for first in range(0, members, 500):
            rows = [
                {
                    "round_id": round_id,
                    "user_id": f"U{u:05d}",
                    "competence_id": cid,
                    "score": chooser.randint(0, 5),
                }
                for u in range(first, min(members, first + 500))
                for cid in ids
            ]
            async with runtime.transaction() as session:
                await session.execute(insert(Score), rows)
        async with runtime.sessions() as session:
            stored = await session.get(Round, round_id)
            assert stored is not None
            started = time.perf_counter()
            summary = await round_summary(session, stored)
            elapsed = time.perf_counter() - started
        assert summary.competences[0].n == members
    return elapsed


async def _pg_database(server: str, name: str, drop_only: bool = False) -> str:
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not drop_only:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument(
        "--limited", type=int, default=2_000, help="messages sent against the rate-limited fake"
    )
    parser.add_argument(
        "--rate", type=float, default=50.0, help="the limited fake's messages per second"
    )
    parser.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    results: list[tuple[str, str, str, bool]] = []

    url = await _pg_database(args.pg, "kompetencebot_bench")
    settings = load_settings(database_url=url, playground=False)
    free, limited = _free_port(), _free_port()
    fakes = [
        multiprocessing.Process(target=_fake_platform, args=(free, 0.0), daemon=True),
        multiprocessing.Process(target=_fake_platform, args=(limited, args.rate), daemon=True),
    ]
    for process in fakes:
        process.start()
    await asyncio.sleep(1.5)
    try:
        async with open_runtime(settings) as runtime:
            await _prepare(runtime)
            seconds = await _enqueue(runtime, args.members)
            results.append(
                (
                    f"enqueue {args.members:,} prompts (PostgreSQL)",
                    "< 2 s",
                    f"{seconds:.2f} s",
                    seconds < 2,
                )
            )

            sender = HttpSender(f"http://127.0.0.1:{free}/post", None)
            sent, seconds = await _dispatch(runtime, sender)
            await sender.close()
            rate = sent / seconds
            results.append(
                (
                    f"dispatch {sent:,}, fake without limits",
                    ">= 500 msg/s",
                    f"{rate:,.0f} msg/s",
                    rate >= 500,
                )
            )

            await _reset_outbox(runtime)
            sender = HttpSender(f"http://127.0.0.1:{limited}/post", args.rate)
            sent, seconds = await _dispatch(runtime, sender, limit=args.limited)
            await sender.close()
            share = (sent / seconds) / args.rate
            results.append(
                (
                    f"dispatch {sent:,}, fake limited to {args.rate:g}/s",
                    ">= 90 % of allowed",
                    f"{share:.0%} ({sent / seconds:.1f} msg/s)",
                    share >= 0.9,
                )
            )
            storm = sender.rate_limited / max(1, sent)
            results.append(
                (
                    "429 answers per message sent (retry storm)",
                    "small",
                    f"{sender.rate_limited} ({storm:.1%})",
                    storm < 0.05,
                )
            )
        peak = _peak_mb()
        results.append(("peak memory during the fan-out", "< 200 MB", f"{peak:.0f} MB", peak < 200))
    finally:
        for process in fakes:
            process.terminate()
        await _pg_database(args.pg, "kompetencebot_bench", drop_only=True)

    for label, db in (("SQLite", None), ("PostgreSQL", "kompetencebot_bench_summary")):
        if db is None:
            folder = tempfile.mkdtemp()
            target = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        else:
            target = await _pg_database(args.pg, db)
        seconds = await _summary(target, args.members)
        if db is not None:
            await _pg_database(args.pg, db, drop_only=True)
        results.append(
            (f"summary {args.members:,} x 60 ({label})", "< 1 s", f"{seconds:.2f} s", seconds < 1)
        )

    print("| measure | target | result | met |\n| --- | --- | --- | --- |")
    for label, target, value, met in results:
        print(f"| {label} | {target} | {value} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    asyncio.run(main())
