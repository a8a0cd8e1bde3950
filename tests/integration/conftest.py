"""The channel driver (tests/support/drivers.py): one fixture runs a test on every channel."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from tests.support.drivers import CHANNELS, Driver, open_driver
from tests.support.pace import human_pace


@pytest.fixture(params=CHANNELS)
async def driver(
    request: pytest.FixtureRequest, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Driver]:
    """Slack, Teams and the playground in turn, with people tapping at a human pace."""
    human_pace(monkeypatch)
    async with open_driver(request.param, settings) as opened:
        yield opened
