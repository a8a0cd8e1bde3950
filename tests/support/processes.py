"""Real `kompetencebot serve` processes against the fake Slack Web API in the test process.

A workspace of many people, the environment a server needs, signed slash commands, what
the fake saw (DMs and channel posts counted by the outbox key in their message metadata),
and polling with deadlines, so process-level tests stay bounded in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import inspect
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

import aiohttp

from tests.fakes.slack_api import BOT_USER, TEAM_ID, FakeSlack

CHANNEL = "C0FANOUT"
CHANNEL_NAME = "materialegaarden"
SECRET = "processes-signing-secret"
BOT_TOKEN = "xoxb-processes"
METRICS_TOKEN = "processes-metrics-token"
LEADER_LINE = "this replica now runs the scheduler"
SENT_METRIC = re.compile(
    r'^kompetencebot_outbox_sent_total\{platform="slack"\} ([0-9.e+]+)$', re.MULTILINE
)


def people(count: int) -> list[str]:
    """Slack user ids of `count` people; the first one leads the team."""
    return [f"U{i:05d}" for i in range(1, count + 1)]


async def slack_workspace(members: Sequence[str]) -> FakeSlack:
    """The fake Web API, listening, with a channel of `members` (all people) and the bot."""
    fake = FakeSlack()
    await fake.start()
    for number, user in enumerate(members, start=1):
        fake.add_user(user, f"Medarbejder {number}")
    fake.add_user(BOT_USER, "Kompetencebot", bot=True)
    fake.add_channel(CHANNEL, CHANNEL_NAME, [*members, BOT_USER])
    return fake


@contextlib.asynccontextmanager
async def workspace(members: Sequence[str]) -> AsyncIterator[FakeSlack]:
    """`slack_workspace`, stopped when the test is done with it."""
    fake = await slack_workspace(members)
    try:
        yield fake
    finally:
        await fake.stop()


def server_env(database_url: str, fake: FakeSlack) -> dict[str, str]:
    """This test's configuration only: nothing inherited from the developer's shell."""
    inherited = ("KOMPETENCEBOT_", "SLACK_", "MICROSOFT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    env.update(
        KOMPETENCEBOT_DATABASE_URL=database_url,
        KOMPETENCEBOT_PLAYGROUND="off",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        KOMPETENCEBOT_METRICS_TOKEN=METRICS_TOKEN,
        PYTHONUNBUFFERED="1",
    )
    return env


async def run_cli(args: Sequence[str], env: dict[str, str], cwd: Path, within: float = 90) -> str:
    """`python -m bot ARGS`; fails the test, showing the output, unless it exits with 0."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), within)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"`kompetencebot {' '.join(args)}` took over {within:.0f} s") from None
    text = output.decode(errors="replace")
    assert process.returncode == 0, f"`kompetencebot {' '.join(args)}` failed:\n{text}"
    return text


async def import_profile(env: dict[str, str], cwd: Path, leader: str) -> None:
    await run_cli(
        [
            "profile",
            "import",
            "materialegaard",
            "--platform",
            "slack",
            "--team",
            CHANNEL,
            "--leader",
            leader,
            "--default-target",
            "3",
        ],
        env,
        cwd,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One `kompetencebot serve` process on 127.0.0.1, its output in `<name>.log`."""

    def __init__(self, name: str, env: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.env = env
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} was never started"
        return self.process.pid

    def start(self) -> None:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def check(self) -> None:
        """Fail the test at once, with the server's last words, if it has died."""
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(
                f"server {self.name} exited with {self.process.returncode}:\n{self.tail()}"
            )

    async def ready(self, http: aiohttp.ClientSession, within: float = 90) -> float:
        async def healthy() -> bool:
            self.check()
            try:
                async with http.get(f"{self.url}/healthz") as response:
                    return response.status == 200
            except aiohttp.ClientError:
                return False

        return await until(healthy, within=within, what=f"{self.name} answers /healthz")

    async def sent(self, http: aiohttp.ClientSession) -> float:
        """This process's kompetencebot_outbox_sent_total{platform="slack"}."""
        bearer = {"Authorization": f"Bearer {self.env['KOMPETENCEBOT_METRICS_TOKEN']}"}
        async with http.get(f"{self.url}/metrics", headers=bearer) as response:
            assert response.status == 200
            found = SENT_METRIC.search(await response.text())
        return float(found.group(1)) if found else 0.0

    def leads(self) -> bool:
        return LEADER_LINE in self.log()

    async def kill(self) -> None:
        """kill -9, and wait until the process is gone."""
        os.kill(self.pid, signal.SIGKILL)
        await self._reap(10)

    async def stop(self) -> None:
        """Shut down politely, then firmly; safe to call on a process that is gone."""
        if self.alive():
            assert self.process is not None
            self.process.terminate()
            if not await self._reap(15):
                self.process.kill()
                await self._reap(10)
        if self._log is not None:
            self._log.close()
            self._log = None

    async def _reap(self, within: float) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + within
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)
        return True


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


async def slash_command(
    http: aiohttp.ClientSession, server: Server, fake: FakeSlack, user: str, text: str
) -> None:
    """`/kompetence TEXT` from `user` in the team's channel, signed like Slack signs it."""
    body = urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "kompetence",
            "channel_id": CHANNEL,
            "channel_name": CHANNEL_NAME,
            "user_id": user,
            "user_name": user.lower(),
            "command": "/kompetence",
            "text": text,
            "api_app_id": "AKOMP",
            "response_url": fake.response_url(),
            "trigger_id": f"trigger.{time.monotonic_ns()}",
        }
    ).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
    async with http.post(f"{server.url}/slack/events", data=body, headers=headers) as response:
        assert response.status == 200, await response.text()


def posts(fake: FakeSlack) -> Counter[tuple[str, str]]:
    """chat.postMessage calls the fake received, per (channel or user id, outbox key)."""
    seen: Counter[tuple[str, str]] = Counter()
    for call in fake.called("chat.postMessage"):
        metadata = call.args.get("metadata") or {}
        key = str((metadata.get("event_payload") or {}).get("key") or "")
        seen[(str(call.args.get("channel")), key)] += 1
    return seen


def dms(fake: FakeSlack, kind: str) -> Counter[tuple[str, str]]:
    """DMs (posted to a user id) whose outbox key is `round:N:<kind>:…`."""
    return Counter(
        {
            (to, key): n
            for (to, key), n in posts(fake).items()
            if to.startswith("U") and key.split(":")[2:3] == [kind]
        }
    )


async def until(
    check: Callable[[], bool | Awaitable[bool]],
    *,
    within: float,
    what: str,
    servers: Sequence[Server] = (),
    every: float = 0.1,
) -> float:
    """Poll `check` until it holds; the seconds it took. Fails fast when a server dies."""
    started = time.monotonic()
    while True:
        for server in servers:
            server.check()
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return time.monotonic() - started
        if time.monotonic() - started > within:
            raise AssertionError(f"not within {within:.0f} s: {what}")
        await asyncio.sleep(every)
