"""One person's side of a channel, the same for Slack, Teams and the playground.

The channel-contract test plays one round through each adapter's real HTTP endpoint: Slack
through signed requests against the fake Web API, Teams through activities against the fake
Bot Connector, the playground through the JSON API its page uses. A `Driver` types, clicks
and reads what a person sees there; the test never looks at a platform's payloads itself.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Protocol

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.teams.translate import ACTION_KEY
from bot.adapters.web import seed
from bot.app import DISPATCHER, create_app
from bot.config import Settings
from bot.runtime import RUNTIME, Runtime
from bot.services.profiles import save_profile
from catalog.profiles import parse_profile
from storage import teams
from tests.fakes.bot_connector import FakeBotConnector, Posted
from tests.fakes.slack_api import FakeSlack
from tests.integration.slack import slack_harness
from tests.integration.slack.slack_harness import SlackHarness
from tests.integration.teams import teams_harness
from tests.integration.teams.teams_harness import TeamsClient

PROFILE = slack_harness.PROFILE
"""Every channel's team measures the same three competences against the same targets."""


@dataclass(frozen=True)
class Seen:
    """A message as a person reads it: its text (markup gone) and its buttons' labels."""

    text: str
    buttons: tuple[str, ...] = ()


def plain(text: str) -> str:
    """Text without the channels' emphasis and code marks, entities or runs of spaces."""
    unmarked = html.unescape(text).replace("*", "").replace("`", "")
    lines = (" ".join(line.split()) for line in unmarked.split("\n"))
    return "\n".join(line for line in lines if line)


class Driver(Protocol):
    name: str
    platform: str
    team_key: str
    people: tuple[str, ...]
    """Everyone in the team's channel, the leader first."""
    names: tuple[str, ...]

    @property
    def runtime(self) -> Runtime: ...

    async def import_profile(self) -> None:
        """The team's profile, as `kompetencebot profile import` would store it."""

    async def say(self, who: str, text: str) -> str:
        """Type a command in the team's channel; what `who` sees in answer."""

    async def press(self, who: str, label: str, message: int = 0) -> str:
        """Press the button whose text starts with `label` on `who`'s private prompt (or on
        their private `message` at that index: -1 the latest, such as a reminder)."""

    async def forge(self, who: str, **changes: Any) -> str:
        """A score click from `who`'s prompt with its data changed, as a forger would send."""

    async def retry(self) -> str:
        """The platform delivers the last request again, with the same event id."""

    async def prompt(self, who: str) -> Seen:
        """The private message `who` answers in (it changes in place)."""

    async def private(self, who: str) -> list[Seen]:
        """Everything in `who`'s private chat with the bot."""

    async def channel(self) -> list[Seen]:
        """What everyone sees in the team's channel."""

    async def drain(self) -> None:
        """Deliver what the outbox holds."""


async def store_profile(runtime: Runtime, platform: str, key: str, leader: str) -> None:
    async with runtime.transaction() as session:
        team = await teams.get_or_create(
            session, platform, key, language="da", timezone="Europe/Copenhagen"
        )
        teams.add_leaders(team, [leader])
        await save_profile(session, team, parse_profile(PROFILE), created_by=leader)


# -- Slack ---------------------------------------------------------------------------------


def slack_seen(message: dict[str, Any]) -> Seen:
    texts: list[str] = []
    buttons: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("text"), str):
                texts.append(value["text"])
            for key, item in value.items():
                if key != "text" or not isinstance(item, str):
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    blocks = message.get("blocks") or []
    for block in blocks:
        if block.get("type") == "actions":
            buttons += [e["text"]["text"] for e in block["elements"]]
        else:
            walk(block)
    text = "\n".join(texts) if blocks else str(message.get("text") or "")
    return Seen(plain(text), tuple(buttons))


