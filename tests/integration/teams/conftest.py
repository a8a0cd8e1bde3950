"""Teams fixtures: the app with its Bot Connector pointed at a local fake (random port)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.config import Settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.integration.teams.teams_harness import (
    BOT,
    MEMBERS,
    PUBLIC_URL,
    TEAM_ID,
    TeamsClient,
    user,
)
from tests.support.pace import human_pace


@pytest.fixture
async def connector() -> AsyncIterator[FakeBotConnector]:
    fake = FakeBotConnector()
    fake.rosters[TEAM_ID] = [user(m) for m in MEMBERS] + [
        {"id": "28:other-bot", "name": "Planner"},
        BOT,
    ]
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def teams_settings(settings: Settings) -> Settings:
    """The Emulator switch: the harness posts unsigned activities from the loopback fake."""
    return settings.model_copy(update={"public_url": PUBLIC_URL, "teams_emulator": True})


@pytest.fixture
async def teams(
    teams_settings: Settings, connector: FakeBotConnector
) -> AsyncIterator[TeamsClient]:
    app = create_app(teams_settings, dispatch=False)
    async with TestClient(TestServer(app)) as client:
        yield TeamsClient(client, connector)


@pytest.fixture(autouse=True)
def _people_read_before_they_tap(monkeypatch: pytest.MonkeyPatch) -> None:
    human_pace(monkeypatch)
