"""Every endpoint reads at most 1 MB of body and gives a body 10 s to arrive: a client that
sends too much gets 413, one that trickles its body is cut off (408), and neither keeps a
connection or the handler busy."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import request_limits
from bot.app import create_app
from bot.config import Settings

ENDPOINTS = ["/slack/events", "/api/messages", "/api/command"]


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[TestClient]:
    everything = settings.model_copy(
        update={
            "slack_bot_token": "xoxb-limits",
            "slack_signing_secret": "limits-signing-secret",
            "teams_emulator": True,
            "playground": True,
        }
    )
    async with TestClient(TestServer(create_app(everything, dispatch=False))) as client:
        yield client


def test_the_limits_are_those_of_the_contract() -> None:
    assert request_limits.MAX_BODY == 1_000_000
    assert request_limits.BODY_TIMEOUT == 10.0


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_a_body_over_one_megabyte_is_refused(client: TestClient, path: str) -> None:
    response = await client.post(
        path, data=b"{" + b" " * 1_000_001, headers={"Content-Type": "application/json"}
    )
    assert response.status == 413


async def test_a_chunked_body_over_one_megabyte_is_refused(client: TestClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b" " * 100_000

    response = await client.post(
        "/api/messages", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status == 413


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_a_trickled_body_is_cut_off(
    client: TestClient,
    path: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One byte at a time, slower than the whole body may take: a 408 and a closed
    connection once the (here shortened) time is up, not a connection held forever."""
    monkeypatch.setattr(request_limits, "BODY_TIMEOUT", 0.5)
    reader, writer = await asyncio.open_connection(client.host, client.port)
    started = time.monotonic()
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\n\r\n".encode()
    )

    async def trickle() -> None:
        with contextlib.suppress(ConnectionError):  # the server hangs up: what we want
            for _ in range(100):
                writer.write(b" ")
                await writer.drain()
                await asyncio.sleep(0.2)

    sending = asyncio.create_task(trickle())
    try:
        answer = await asyncio.wait_for(reader.read(), timeout=5)  # until the server closes
    finally:
        sending.cancel()
        writer.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
    assert 0.5 <= time.monotonic() - started < 3
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
