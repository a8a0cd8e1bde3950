"""A real playground server process, and Debian's Chromium to drive it."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.support.processes import Server

CHROMIUM = os.environ.get("KOMPETENCEBOT_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMPETENCEBOT_", "SLACK_"))}
    env["KOMPETENCEBOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'play.db'}"
    process = Server("playground", env, tmp_path)
    process.start()

    async def ready() -> None:
        async with aiohttp.ClientSession() as http:
            await process.ready(http, within=30)

    try:
        asyncio.run(ready())
        yield process
    finally:
        asyncio.run(process.stop())


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium under Playwright (never `playwright install`)."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def invited(page: Any, server: Server, who: str) -> None:
    """Wait until `who` has the round's invitation: the outbox delivers it after `start`."""
    deadline = time.monotonic() + 30
    while "Kom i gang" not in page.request.get(f"{server.url}/api/state?as={who}").text():
        assert time.monotonic() < deadline, f"{who} got no invitation"
        page.wait_for_timeout(100)