class SlackDriver:
    name = platform = "slack"
    team_key = slack_harness.CHANNEL
    people: tuple[str, ...] = slack_harness.SlackHarness.PEOPLE
    names: tuple[str, ...] = ("Lis Leder", "Anna Holm", "Bo Jensen", "Cecilie Nielsen")

    def __init__(self, harness: SlackHarness) -> None:
        self.harness = harness
        self.fake = harness.fake
        self.runtime = harness.runtime
        self.last: bytes = b""

    async def import_profile(self) -> None:
        await self.harness.import_profile()

    async def _send(self, body: bytes) -> str:
        """Post `body`; the answer the sender sees: the ack, or a later response_url post."""
        self.last = body
        before = len(self.fake.calls)
        response = await self.harness.post(body, "application/x-www-form-urlencoded")
        assert response.status == 200, await response.text()
        acked = await response.text()
        await self.harness.drain()
        later = [c for c in self.fake.calls[before:] if c.method == "response_url"]
        if later:
            return slack_seen(later[-1].args).text
        return slack_seen(json.loads(acked)).text if acked else ""

    async def say(self, who: str, text: str) -> str:
        return await self._send(self.harness.command_body(who, text))

    async def _click(self, who: str, label: str, changes: dict[str, Any], index: int = 0) -> str:
        message = self.harness.dm(who)[index]
        element = self.harness.button(message, label)
        value = json.dumps({**json.loads(element["value"]), **changes})
        body = self.harness.action_body(who, element["action_id"], value, message=message)
        return await self._send(body)

    async def press(self, who: str, label: str, message: int = 0) -> str:
        return await self._click(who, label, {}, message)

    async def forge(self, who: str, **changes: Any) -> str:
        return await self._click(who, "0 ", changes)

    async def retry(self) -> str:
        return await self._send(self.last)

    async def prompt(self, who: str) -> Seen:
        return slack_seen(self.fake.messages[self.harness.dm(who)[0]])

    async def private(self, who: str) -> list[Seen]:
        return [slack_seen(self.fake.messages[key]) for key in self.harness.dm(who)]

    async def channel(self) -> list[Seen]:
        keys = sorted(k for k in self.fake.messages if k[0] == slack_harness.CHANNEL)
        return [slack_seen(self.fake.messages[key]) for key in keys]

    async def drain(self) -> None:
        await self.harness.drain()


# -- Teams ---------------------------------------------------------------------------------


def teams_seen(card: dict[str, Any] | None) -> Seen:
    if card is None:
        return Seen("")
    titles = tuple(a["title"] for a in teams_harness.actions(card))
    return Seen(plain(teams_harness.texts(card)), titles)


@dataclass
class Shown:
    """A card Teams refreshed in place from an invoke response, over the message's version
    `updates` (a later update through the Bot Connector replaces it)."""

    card: dict[str, Any]
    updates: int


