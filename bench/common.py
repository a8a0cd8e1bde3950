"""What the answer benchmarks share (bench/slack_answers.py, bench/teams_answers.py).

The round set up directly in the database, the clickers and their two loads (saturated and
paced), and the child processes each server runs in; what they report is in reporting.py.
A benchmark brings its own request bodies.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import multiprocessing
import random
import socket
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import make_url, select, text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
COMPETENCES = ("M02", "M05", "M13", "M18", "M23", "M32", "M41", "M50")
LEADER = "U0000"

Request = Callable[[int, str, int], tuple[bytes, dict[str, str]]]
"""The body and headers of clicker `index`'s click on a competence with a score."""


def fake_module(name: str) -> ModuleType:
    """A fake from tests/fakes, loaded by path (tests/ is not an installed package)."""
    path = ROOT / "tests" / "fakes" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"kompetencebot_fake_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
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
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each app, alternating; median reported"
    )
    return parser.parse_args()


# -- the round ----------------------------------------------------------------------------------


async def fresh_database(args: argparse.Namespace) -> str:
    """A new, empty database: the SQLite file, or `--database` on the `--pg` server."""
    if args.sqlite:
        args.sqlite.unlink(missing_ok=True)
        return f"sqlite+aiosqlite:///{args.sqlite}"
    admin = create_async_engine(args.pg, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
        await connection.execute(text(f'CREATE DATABASE "{args.database}"'))
    await admin.dispose()
    return make_url(args.pg).set(database=args.database).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Team:
    platform: str
    key: str
    workspace: str
    members: list[str]


async def open_round(database_url: str, team: Team) -> int:
    """The team, its profile and an open round with every member as a participant."""
    from bot.config import load_settings
    from bot.runtime import open_runtime
    from bot.services.profiles import save_profile
    from bot.services.snapshots import freeze
    from catalog.profiles import parse_profile
    from storage import rounds
    from storage import teams as repo

    settings = load_settings(database_url=database_url, playground=False)
    async with open_runtime(settings) as runtime, runtime.transaction() as session:
        row = await repo.get_or_create(
            session, team.platform, team.key, language="da", timezone="Europe/Copenhagen"
        )
        row.name, row.workspace = "Benchmark", team.workspace
        repo.add_leaders(row, [LEADER])
        spec = parse_profile(
            {"language": "da", "competences": [{"id": c, "target": 3} for c in COMPETENCES]}
        )
        profile = await save_profile(session, row, spec, created_by=LEADER)
        now = datetime.now(UTC)
        round_ = await rounds.create(
            session,
            row,
            profile.id,
            freeze(profile, "da"),
            [(member, f"Medlem {i}") for i, member in enumerate(team.members)],
            deadline=now + timedelta(days=7),
            opened_by=LEADER,
            now=now,
            min_respondents=3,
        )
        assert round_ is not None
        return round_.id


@dataclass(frozen=True)
class Stage:
    """What a benchmark run clicks against: the fake platform API and the open round."""

    fake: Any
    fake_url: str
    database_url: str
    members: list[str]
    round_id: int


async def stage(
    args: argparse.Namespace,
    run_fake: Any,
    platform_name: str,
    key: str,
    workspace: str,
    user: Callable[[int], str],
) -> Stage:
    """The fake platform API in a child process (`run_fake(queue)` puts its URL), a fresh
    database, and a round with one member per clicker."""
    urls = multiprocessing.get_context("spawn").Queue()
    fake = child(run_fake, urls)
    fake_url = urls.get(timeout=30)
    database_url = await fresh_database(args)
    members = [user(i) for i in range(args.clickers)]
    round_id = await open_round(database_url, Team(platform_name, key, workspace, members))
    return Stage(fake, fake_url, database_url, members, round_id)


async def stored(database_url: str, round_id: int) -> dict[tuple[str, str], int]:
    from storage.models import Score

    engine = create_async_engine(database_url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(Score.user_id, Score.competence_id, Score.score).where(
                Score.round_id == round_id
            )
        )
        found = {(user, cid): score for user, cid, score in rows.all()}
    await engine.dispose()
    return found


def check_stored(acked: dict[tuple[str, str], int], found: dict[tuple[str, str], int]) -> None:
    """Stop with the difference if the database does not hold exactly what was acked."""
    if found != acked:
        missing = {k: v for k, v in acked.items() if found.get(k) != v}
        extra = {k: v for k, v in found.items() if k not in acked}
        raise SystemExit(
            f"{len(missing)} answers differ from what was acked, e.g. {missing}; "
            f"{len(extra)} stored that nobody clicked, e.g. {extra}"
        )


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

    def share_of(self, baseline: Run) -> float:
        """This run's throughput as a share of the baseline's, measured in the same run."""
        return self.throughput / baseline.throughput if baseline.throughput else 0.0

    def slow(self, seconds: float = 2.0) -> int:
        return sum(1 for took in self.latencies if took > seconds)


async def load(
    url: str, members: list[str], request: Request, args: argparse.Namespace, pace: float | None
) -> Run:
    """Click for warmup + seconds; only clicks sent after the warmup are timed."""
    run = Run()
    start = time.perf_counter()
    measure_from, stop_at = start + args.warmup, start + args.warmup + args.seconds

    async def clicker(index: int, session: aiohttp.ClientSession) -> None:
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
            body, headers = request(index, competence, score)
            sent = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                ok = response.status == 200
            took = time.perf_counter() - sent
            step += 1
            if not ok:
                run.errors += 1
                continue
            run.last[(members[index], competence)] = score
            if now >= measure_from:
                run.latencies.append(took)

    connector = aiohttp.TCPConnector(limit=args.clickers)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(clicker(i, session) for i in range(args.clickers)))
    run.seconds = args.seconds
    return run


