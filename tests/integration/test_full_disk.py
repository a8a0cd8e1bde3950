"""A real full disk under a real server: the SQLite database on a small tmpfs that fills up.

While the disk is full a click gets the polite "could not save, try again" answer, nothing
of it is stored (not even its event id, so Slack's retry of the very same click counts),
`/healthz` answers 503, and the log says so once. Once space is freed, the same clicks
succeed. Mounting a tmpfs needs root (a container's root will do); elsewhere the test is
skipped and says so.
"""

from __future__ import annotations

import contextlib
import errno
import json
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from storage.models import Score
from tests.fakes.slack_api import TEAM_ID, FakeSlack
from tests.support.processes import (
    Server,
    import_profile,
    people,
    server_env,
    signed,
    slash_command,
    until,
    workspace,
)

MEMBERS = people(4)
LEADER = MEMBERS[0]
DISK = "4m"
CHUNKS = (1 << 20, 1 << 16, 1 << 12)
"""Fill with ever smaller writes, down to tmpfs's page: then no file can grow a page."""


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Write a file until the filesystem has no page left; return it."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        for size in CHUNKS:
            block = b"\0" * size
            with contextlib.suppress(OSError):
                while True:
                    try:
                        out.write(block)
                    except OSError as exc:
                        assert exc.errno == errno.ENOSPC
                        raise
    return filler


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with workspace(MEMBERS) as slack:
        yield slack


def click_body(fake: FakeSlack, user: str, message: tuple[str, str], label: str, ts: str) -> bytes:
    """A signed-to-be block_actions payload: `user` presses the button starting with `label`
    on `message`; `ts` is the click's action_ts (Slack's retry of a click repeats it)."""
    blocks = fake.messages[message].get("blocks") or []
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    [pressed] = [b for b in buttons if b["text"]["text"].startswith(label)]
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "kompetence"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "AKOMP",
        "token": "legacy",
        "trigger_id": f"trigger.{ts}",
        "actions": [{**pressed, "block_id": "b", "action_ts": ts}],
        "container": {
            "type": "message",
            "message_ts": message[1],
            "channel_id": message[0],
            "is_ephemeral": False,
        },
        "channel": {"id": message[0], "name": "directmessage"},
        "response_url": fake.response_url(message),
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


async def post_click(http: aiohttp.ClientSession, server: Server, body: bytes) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
    async with http.post(f"{server.url}/slack/events", data=body, headers=headers) as response:
        assert response.status == 200, await response.text()


def intro(fake: FakeSlack, user: str) -> tuple[str, str]:
    [message] = [key for key in fake.messages if key[0] == "D" + user[1:]]
    return message


def answers_to(fake: FakeSlack, body: bytes) -> list[str]:
    """What the server said through the click's response_url."""
    url = json.loads(dict(parse_qsl(body.decode()))["payload"])["response_url"]
    return [str(c.args.get("text")) for c in fake.called("response_url") if c.args["url"] == url]


async def test_a_full_disk_refuses_clicks_politely_and_they_succeed_once_space_is_freed(
    small_disk: Path, fake: FakeSlack, tmp_path: Path
) -> None:
    database = small_disk / "kompetencebot.db"
    env = server_env(f"sqlite+aiosqlite:///{database}", fake)
    await import_profile(env, tmp_path, LEADER)
    server = Server("full-disk", env, tmp_path)
    engine = create_async_engine(f"sqlite+aiosqlite:///{database}")

    async def scores() -> int:
        async with engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(Score)) or 0)

    server.start()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            await server.ready(http)
            await slash_command(http, server, fake, LEADER, "start 3d")
            await until(
                lambda: all(("D" + u[1:]) in {k[0] for k in fake.messages} for u in MEMBERS),
                within=60,
                what="every member's intro",
                servers=[server],
            )
            for number, user in enumerate(MEMBERS):
                await post_click(
                    http,
                    server,
                    click_body(fake, user, intro(fake, user), "Kom i gang", f"1.{number}"),
                )
            await until(
                lambda: all(fake.messages[intro(fake, u)].get("replace_original") for u in MEMBERS),
                within=30,
                what="every member's first prompt",
                servers=[server],
            )
            clicks = [
                click_body(fake, user, intro(fake, user), "3 ·", f"2.{number}")
                for number, user in enumerate(MEMBERS)
            ]

            filler = fill(small_disk)
            for body in clicks:
                await post_click(http, server, body)
            for body in clicks:
                await until(
                    lambda body=body: bool(answers_to(fake, body)),
                    within=30,
                    what="the polite answer to a click on a full disk",
                    servers=[server],
                )
                [said] = answers_to(fake, body)
                assert "kunne ikke gemme det lige nu" in said and "Prøv igen" in said
            assert await scores() == 0
            async with http.get(f"{server.url}/healthz") as response:
                assert response.status == 503
                assert (await response.json())["database"] == "not writable"

            filler.unlink()
            await server.ready(http, within=30)
            for body in clicks:  # Slack's retry of the very same click
                await post_click(http, server, body)
            assert await scores() == len(MEMBERS)
            for body in clicks:  # the refusal, then the next prompt in its place
                await until(
                    lambda body=body: len(answers_to(fake, body)) == 2,
                    within=30,
                    what="the next prompt after a retried click",
                    servers=[server],
                )
                assert "kunne ikke" not in answers_to(fake, body)[1]
    finally:
        await engine.dispose()
        await server.stop()
    log = server.log()
    assert log.count("database not writable, backing off") == 1
    assert log.count("database writable again") == 1
    assert "Traceback" not in log
