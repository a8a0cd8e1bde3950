"""Slack tests drive the real `/slack/events` endpoint with signed requests, against the
fake Web API in tests/fakes/slack_api.py, on SQLite and (when configured) PostgreSQL. The
harness itself lives in slack_harness.py, where tests outside this folder can import it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.config import Settings, load_settings
from tests.integration.slack.slack_harness import BOT_TOKEN, SECRET, SlackHarness, populate
from tests.support.pace import human_pace


def _load_fake() -> ModuleType:
    """Loaded by path: tests/ is not a package, and other projects may ship a `tests`."""
    path = Path(__file__).resolve().parents[2] / "fakes" / "slack_api.py"
    spec = importlib.util.spec_from_file_location("kompetencebot_fake_slack_api", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fake_slack = _load_fake()
FakeSlack = fake_slack.FakeSlack


@pytest.fixture
async def fake() -> AsyncIterator[Any]:
    slack = FakeSlack()
    await slack.start()
    populate(slack)
    yield slack
    await slack.stop()


@pytest.fixture
def slack_settings(database_url: str, fake: Any) -> Settings:
    return load_settings(
        database_url=database_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        playground=False,
    )


@pytest.fixture
def harness() -> type[SlackHarness]:
    """For tests that build their own app (other settings) and still send signed requests."""
    return SlackHarness


@pytest.fixture
async def slack(slack_settings: Settings, fake: Any) -> AsyncIterator[SlackHarness]:
    async with TestClient(TestServer(create_app(slack_settings, dispatch=False))) as client:
        yield SlackHarness(client, fake)


@pytest.fixture(autouse=True)
def _people_read_before_they_tap(monkeypatch: pytest.MonkeyPatch) -> None:
    human_pace(monkeypatch)
