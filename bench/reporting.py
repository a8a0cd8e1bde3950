"""What the answer benchmarks report: CPU per click by function, the tables side by side, and
the section of BENCHMARKS.md each benchmark owns (bench/slack_answers.py, teams_answers.py).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import platform
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiohttp import web
from common import COMPETENCES, Compared, Request, Run, check_stored, stored

# -- where the CPU goes -------------------------------------------------------------------------


class Spent:
    """CPU seconds spent inside chosen functions, by name, while they are patched in."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def reset(self) -> None:
        self.seconds = dict.fromkeys(self.seconds, 0.0)

    def ms(self, name: str, per: int) -> float:
        return self.seconds.get(name, 0.0) / per * 1000

    def _add(self, name: str, started: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + time.process_time() - started

    @contextmanager
    def counting(self, owner: Any, attribute: str, name: str) -> Iterator[None]:
        """Count `owner.attribute` (a coroutine function or a plain one) under `name`."""
        original = getattr(owner, attribute)
        self.seconds.setdefault(name, 0.0)

        async def counted_async(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return await original(*args, **kwargs)
            finally:
                self._add(name, started)

        def counted(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self._add(name, started)

        setattr(
            owner, attribute, counted_async if inspect.iscoroutinefunction(original) else counted
        )
        try:
            yield
        finally:
            setattr(owner, attribute, original)


async def cpu_per_click(
    server: web.Application,
    path: str,
    request: Request,
    spent: Spent,
    clicks: int,
    after: Callable[[], Awaitable[None]] | None = None,
    *,
    together: int = 1,
) -> float:
    """CPU milliseconds per click after a warm-up, with the server in this process; `spent`
    starts counting after the warm-up too. `together` members click at once each step (one
    at a time shows the cost of a click alone; many at once what a group commit shares)."""
    from aiohttp.test_utils import TestClient, TestServer

    async with TestClient(TestServer(server)) as client:

        async def click(member: int, step: int) -> None:
            competence = COMPETENCES[step % len(COMPETENCES)]
            body, headers = request(member, competence, (step + member) % 6)
            async with client.post(path, data=body, headers=headers) as response:
                assert response.status == 200, await response.text()

        used = 0.0
        steps = max(1, clicks // together)
        for step in range(steps + 20):
            if step == 20:
                used = time.process_time()
                spent.reset()
            members = [step % 8] if together == 1 else range(together)
            await asyncio.gather(*(click(member, step) for member in members))
            if after is not None:
                await after()
        return (time.process_time() - used) / (steps * together) * 1000


# -- the report ---------------------------------------------------------------------------------


def command(script: str, args: argparse.Namespace) -> str:
    """How the run was made, and on what."""
    return (
        f"`python bench/{script} --clickers {args.clickers} --seconds {args.seconds:g} "
        f"--pace {args.pace:g}{f' --repeat {args.repeat}' if args.repeat > 1 else ''}"
        f"{' --sqlite FILE' if args.sqlite else ''}` on "
        f"{platform.machine()} with {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{'SQLite' if args.sqlite else 'PostgreSQL'} on the same machine"
    )


def loads(compared: Compared, bare_name: str, what: str, args: argparse.Namespace) -> list[str]:
    """The saturated and the paced table, ours beside the bare app (the median of the
    runs), and each run's ratio when there were several."""
    runs = compared.median()
    (ours, ours_paced), (bare, bare_paced) = runs["ours"], runs["bare"]
    table = [f"| measure | ours | {bare_name} |", "| --- | --- | --- |"]
    several = (
        [
            f"Each app ran {args.repeat} times, alternating with the other; the tables show "
            "each app's run with the median saturated throughput. Ours as a share of the bare "
            "app, run by run: " + ", ".join(f"{r:.0%}" for r in compared.ratios()) + ".",
            "",
        ]
        if args.repeat > 1
        else []
    )
    return [
        *several,
        f"Saturated: {args.clickers} clickers, each clicking again as soon as it is answered.",
        "",
        *table,
        *rows(ours, bare, what),
        "",
        f"Paced: {args.clickers} members each clicking once every {args.pace:g} s.",
        "",
        *table,
        *rows(ours_paced, bare_paced, what),
        "",
    ]


def rows(ours: Run, bare: Run, what: str = "clicks") -> list[str]:
    found = [
        (f"acked {what} per second", f"{ours.throughput:,.0f}", f"{bare.throughput:,.0f}"),
        ("ack latency p50", f"{ours.percentile(0.5):.1f} ms", f"{bare.percentile(0.5):.1f} ms"),
        ("ack latency p99", f"{ours.percentile(0.99):.1f} ms", f"{bare.percentile(0.99):.1f} ms"),
        ("mean ack latency", f"{ours.mean():.1f} ms", f"{bare.mean():.1f} ms"),
        ("requests over 2 s", str(ours.slow()), str(bare.slow())),
        ("failed requests", str(ours.errors), str(bare.errors)),
    ]
    return [f"| {label} | {a} | {b} |" for label, a, b in found]


def met(ok: bool) -> str:
    return "yes" if ok else "NO"


def heading(title: str, args: argparse.Namespace) -> str:
    """A section per database, so a run on one never overwrites the other's."""
    return f"{title} ({'SQLite' if args.sqlite else 'PostgreSQL'})"


async def conclude(
    args: argparse.Namespace,
    title: str,
    database_url: str,
    round_id: int,
    acked: dict[tuple[str, str], int],
    describe: Callable[[int, bool], Awaitable[str]],
) -> None:
    """Check the database against every acked answer, print the report (`describe(answers,
    all stored)`), write it with `--write` under `title`'s section for this database, and
    stop with the difference if any."""
    found = await stored(database_url, round_id)
    report = await describe(len(acked), found == acked)
    print(report)
    if args.write:
        write(args.write, heading(title, args), report)
    check_stored(acked, found)


def write(path: Path, heading: str, section: str) -> None:
    """Replace the section under `heading`, keeping every other benchmark's."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: section + "\n", existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + section
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")