@dataclass
class TeamsDriver:
    client: TeamsClient
    name: str = "teams"
    platform: str = "teams"
    team_key: str = teams_harness.GENERAL
    people: tuple[str, ...] = tuple(m["id"] for m in teams_harness.MEMBERS)
    names: tuple[str, ...] = tuple(m["name"] for m in teams_harness.MEMBERS)
    shown: dict[str, Shown] = field(default_factory=dict)
    """By message id: the card an invoke response put in its place."""
    last: dict[str, Any] = field(default_factory=dict)

    @property
    def runtime(self) -> Runtime:
        return self.client.runtime

    @property
    def connector(self) -> FakeBotConnector:
        return self.client.connector

    def _member(self, who: str) -> dict[str, str]:
        return next(m for m in teams_harness.MEMBERS if m["id"] == who)

    async def import_profile(self) -> None:
        await self.client.send(self.client.install(teams_harness.LEADER))
        await store_profile(self.runtime, "teams", self.team_key, self.people[0])
        await self.drain()

    async def _send(self, activity: dict[str, Any]) -> str:
        """Post the activity; the card it refreshed, or what reached the sender's thread or
        private chat."""
        self.last = activity
        before = len(self.connector.posted)
        answer = await self.client.send(activity)
        who = activity["from"]["id"]
        if answer and answer.get("type") == "application/vnd.microsoft.card.adaptive":
            posted = self._message(who, activity["replyToId"])
            self.shown[posted.id] = Shown(answer["value"], len(posted.updates))
            return teams_seen(answer["value"]).text
        await self.drain()
        places = {activity["conversation"]["id"], self.connector.chats.get(who)}
        new = [p for p in self.connector.posted[before:] if p.conversation in places]
        return "\n".join(teams_seen(p.card).text for p in new)

    async def say(self, who: str, text: str) -> str:
        return await self._send(self.client.mention(self._member(who), text))

    def _message(self, who: str, activity_id: str) -> Posted:
        return next(p for p in self.connector.in_chat(who) if p.id == activity_id)

    async def _click(self, who: str, label: str, changes: dict[str, Any], index: int = 0) -> str:
        posted = self.connector.in_chat(who)[index]
        action = teams_harness.button(self._card(posted) or {}, label)
        marker = action["data"][ACTION_KEY]
        data = {ACTION_KEY: {**marker, "data": {**marker["data"], **changes}}}
        activity = self.client.execute(self._member(who), posted, {**action, "data": data})
        return await self._send(activity)

    async def press(self, who: str, label: str, message: int = 0) -> str:
        return await self._click(who, label, {}, message)

    async def forge(self, who: str, **changes: Any) -> str:
        return await self._click(who, "0 ", changes)

    async def retry(self) -> str:
        return await self._send(self.last)

    def _card(self, posted: Posted) -> dict[str, Any] | None:
        """A message's card as the person's Teams shows it."""
        shown = self.shown.get(posted.id)
        return shown.card if shown and shown.updates == len(posted.updates) else posted.card

    async def prompt(self, who: str) -> Seen:
        return teams_seen(self._card(self.connector.in_chat(who)[0]))

    async def private(self, who: str) -> list[Seen]:
        return [teams_seen(self._card(p)) for p in self.connector.in_chat(who)]

    async def channel(self) -> list[Seen]:
        return [teams_seen(p.card) for p in self.connector.in_conversation(self.team_key)]

    async def drain(self) -> None:
        await self.client.drain()


# -- the playground ------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    data: dict[str, Any]


