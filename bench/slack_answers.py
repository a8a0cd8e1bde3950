"""Slack answers benchmark (issue 6): members clicking signed score buttons at /slack/events.

N concurrent clickers (default 64), each a different member of one open round, send signed
`block_actions` score clicks for a fixed time, first at our server and then, in the same
run, at a bare slack-bolt AsyncApp that only acks. Two loads, each reported side by side as
acked clicks per second and p50/p99 ack latency as the clicker sees it:
- saturated: every clicker clicks again as soon as the previous click is acked;
- paced: every clicker clicks once per `--pace` seconds, as a person answering would.
Afterwards every acked answer is checked against the database: the last score each member
clicked for each competence must be the stored one, and nothing else may be stored.

Targets: our throughput >= 50 % of the bare app's, our p99 < 100 ms, every answer stored.

Usage: python bench/slack_answers.py [--clickers 64] [--seconds 10] [--warmup 2] [--pace 1]
           [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres] [--database kb_bench]
           [--write BENCHMARKS.md]
The database is dropped and created afresh on that server. The fake Slack Web API (which
answers the follow-up `response_url` posts) and each server run in child processes.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import importlib.util
import json
import logging
import multiprocessing
import os
import platform
import random
import re
import socket
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from sqlalchemy import make_url, select, text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
TEAM_ID = "T0BENCH"
CHANNEL = "C0BENCH"
COMPETENCES = ("M02", "M05", "M13", "M18", "M23", "M32", "M41", "M50")
HEADING = "## Slack answers"
MEMBERS = 1000


def _fake_module() -> ModuleType:
    path = ROOT / "tests" / "fakes" / "slack_api.py"
    spec = importlib.util.spec_from_file_location("kompetencebot_fake_slack_api", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _fake_slack() -> Any:
    """The fake Slack Web API knowing the members who click, as a real workspace would
    (otherwise each click's `users.info` misses and is asked again)."""
    fake = _fake_module().FakeSlack(TEAM_ID)
    for index in range(MEMBERS):
        fake.add_user(_user(index), f"Medlem {index}")
    return fake


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- child processes -------------------------------------------------------------------------


def _run_fake(port_out: Any) -> None:
    """The fake Slack Web API; it only counts response_url posts (not keeping them)."""

    async def main() -> None:
        fake = _fake_slack()
        await fake.start()
        port_out.put(fake.url)
        while True:
            await asyncio.sleep(1)
            fake.calls.clear()

    asyncio.run(main())


def _run_ours(port: int, database_url: str, api_url: str) -> None:
    from bot.app import create_app
    from bot.config import load_settings

    logging.basicConfig(level=logging.WARNING)
    settings = load_settings(
        database_url=database_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        playground=False,
    )
    web.run_app(create_app(settings), host="127.0.0.1", port=port, print=None, access_log=None)


def _bare_app(api_url: str) -> web.Application:
    """A bolt app as small as it gets: verify the signature, ack, nothing else."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=api_url),
        signing_secret=SECRET,
        process_before_response=True,
    )

    @bolt.action(re.compile(".*"))
    async def only_ack(ack: Any) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", healthz)
    return app


def _run_bare(port: int, api_url: str) -> None:
    logging.basicConfig(level=logging.WARNING)
    web.run_app(_bare_app(api_url), host="127.0.0.1", port=port, print=None, access_log=None)


# -- the round ----------------------------------------------------------------------------------


async def _fresh_database(server_url: str, name: str) -> str:
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def _open_round(database_url: str, clickers: int) -> int:
    """A team, its profile and an open round with one participant per clicker."""
    from bot.config import load_settings
    from bot.runtime import open_runtime
    from bot.services.profiles import save_profile
    from bot.services.snapshots import freeze
    from catalog.profiles import parse_profile
    from storage import rounds
    from storage import teams as repo

    settings = load_settings(database_url=database_url, playground=False)
    async with open_runtime(settings) as runtime, runtime.transaction() as session:
        team = await repo.get_or_create(
            session, "slack", CHANNEL, language="da", timezone="Europe/Copenhagen"
        )
        team.name, team.workspace = "Benchmark", TEAM_ID
        repo.add_leaders(team, ["U0000"])
        spec = parse_profile(
            {"language": "da", "competences": [{"id": c, "target": 3} for c in COMPETENCES]}
        )
        profile = await save_profile(session, team, spec, created_by="U0000")
        now = datetime.now(UTC)
        round_ = await rounds.create(
            session,
            team,
            profile.id,
            freeze(profile, "da"),
            [(_user(i), f"Medlem {i}") for i in range(clickers)],
            deadline=now + timedelta(days=7),
            opened_by="U0000",
            now=now,
            min_respondents=3,
        )
        assert round_ is not None
        return round_.id


def _user(index: int) -> str:
    return f"U{index:04d}"


async def _stored(database_url: str, round_id: int) -> dict[tuple[str, str], int]:
    from storage.models import Score

    engine = create_async_engine(database_url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(Score.user_id, Score.competence_id, Score.score).where(
                Score.round_id == round_id
            )
        )
        stored = {(user, cid): score for user, cid, score in rows.all()}
    await engine.dispose()
    return stored


# -- the clickers -------------------------------------------------------------------------------


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    last: dict[tuple[str, str], int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def mean(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _click(round_id: int, user: str, competence: str, score: int, response_url: str) -> bytes:
    value = json.dumps({"r": round_id, "c": competence, "u": user, "s": score})
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "bench"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "ABENCH",
        "trigger_id": f"trigger.{time.time_ns()}",
        "container": {
            "type": "message",
            "message_ts": f"1700000000.{user[1:]}",
            "channel_id": "D" + user[1:],
            "is_ephemeral": False,
        },
        "channel": {"id": "D" + user[1:], "name": "directmessage"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "block_id": "b",
                "action_id": f"score:{score}",
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def _headers(body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    signature = hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={signature}",
    }


async def _load(
    url: str, round_id: int, fake_url: str, args: argparse.Namespace, pace: float | None
) -> Run:
    """Click for warmup + seconds; only clicks sent after the warmup are timed."""
    run = Run()
    start = time.perf_counter()
    measure_from, stop_at = start + args.warmup, start + args.warmup + args.seconds

    async def clicker(index: int, session: aiohttp.ClientSession) -> None:
        user = _user(index)
        chooser = random.Random(index)
        step, previous = 0, chooser.randint(0, 5)
        due = start + chooser.uniform(0, pace or 0)
        while (now := time.perf_counter()) < stop_at:
            if pace:
                await asyncio.sleep(max(0.0, due - now))
                now, due = time.perf_counter(), due + pace
            competence = COMPETENCES[step % len(COMPETENCES)]
            # People do not tap the same score twice within a second (that is a double tap,
            # which is ignored by design): a new score each time.
            score = (previous + chooser.randint(1, 5)) % 6
            previous = score
            body = _click(round_id, user, competence, score, f"{fake_url}/response/{index}")
            sent = time.perf_counter()
            async with session.post(url, data=body, headers=_headers(body)) as response:
                await response.read()
                ok = response.status == 200
            took = time.perf_counter() - sent
            step += 1
            if not ok:
                run.errors += 1
                continue
            run.last[(user, competence)] = score
            if now >= measure_from:
                run.latencies.append(took)

    connector = aiohttp.TCPConnector(limit=args.clickers)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(clicker(i, session) for i in range(args.clickers)))
    run.seconds = args.seconds
    return run


async def _ready(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _serve(target: Any, *args: Any) -> tuple[Any, str]:
    port = _free_port()
    process = multiprocessing.get_context("spawn").Process(target=target, args=(port, *args))
    process.start()
    return process, f"http://127.0.0.1:{port}"


async def _measure(
    base: str, round_id: int, fake_url: str, args: argparse.Namespace
) -> tuple[Run, Run]:
    """The saturated load, then the paced one, against one server."""
    await _ready(f"{base}/healthz")
    url = f"{base}/slack/events"
    saturated = await _load(url, round_id, fake_url, args, None)
    paced = await _load(url, round_id, fake_url, args, args.pace)
    return saturated, paced


@dataclass
class Split:
    """CPU milliseconds per click with server, clicker and fake in one process, one click at
    a time: where the time goes, without any waiting."""

    bare: float
    ours: float
    handle: float


async def _cpu_split(database_url: str, round_id: int, clicks: int = 300) -> Split:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.adapters.slack import SLACK
    from bot.app import create_app
    from bot.config import load_settings
    from bot.turn import Turns as Conversation

    fake = _fake_slack()
    await fake.start()
    spent = [0.0]
    original = Conversation.handle

    async def timed(self: Conversation, event: Any, context: Any = None, **options: Any) -> Any:
        started = time.process_time()
        try:
            return await original(self, event, context, **options)
        finally:
            spent[0] += time.process_time() - started

    async def per_click(app: web.Application, ours: bool) -> float:
        async with TestClient(TestServer(app)) as client:
            used = 0.0
            for step in range(clicks + 20):
                user = _user(step % 8)
                competence = COMPETENCES[step % len(COMPETENCES)]
                body = _click(round_id, user, competence, step % 6, f"{fake.url}/response/0")
                if step == 20:  # after a warm-up
                    used, spent[0] = time.process_time(), 0.0
                async with client.post("/slack/events", data=body, headers=_headers(body)) as r:
                    assert r.status == 200, await r.text()
                if ours:
                    await app[SLACK].followups.settle()
            return (time.process_time() - used) / clicks * 1000

    settings = load_settings(
        database_url=database_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        playground=False,
    )
    try:
        bare = await per_click(_bare_app(fake.api_url), False)
        Conversation.handle = timed  # type: ignore[method-assign]
        ours = await per_click(create_app(settings, dispatch=False), True)
    finally:
        Conversation.handle = original  # type: ignore[method-assign]
        await fake.stop()
    return Split(bare, ours, spent[0] / clicks * 1000)


def _rows(ours: Run, bare: Run) -> list[str]:
    rows = [
        ("acked clicks per second", f"{ours.throughput:,.0f}", f"{bare.throughput:,.0f}"),
        ("ack latency p50", f"{ours.percentile(0.5):.1f} ms", f"{bare.percentile(0.5):.1f} ms"),
        ("ack latency p99", f"{ours.percentile(0.99):.1f} ms", f"{bare.percentile(0.99):.1f} ms"),
        ("mean ack latency", f"{ours.mean():.1f} ms", f"{bare.mean():.1f} ms"),
        ("failed requests", str(ours.errors), str(bare.errors)),
    ]
    return [f"| {label} | {a} | {b} |" for label, a, b in rows]


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def _report(
    runs: dict[str, tuple[Run, Run]],
    split: Split,
    answers: int,
    stored_ok: bool,
    args: argparse.Namespace,
) -> str:
    (ours, ours_paced), (bare, bare_paced) = runs["ours"], runs["bare"]
    share = ours.throughput / bare.throughput if bare.throughput else 0.0
    p99, paced_p99 = ours.percentile(0.99), ours_paced.percentile(0.99)
    table = ["| measure | ours | bare slack-bolt (ack only) |", "| --- | --- | --- |"]
    lines = [
        HEADING,
        "",
        f"`python bench/slack_answers.py --clickers {args.clickers} --seconds {args.seconds:g} "
        f"--pace {args.pace:g}{' --sqlite FILE' if args.sqlite else ''}` on "
        f"{platform.machine()} with {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{'SQLite' if args.sqlite else 'PostgreSQL'} on the same machine; the clickers, the fake "
        "Slack API and the server each run in their own process. A click is a signed "
        "`block_actions` request. Ours stores the answer before it acks (one transaction: "
        "the score and the member's progress) and then replaces the "
        "prompt through the `response_url`; the bare app verifies the signature and acks.",
        "",
        f"Saturated: {args.clickers} clickers, each clicking again as soon as it is acked.",
        "",
        *table,
        *_rows(ours, bare),
        "",
        f"Paced: {args.clickers} members each clicking once every {args.pace:g} s.",
        "",
        *table,
        *_rows(ours_paced, bare_paced),
        "",
        "Where the time goes: CPU per click with server, clicker and fake Slack in one "
        "process, one click at a time (so nothing waits).",
        "",
        "| CPU per click | ms |",
        "| --- | --- |",
        f"| bare slack-bolt, clicker and aiohttp included | {split.bare:.2f} |",
        f"| ours, clicker, aiohttp and the fake's response_url included | {split.ours:.2f} |",
        f"| of which `Turns.handle` (the answer's database transaction) | {split.handle:.2f} |",
        f"| of which the rest of the Slack adapter (translate, render, follow-up) | "
        f"{split.ours - split.handle - split.bare:.2f} |",
        "",
        f"The answer's transaction in `Turns.handle` is {split.handle / split.ours:.0%} "
        "of our CPU per click; the Slack adapter itself adds "
        f"{split.ours - split.handle - split.bare:.1f} ms to what slack-bolt costs.",
        "",
        "| target | result | met |",
        "| --- | --- | --- |",
        f"| saturated throughput >= 50 % of the bare app's | {share:.0%} | {_met(share >= 0.5)} |",
        f"| p99 ack latency < 100 ms, saturated | {p99:.1f} ms | {_met(p99 < 100)} |",
        f"| p99 ack latency < 100 ms, paced | {paced_p99:.1f} ms | {_met(paced_p99 < 100)} |",
        f"| every acked answer stored ({answers:,} member x competence answers, the last "
        f"click of each) | {'all' if stored_ok else 'MISMATCH'} | {_met(stored_ok)} |",
        "",
    ]
    return "\n".join(lines)


def _write(path: Path, section: str) -> None:
    """Replace this benchmark's section, keeping every other benchmark's."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: section + "\n", existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + section
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clickers", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between a member's clicks")
    parser.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="kb_bench")
    parser.add_argument(
        "--sqlite", type=Path, help="run on a fresh SQLite file here instead of PostgreSQL"
    )
    parser.add_argument("--write", type=Path, help="update this benchmark's section in FILE")
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    urls = context.Queue()
    fake = context.Process(target=_run_fake, args=(urls,))
    fake.start()
    fake_url = urls.get(timeout=30)
    if args.sqlite:
        args.sqlite.unlink(missing_ok=True)
        database_url = f"sqlite+aiosqlite:///{args.sqlite}"
    else:
        database_url = await _fresh_database(args.pg, args.database)
    round_id = await _open_round(database_url, args.clickers)

    results: dict[str, tuple[Run, Run]] = {}
    for name, target, extra in (
        ("ours", _run_ours, (database_url, fake_url + "/api/")),
        ("bare", _run_bare, (fake_url + "/api/",)),
    ):
        process, base = _serve(target, *extra)
        try:
            results[name] = await _measure(base, round_id, fake_url, args)
        finally:
            process.terminate()
            process.join(10)
    fake.terminate()
    fake.join(10)

    saturated, paced = results["ours"]
    acked = {**saturated.last, **paced.last}
    stored = await _stored(database_url, round_id)
    stored_ok = stored == acked
    split = await _cpu_split(database_url, round_id)
    report = _report(results, split, len(acked), stored_ok, args)
    print(report)
    if args.write:
        _write(args.write, report)
    if not stored_ok:
        missing = {k: v for k, v in acked.items() if stored.get(k) != v}
        raise SystemExit(f"{len(missing)} answers differ from what was acked, e.g. {missing}")


if __name__ == "__main__":
    asyncio.run(main())
