"""The playground's unit owner: Hanne starts a campaign from `oversigt` in her private chat,
the rounds close at their deadlines, and the overview with its chart arrives in her chat
only; the chart loads from the link the page shows."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import DISPATCHER, create_app
from bot.config import Settings
from bot.runtime import RUNTIME
from tests.support.campaign import TITLE, close_at_deadlines

BUTTON = re.compile(r'data-action="([^"]+)" data-payload="([^"]*)">([^<]*)</button>')
CHART = re.compile(r'<img class="chart" src="(/files/[^/"]+/chart\.png)"')


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[TestClient]:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'play.db'}", playground=True)
    async with TestClient(TestServer(create_app(settings, dispatch=False, schedule=False))) as app:
        yield app


async def private_chat(client: TestClient, who: str) -> list[dict[str, Any]]:
    response = await client.get("/api/state", params={"as": who})
    assert response.status == 200
    messages: list[dict[str, Any]] = (await response.json())["messages"]["dm"]
    return messages


async def press(
    client: TestClient, who: str, message: dict[str, Any], label: str, **more: Any
) -> None:
    for action, payload, text in BUTTON.findall(message["html"]):
        if html.unescape(text).startswith(label):
            body = {"as": who, "message": message["id"], "action": action}
            body["data"] = json.loads(html.unescape(payload))
            response = await client.post("/api/action", json={**body, **more})
            assert response.status == 200, await response.text()
            await client.app[DISPATCHER].drain()
            return
    raise AssertionError(f"no button {label!r} in {message['html']}")


async def test_the_owner_gets_the_overview_with_its_chart_in_her_chat(
    playground: TestClient,
) -> None:
    says = await playground.post(
        "/api/command", json={"as": "hanne", "text": "oversigt", "where": "dm"}
    )
    assert says.status == 200
    await playground.app[DISPATCHER].drain()
    await press(playground, "hanne", (await private_chat(playground, "hanne"))[-1], "Start en")
    form = (await private_chat(playground, "hanne"))[-1]
    await press(playground, "hanne", form, "Start kampagnen", fields={"deadline": "2d"})
    assert "startet i 2 hold" in (await private_chat(playground, "hanne"))[-1]["html"]

    await close_at_deadlines(playground.app[RUNTIME], playground.app[DISPATCHER].drain, teams=2)
    overview = (await private_chat(playground, "hanne"))[-1]["html"]
    assert TITLE in html.unescape(overview)
    [src] = CHART.findall(overview)
    chart = await playground.get(src)
    assert chart.status == 200 and (await chart.read()).startswith(b"\x89PNG")
    for member in ("anna", "bo"):
        assert TITLE not in html.unescape(json.dumps(await private_chat(playground, member)))
