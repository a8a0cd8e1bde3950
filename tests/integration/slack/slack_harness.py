"""The Slack test harness: signed requests to /slack/events and readers for what the fake
Web API saw. Importable (unlike conftest.py), so tests outside slack/ can drive Slack too."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.adapters.slack import SLACK
from bot.app import DISPATCHER
from bot.runtime import RUNTIME
from bot.services.profiles import save_profile
from catalog.profiles import parse_profile
from storage import teams as repo
from storage.models import Base
from tests.fakes.slack_api import BOT_USER, TEAM_ID

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
CHANNEL = "C0TEAM"
CHANNEL_NAME = "materialegaarden"
LEADER = "ULEAD"
MEMBERS = ("UANNA", "UBO", "UCECILIE")
PROFILE = {
    "name": "Materialegården",
    "language": "da",
    "competences": [
        {"id": "M02", "target": 3},
        {"id": "M05", "target": 2},
        {"id": "M18", "target": 4},
    ],
}


def signature(body: bytes, timestamp: int, secret: str = SECRET) -> dict[str, str]:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


class SlackHarness:
    """A workspace's worth of people clicking at our server, and what Slack saw of it.

    Test modules cannot import this conftest, so the workspace's names travel with it.
    """

    CHANNEL = CHANNEL
    CHANNEL_NAME = CHANNEL_NAME
    LEADER = LEADER
    MEMBERS = MEMBERS
    PEOPLE = (LEADER, *MEMBERS)
    TEAM_ID = TEAM_ID
    sign = staticmethod(signature)

    def __init__(self, client: TestClient, fake: Any) -> None:
        self.client = client
        self.fake = fake
        self.app = client.server.app
        self.runtime = self.app[RUNTIME]
        self.team_id = TEAM_ID
        self._ids = itertools.count(1)

    # -- requests --------------------------------------------------------------------------

    async def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> ClientResponse:
        signed = headers or signature(body, timestamp or int(time.time()))
        return await self.client.post(
            "/slack/events", data=body, headers={"Content-Type": content_type, **signed}
        )

    def command_body(self, user: str, text: str, channel: str = CHANNEL) -> bytes:
        direct = channel.startswith("D")
        fields = {
            "token": "legacy",
            "team_id": self.team_id,
            "team_domain": "kompetence",
            "channel_id": channel,
            "channel_name": "directmessage" if direct else CHANNEL_NAME,
            "user_id": user,
            "user_name": user.lower(),
            "command": "/kompetence",
            "text": text,
            "api_app_id": "AKOMP",
            "response_url": self.fake.response_url(),
            "trigger_id": f"trigger.{next(self._ids)}",
        }
        return urlencode(fields).encode()

    async def command(self, user: str, text: str, channel: str = CHANNEL) -> dict[str, Any]:
        response = await self.post(
            self.command_body(user, text, channel), "application/x-www-form-urlencoded"
        )
        assert response.status == 200, await response.text()
        body = await response.text()
        return json.loads(body) if body else {}

    def action_body(
        self,
        user: str,
        action_id: str,
        value: str,
        *,
        message: tuple[str, str] | None = None,
        view: dict[str, Any] | None = None,
        action_ts: str | None = None,
    ) -> bytes:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": "kompetence"},
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "api_app_id": "AKOMP",
            "token": "legacy",
            "trigger_id": f"trigger.{next(self._ids)}",
            "actions": [
                {
                    "type": "button",
                    "block_id": "b",
                    "action_id": action_id,
                    "value": value,
                    "action_ts": action_ts or f"{time.time():.6f}",
                }
            ],
        }
        if message is not None:
            channel, ts = message
            payload["container"] = {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["response_url"] = self.fake.response_url(message)
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = view
        return urlencode({"payload": json.dumps(payload)}).encode()

    async def click(self, user: str, action_id: str, value: str, **where: Any) -> ClientResponse:
        body = self.action_body(user, action_id, value, **where)
        return await self.post(body, "application/x-www-form-urlencoded")

    async def press(self, user: str, message: tuple[str, str], label: str) -> ClientResponse:
        """Press the button whose text starts with `label` on a message as Slack shows it."""
        element = self.button(message, label)
        response = await self.click(user, element["action_id"], element["value"], message=message)
        assert response.status == 200, await response.text()
        await self.settle()
        return response

    def button(self, message: tuple[str, str], label: str) -> dict[str, Any]:
        for element in self.buttons(message):
            if element["text"]["text"].startswith(label):
                return element
        raise AssertionError(f"no button {label!r} on {message}: {self.buttons(message)}")

    def buttons(self, message: tuple[str, str]) -> list[dict[str, Any]]:
        blocks = self.fake.messages[message].get("blocks") or []
        return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]

    async def submit(
        self, user: str, view: dict[str, Any], changes: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Submit a modal as shown, with `changes` (field name -> value) typed in."""
        values: dict[str, Any] = {}
        for block in view["blocks"]:
            if block["type"] != "input":
                continue
            name = block["block_id"].removeprefix("f:")
            element = block["element"]
            if element["type"] == "static_select":
                chosen = (changes or {}).get(
                    name, (element.get("initial_option") or {}).get("value")
                )
                option = {"value": chosen} if chosen is not None else None
                values[block["block_id"]] = {
                    "v": {"type": "static_select", "selected_option": option}
                }
            else:
                typed = (changes or {}).get(name, element.get("initial_value"))
                values[block["block_id"]] = {"v": {"type": "plain_text_input", "value": typed}}
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "kompetence"},
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "api_app_id": "AKOMP",
            "trigger_id": f"trigger.{next(self._ids)}",
            "view": {
                **view,
                "id": view.get("id") or f"V{next(self._ids)}",
                "hash": f"h{next(self._ids)}",
                "state": {"values": values},
            },
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        response = await self.post(body, "application/x-www-form-urlencoded")
        assert response.status == 200, await response.text()
        text = await response.text()
        return json.loads(text) if text else {}

    async def event(self, event: dict[str, Any]) -> ClientResponse:
        payload = {
            "token": "legacy",
            "team_id": self.team_id,
            "api_app_id": "AKOMP",
            "type": "event_callback",
            "event_id": f"Ev{next(self._ids)}",
            "event_time": int(time.time()),
            "event": event,
        }
        return await self.post(json.dumps(payload).encode(), "application/json")

    # -- delivery and state ----------------------------------------------------------------

    async def settle(self) -> None:
        await self.app[SLACK].followups.settle()

    async def drain(self) -> None:
        """Deliver what the outbox holds, and let every reply after an ack go out."""
        await self.settle()
        await self.app[DISPATCHER].drain()

    async def count(self, model: type[Base], *where: Any) -> int:
        async with self.runtime.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(model).where(*where)))

    async def import_profile(self, channel: str = CHANNEL) -> None:
        """The team's profile as `kompetencebot profile import` would store it."""
        async with self.runtime.transaction() as session:
            team = await repo.get_or_create(
                session, "slack", channel, language="da", timezone="Europe/Copenhagen"
            )
            repo.add_leaders(team, [LEADER])
            await save_profile(session, team, parse_profile(PROFILE), created_by=LEADER)

    def dm(self, user: str) -> list[tuple[str, str]]:
        """The messages the bot posted to `user`'s DM, oldest first."""
        channel = "D" + user[1:]
        return sorted(key for key in self.fake.messages if key[0] == channel)


def populate(slack: Any) -> None:
    """The workspace every Slack test meets: the team's people, a few accounts that are not
    people (a bot, an app user, a deactivated colleague) and the team's channel."""
    slack.add_user(LEADER, "Lis Leder")
    for user, name in zip(MEMBERS, ("Anna Holm", "Bo Jensen", "Cecilie Nielsen"), strict=True):
        slack.add_user(user, name)
    slack.add_user("UADMIN", "Ada Admin", admin=True)
    slack.add_user("UROBOT", "Rapportrobot", bot=True)
    slack.add_user("UAPP", "Workflow", app_user=True)
    slack.add_user("UGONE", "Gammel Kollega", deleted=True)
    slack.add_user(BOT_USER, "Kompetencebot", bot=True)
    members = [LEADER, *MEMBERS, "UROBOT", "UAPP", "UGONE", BOT_USER]
    slack.add_channel(CHANNEL, CHANNEL_NAME, members)
