"""The Teams test harness: Teams-shaped activities posted to /api/messages, and readers for
the cards the fake Bot Connector received."""

from __future__ import annotations

import itertools
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import DISPATCHER, RUNTIME
from bot.runtime import Runtime
from bot.services.profiles import save_profile
from catalog.profiles import parse_profile
from storage import teams as repo
from tests.fakes.bot_connector import FakeBotConnector, Posted

TENANT = "72f988bf-0000-4000-8000-00000000c0de"
BOT = {"id": "28:kompetencebot", "name": "Kompetencebot"}
TEAM_ID = "19:general-1@thread.tacv2"
GENERAL = TEAM_ID
PUBLIC_URL = "https://kompetencebot.example.dk"
LEADER = {"id": "29:lea", "name": "Lea Leder"}
MEMBERS = [
    LEADER,
    {"id": "29:bo", "name": "Bo Jensen"},
    {"id": "29:cecilie", "name": "Cecilie Nielsen"},
    {"id": "29:david", "name": "David Larsen"},
]
TARGETS = {"M02": 4, "M05": 3, "M13": 3}


def user(member: dict[str, str]) -> dict[str, Any]:
    return {**member, "aadObjectId": f"aad-{member['id'][3:]}"}


class TeamsClient:
    """Posts activities the way Teams does and reads back what the bot sent."""

    def __init__(self, client: TestClient, connector: FakeBotConnector) -> None:
        self.client = client
        self.connector = connector
        self._ids = itertools.count(1000)

    @property
    def runtime(self) -> Runtime:
        return self.client.app[RUNTIME]

    async def drain(self) -> None:
        await self.client.app[DISPATCHER].drain()

    def _base(self, kind: str, sender: dict[str, str], conversation: dict[str, Any]) -> dict:
        return {
            "type": kind,
            "id": str(next(self._ids)),
            "timestamp": "2026-11-27T09:00:00.000Z",
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": user(sender),
            "recipient": BOT,
            "conversation": {"tenantId": TENANT, **conversation},
            "locale": "da-DK",
        }

    def _channel(self, kind: str, sender: dict[str, str], conversation_id: str) -> dict:
        activity = self._base(
            kind,
            sender,
            {"isGroup": True, "conversationType": "channel", "id": conversation_id},
        )
        channel = conversation_id.split(";")[0]
        activity["channelData"] = {
            "teamsChannelId": channel,
            "teamsTeamId": TEAM_ID,
            "channel": {"id": channel},
            "team": {"id": TEAM_ID},
            "tenant": {"id": TENANT},
        }
        return activity

    def mention(
        self, sender: dict[str, str], text: str, channel: str = GENERAL, kind: str | None = None
    ) -> dict:
        """`@Kompetencebot TEXT` posted as a new thread in a channel (`kind`: "private"…)."""
        activity = self._channel("message", sender, channel)
        activity["conversation"]["id"] = f"{channel};messageid={activity['id']}"
        if kind:
            activity["channelData"]["channel"]["type"] = kind
        activity["text"] = f"<at>{BOT['name']}</at> {text}"
        activity["textFormat"] = "plain"
        activity["entities"] = [
            {"type": "mention", "text": f"<at>{BOT['name']}</at>", "mentioned": BOT},
            {"type": "clientInfo", "locale": "da-DK", "platform": "Web"},
        ]
        return activity

    def personal(self, sender: dict[str, str], text: str) -> dict:
        activity = self._base(
            "message",
            sender,
            {"conversationType": "personal", "id": f"a:chat-{sender['id']}"},
        )
        activity["text"] = text
        activity["channelData"] = {"tenant": {"id": TENANT}}
        return activity

    def install(self, installer: dict[str, str], channel: str = GENERAL) -> dict:
        """What Teams sends when the app is added to a team: the bot joins General."""
        activity = self._channel("conversationUpdate", installer, channel)
        activity["membersAdded"] = [BOT]
        activity["channelData"]["eventType"] = "teamMemberAdded"
        activity["channelData"]["team"]["name"] = "Materialegården"
        return activity

    def uninstall(self, remover: dict[str, str], channel: str = GENERAL) -> dict:
        activity = self._channel("installationUpdate", remover, channel)
        activity["action"] = "remove"
        return activity

    def _click(self, clicker: dict[str, str], posted: Posted, kind: str) -> dict:
        if posted.conversation.startswith("a:"):
            conversation = {"conversationType": "personal", "id": posted.conversation}
            activity = self._base(kind, clicker, conversation)
            activity["channelData"] = {"tenant": {"id": TENANT}, "source": {"name": "message"}}
        else:
            activity = self._channel(kind, clicker, posted.conversation)
        activity["replyToId"] = posted.id
        return activity

    def execute(self, clicker: dict[str, str], posted: Posted, action: dict) -> dict:
        """An Action.Execute click: an adaptiveCard/action invoke."""
        activity = self._click(clicker, posted, "invoke")
        activity["name"] = "adaptiveCard/action"
        activity["value"] = {
            "action": {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]},
            "trigger": "manual",
        }
        return activity

    def submit(self, clicker: dict[str, str], posted: Posted, action: dict) -> dict:
        """An Action.Submit click (the fallback): a message carrying the data as its value."""
        activity = self._click(clicker, posted, "message")
        activity["value"] = action["fallback"]["data"]
        return activity

    async def post(self, activity: dict, headers: dict[str, str] | None = None) -> ClientResponse:
        return await self.client.post("/api/messages", json=activity, headers=headers)

    async def send(self, activity: dict) -> Any:
        """Post, expect success, and return the JSON body (an invoke's response), if any."""
        response = await self.post(activity)
        assert response.status == 200, await response.text()
        return await response.json() if response.content_type == "application/json" else None

    async def set_profile(self, leaders: list[str], key: str = GENERAL) -> None:
        """The leader's profile, as `kompetencebot profile import` would store it."""
        async with self.runtime.transaction() as session:
            team = await repo.get_or_create(
                session, "teams", key, language="da", timezone="Europe/Copenhagen"
            )
            repo.add_leaders(team, leaders)
            spec = parse_profile(
                {"template": "materialegaard", "targets": TARGETS}, default_target=0
            )
            await save_profile(session, team, spec, created_by="cli")

    async def rows(self, model: Any) -> list[Any]:
        async with self.runtime.sessions() as session:
            return list((await session.scalars(select(model))).all())