class _Page(HTMLParser):
    """A message's HTML as the page shows it: text, and buttons with what they send."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.buttons: list[Button] = []
        self._button: dict[str, str | None] | None = None
        self._label: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "button":
            self._button, self._label = dict(attrs), []
        elif tag in ("br", "p", "div", "h3", "h4", "li", "tr", "dt"):
            self.text.append("\n")
        elif tag in ("td", "th"):
            self.text.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None:
            payload = json.loads(self._button.get("data-payload") or "{}")
            action = self._button.get("data-action") or ""
            self.buttons.append(Button("".join(self._label).strip(), action, payload))
            self._button = None

    def handle_data(self, data: str) -> None:
        (self._label if self._button is not None else self.text).append(data)


def page(markup: str) -> tuple[Seen, list[Button]]:
    parser = _Page()
    parser.feed(markup)
    buttons = parser.buttons
    return Seen(plain("".join(parser.text)), tuple(b.label for b in buttons)), buttons


ECHO = "› "
"""The playground shows the asker what they typed, before the answer."""


class PlaygroundDriver:
    name = platform = "web"
    team_key = seed.TEAM_KEY
    people: tuple[str, ...] = tuple(user for user, _ in seed.MEMBERS)
    names: tuple[str, ...] = tuple(name for _, name in seed.MEMBERS)

    def __init__(self, client: TestClient[web.Request, web.Application]) -> None:
        self.client = client
        self.runtime = client.app[RUNTIME]
        self.last: tuple[str, dict[str, Any]] = ("", {})
        self._ids = itertools.count(1)

    async def import_profile(self) -> None:
        await store_profile(self.runtime, "web", self.team_key, seed.LEADER)

    async def _state(self, who: str) -> dict[str, Any]:
        response = await self.client.get("/api/state", params={"as": who})
        assert response.status == 200, await response.text()
        state: dict[str, Any] = await response.json()
        return state

    async def links(self, who: str) -> list[str]:
        """Every link `who` can open on the page (export buttons, the chart)."""
        state = await self._state(who)
        pages = "".join(m["html"] for pane in state["messages"].values() for m in pane)
        return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', pages)]

    async def _post(self, path: str, body: dict[str, Any]) -> str:
        """Post as the page does; the messages that appeared for the sender, or else the
        clicked message as it now reads."""
        self.last = (path, body)
        who = body["as"]
        before = await self._state(who)
        seen = {m["id"] for pane in before["messages"].values() for m in pane}
        response = await self.client.post(path, json=body)
        assert response.status == 200, await response.text()
        await self.drain()
        after = await self._state(who)
        new = [
            page(m["html"])[0].text
            for pane in ("channel", "dm")
            for m in after["messages"][pane]
            if m["id"] not in seen
        ]
        new = [text for text in new if not text.startswith(ECHO)]
        clicked = [m for m in after["messages"]["dm"] if m["id"] == body.get("message")]
        if not new and clicked and before["messages"]["dm"] != after["messages"]["dm"]:
            return page(clicked[0]["html"])[0].text
        return "\n".join(new)

    async def say(self, who: str, text: str) -> str:
        body = {"as": who, "request_id": f"r{next(self._ids)}", "where": "channel", "text": text}
        return await self._post("/api/command", body)

    async def _click(self, who: str, label: str, changes: dict[str, Any], index: int = 0) -> str:
        message = (await self._state(who))["messages"]["dm"][index]
        buttons = page(message["html"])[1]
        found = [b for b in buttons if b.label.startswith(label)]
        assert found, f"no button {label!r} in {[b.label for b in buttons]}"
        body = {
            "as": who,
            "request_id": f"r{next(self._ids)}",
            "message": message["id"],
            "action": found[0].action,
            "data": {**found[0].data, **changes},
        }
        return await self._post("/api/action", body)

    async def press(self, who: str, label: str, message: int = 0) -> str:
        return await self._click(who, label, {}, message)

    async def forge(self, who: str, **changes: Any) -> str:
        return await self._click(who, "0 ", changes)

    async def retry(self) -> str:
        return await self._post(*self.last)

    async def private(self, who: str) -> list[Seen]:
        return [page(m["html"])[0] for m in (await self._state(who))["messages"]["dm"]]

    async def prompt(self, who: str) -> Seen:
        return (await self.private(who))[0]

    async def channel(self) -> list[Seen]:
        shown = (await self._state(self.people[-1]))["messages"]["channel"]
        return [page(m["html"])[0] for m in shown if not m["ephemeral"]]

    async def drain(self) -> None:
        await self.client.app[DISPATCHER].drain()


# -- opening one ---------------------------------------------------------------------------

CHANNELS = ("slack", "teams", "playground")


@asynccontextmanager
async def open_driver(channel: str, settings: Settings) -> AsyncIterator[Driver]:
    """The server with only `channel`'s adapter configured (Teams is always on), its fake
    platform running, driven over HTTP; the outbox is drained by the driver, not a task."""
    if channel == "slack":
        fake = FakeSlack()
        await fake.start()
        slack_harness.populate(fake)
        slack = settings.model_copy(
            update={
                "slack_bot_token": slack_harness.BOT_TOKEN,
                "slack_signing_secret": slack_harness.SECRET,
                "slack_api_url": fake.api_url,
                "playground": False,
            }
        )
        try:
            async with TestClient(
                TestServer(create_app(slack, dispatch=False, schedule=False))
            ) as client:
                yield SlackDriver(SlackHarness(client, fake))
        finally:
            await fake.stop()
    elif channel == "teams":
        connector = FakeBotConnector()
        roster = [teams_harness.user(m) for m in teams_harness.MEMBERS]
        connector.rosters[teams_harness.TEAM_ID] = [*roster, teams_harness.BOT]
        await connector.start()
        update: dict[str, Any] = {"public_url": teams_harness.PUBLIC_URL, "playground": False}
        if "teams_emulator" in Settings.model_fields:
            update["teams_emulator"] = True  # the switch the Teams harness turns on
        try:
            app = create_app(settings.model_copy(update=update), dispatch=False, schedule=False)
            async with TestClient(TestServer(app)) as client:
                yield TeamsDriver(TeamsClient(client, connector))
        finally:
            await connector.stop()
    else:
        app = create_app(
            settings.model_copy(update={"playground": True}), dispatch=False, schedule=False
        )
        async with TestClient(TestServer(app)) as client:
            yield PlaygroundDriver(client)
