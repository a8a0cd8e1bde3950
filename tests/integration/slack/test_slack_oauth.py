"""Multi-workspace install through OAuth, with installations kept in our own database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot.app import create_app
from bot.config import load_settings
from bot.runtime import RUNTIME


@pytest.fixture
async def installable(database_url: str, fake: Any) -> AsyncIterator[TestClient]:
    settings = load_settings(
        database_url=database_url,
        slack_client_id="1111.2222",
        slack_client_secret="client-secret",
        slack_signing_secret="8f742231b10e8888abcd99yyyzzz85a5",
        slack_api_url=fake.api_url,
        public_url="https://kompetencebot.example",
        playground=False,
    )
    async with TestClient(TestServer(create_app(settings, dispatch=False))) as client:
        yield client


async def test_install_keeps_the_workspace_token_and_uses_it(
    installable: TestClient, fake: Any, harness: Any
) -> None:
    page = await installable.get("/slack/install")
    assert page.status == 200
    html = await page.text()
    start = html.index(fake.url + "/oauth/v2/authorize")
    link = html[start : html.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlparse(link).query)
    assert query["client_id"] == ["1111.2222"]
    assert "commands" in query["scope"][0].split(",")
    assert query["redirect_uri"] == ["https://kompetencebot.example/slack/oauth_redirect"]
    cookie = page.headers["Set-Cookie"].split(";")[0]

    forged = await installable.get("/slack/oauth_redirect?code=good-code&state=made-up")
    assert forged.status != 200 or "error" in (await forged.text()).lower()
    done = await installable.get(
        f"/slack/oauth_redirect?code=good-code&state={query['state'][0]}",
        headers={"Cookie": cookie},
    )
    assert done.status == 200, await done.text()
    assert len(fake.called("oauth.v2.access")) == 1

    runtime = installable.server.app[RUNTIME]
    async with runtime.engine.connect() as connection:
        bots = (await connection.execute(text("SELECT team_id, bot_token FROM slack_bots"))).all()
    assert [tuple(row) for row in bots] == [("T0OTHER", "xoxb-installed")]

    other = harness(installable, fake)
    other.team_id = "T0OTHER"
    reply = await other.command("UANNA", "hjælp")
    assert "opsæt" in reply["text"]
    assert {call.token for call in fake.called("users.info")} == {"xoxb-installed"}


async def test_without_oauth_there_is_no_install_page(slack: Any) -> None:
    response = await slack.client.get("/slack/install")
    assert response.status == 404