def links(card: dict[str, Any]) -> dict[str, str]:
    """The card's buttons that open a page: title to URL."""
    found: dict[str, str] = {}

    def walk(elements: list[dict[str, Any]]) -> None:
        for element in elements:
            for action in element.get("actions") or []:
                if action["type"] == "Action.OpenUrl":
                    found[action["title"]] = action["url"]
            walk(element.get("items") or [])

    walk([*(card.get("body") or []), {"actions": card.get("actions") or []}])
    return found


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Execute action of a card, in reading order (body ActionSets, then card actions)."""
    found: list[dict[str, Any]] = []

    def walk(elements: list[dict[str, Any]]) -> None:
        for element in elements:
            if element.get("type") == "ActionSet":
                found.extend(a for a in element["actions"] if a["type"] == "Action.Execute")
            walk(element.get("items") or [])

    walk(card.get("body") or [])
    found.extend(a for a in card.get("actions") or [] if a["type"] == "Action.Execute")
    return found


def button(card: dict[str, Any], title_start: str) -> dict[str, Any]:
    matches = [a for a in actions(card) if a["title"].startswith(title_start)]
    assert matches, f"no button {title_start!r} in {[a['title'] for a in actions(card)]}"
    return matches[0]


def row(card: dict[str, Any], first_cell: str) -> list[str]:
    """The cells of the card's table row that starts with `first_cell`."""
    rows = [line.split(" | ") for line in texts(card).split("\n") if " | " in line]
    matches = [cells for cells in rows if cells[0].startswith(first_cell)]
    assert matches, f"no row {first_cell!r} in {rows}"
    return matches[0]


def texts(card: dict[str, Any]) -> str:
    """All text on a card, for asserting on what a person reads: a fact as "title: value",
    a row of columns as its cells between " | "."""
    parts: list[str] = []

    def walk(elements: list[dict[str, Any]]) -> None:
        for element in elements:
            kind = element.get("type")
            if kind == "TextBlock":
                parts.append(element["text"])
            elif kind == "FactSet":
                parts.extend(f"{f['title']}: {f['value']}" for f in element["facts"])
            elif kind == "ColumnSet":
                cells = [texts({"body": column["items"]}) for column in element["columns"]]
                parts.append(" | ".join(cells))
            walk(element.get("items") or [])

    walk(card.get("body") or [])
    return "\n".join(parts)