async def ready(url: str) -> None:
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


def app(path: str, handler: Any) -> web.Application:
    """A bare app: `handler` at POST `path`, and the /healthz that `ready` waits for."""

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    found = web.Application()
    found.router.add_post(path, handler)
    found.router.add_get("/healthz", healthz)
    return found


def run(server: web.Application, port: int) -> None:
    """Serve in a child process until it is stopped."""
    logging.basicConfig(level=logging.WARNING)
    web.run_app(server, host="127.0.0.1", port=port, print=None, access_log=None)


def child(target: Any, *args: Any) -> Any:
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    return process


def stop(process: Any) -> None:
    process.terminate()
    process.join(10)


async def measure(
    target: Any,
    extra: tuple[Any, ...],
    path: str,
    members: list[str],
    request: Request,
    args: argparse.Namespace,
) -> tuple[Run, Run]:
    """The saturated load, then the paced one, against a server started in a child process
    as `target(port, *extra)`."""
    port = free_port()
    process = child(target, port, *extra)
    base = f"http://127.0.0.1:{port}"
    try:
        await ready(f"{base}/healthz")
        saturated = await load(base + path, members, request, args, None)
        paced = await load(base + path, members, request, args, args.pace)
    finally:
        stop(process)
    return saturated, paced


@dataclass
class Compared:
    """Each app's (saturated, paced) runs, made alternately with the other app's."""

    ours: list[tuple[Run, Run]]
    bare: list[tuple[Run, Run]]

    def median(self) -> dict[str, tuple[Run, Run]]:
        """Each app's runs with the median saturated throughput: what the tables show."""
        return {
            name: sorted(pairs, key=lambda pair: pair[0].throughput)[len(pairs) // 2]
            for name, pairs in (("ours", self.ours), ("bare", self.bare))
        }

    def ratios(self) -> list[float]:
        """Ours as a share of the bare app, saturated, run by run."""
        return [o.share_of(b) for (o, _), (b, _) in zip(self.ours, self.bare, strict=True)]

    def acked(self) -> dict[tuple[str, str], int]:
        """The last score ours acked for each member and competence, over all its runs."""
        last: dict[tuple[str, str], int] = {}
        for saturated, paced in self.ours:
            last.update(saturated.last)
            last.update(paced.last)
        return last


async def compare(
    ours: tuple[Any, tuple[Any, ...]],
    bare: tuple[Any, tuple[Any, ...]],
    path: str,
    members: list[str],
    request: Request,
    args: argparse.Namespace,
) -> Compared:
    """Both loads against our server, then against the bare app, `--repeat` times: on a
    shared machine one pair of runs can land on a busy or a quiet moment."""
    found = Compared([], [])
    for _ in range(args.repeat):
        found.ours.append(await measure(*ours, path, members, request, args))
        found.bare.append(await measure(*bare, path, members, request, args))
    return found
