"""Socket Mode: the same app over Slack's WebSocket, for servers Slack cannot reach."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.config import load_settings


async def test_a_slash_command_over_socket_mode(database_url: str, fake: Any) -> None:
    settings = load_settings(
        database_url=database_url,
        slack_bot_token="xoxb-test-token",
        slack_app_token="xapp-1-test",
        slack_api_url=fake.api_url,
        playground=False,
    )
    async with TestClient(TestServer(create_app(settings, dispatch=False))) as client:
        assert [c.token for c in fake.called("apps.connections.open")] == ["xapp-1-test"]
        # Without a signing secret there is nothing to verify HTTP requests with.
        assert (await client.post("/slack/events", data=b"{}")).status == 404
        async with asyncio.timeout(10):
            await fake.until(lambda: bool(fake.sockets))
        envelope = await fake.socket_send(
            "slash_commands",
            {
                "team_id": fake.team_id,
                "channel_id": "C0TEAM",
                "channel_name": "materialegaarden",
                "user_id": "UANNA",
                "user_name": "anna",
                "command": "/kompetence",
                "text": "hjælp",
                "trigger_id": "trigger.socket",
                "response_url": fake.response_url(),
            },
        )
        async with asyncio.timeout(10):
            await fake.until(lambda: any(a["envelope_id"] == envelope for a in fake.socket_acks))
        [ack] = [a for a in fake.socket_acks if a["envelope_id"] == envelope]
        assert ack["payload"]["response_type"] == "ephemeral"
        assert "opsæt" in ack["payload"]["text"]
