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


def invited_as(page: Any, server: Server, who: str) -> None:
    """Anna starts a round in the channel; the page then shows `who`, once invited."""
    page.goto(server.url)
    page.locator("#person").select_option("anna")
    page.locator("body[data-me=anna]").wait_for(state="attached")
    page.locator("#channel-pane input").fill("start 3d")
    page.locator("#channel-pane input").press("Enter")
    page.locator("#channel").get_by_text("Ny kompetencerunde").wait_for()
    invited(page, server, who)
    page.locator("#person").select_option(who)
    page.locator(f"body[data-me={who}]").wait_for(state="attached")


def my_answers(page: Any) -> dict[str, str]:
    """What `mine` shows the member on the page: each competence's answer or mark."""
    page.locator("#dm-pane input").fill("mine")
    page.locator("#dm-pane input").press("Enter")
    mine = page.locator("#dm > article").filter(has_text="Dine svar i")
    mine.wait_for()
    rows = [line.split("\t") for line in mine.inner_text().splitlines() if "\t" in line][1:]
    return {row[0].split()[0]: row[1] for row in rows}


def invited(page: Any, server: Server, who: str) -> None:
    """Wait until `who` has the round's invitation: the outbox delivers it after `start`."""
    deadline = time.monotonic() + 30
    while "Kom i gang" not in page.request.get(f"{server.url}/api/state?as={who}").text():
        assert time.monotonic() < deadline, f"{who} got no invitation"
        page.wait_for_timeout(100)
