"""Every card the Teams adapter sends, collected from a round played through the Teams harness,
and rendered with Microsoft's own `adaptivecards` renderer in Chromium, as Teams would show it.

`collect` plays one round against the fake Bot Connector: the install greeting, help, method,
setup, the launch notice, intros, score prompts (first, answered, after back and skip, the
review), done cards, reminders, status, `mine`, the close with the channel summary and each
member's results, results, export links, my-data, forget-me, refusals, and a button pressed
after the close. It keeps each activity the connector received (every version of an updated
one) and each card an Action.Execute invoke response put in place.
`Renderer` draws one card at a given width with the Teams host config and reports the
renderer's complaints, the text on screen and the buttons whose titles are cut.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.teams.cards import CARD_TYPE
from bot.app import create_app
from bot.config import load_settings
from bot.services.profiles import save_profile
from catalog.profiles import parse_profile
from storage import teams
from tests.fakes.bot_connector import FakeBotConnector, Posted
from tests.integration.teams.teams_harness import (
    BOT,
    LEADER,
    MEMBERS,
    PUBLIC_URL,
    TEAM_ID,
    TeamsClient,
    actions,
    button,
    user,
)
from tests.support.pace import human_pace

RENDERER = Path(__file__).parent / "renderer"
SCRIPT = RENDERER / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.min.js"
PHONE, DESKTOP = 340, 540
PROGRESS = re.compile(r"\b(\d+) af (\d+)\b")
COMPETENCE = re.compile(r"\b[ML]\d\d\b")
CHART = re.compile(r"/files/[^/]+/chart\.png$")


@dataclass(frozen=True)
class Sent:
    """One activity as Teams received it: where, and its JSON (a message or invoke response)."""

    where: str
    payload: dict[str, Any]

    @property
    def card(self) -> dict[str, Any]:
        if self.payload.get("type") == CARD_TYPE:
            return dict(self.payload["value"])
        attachments = self.payload.get("attachments") or [{}]
        return dict(attachments[0].get("content") or {})

    @property
    def is_summary(self) -> bool:
        """The round's summary: the card with the chart."""
        return any(e.get("type") == "Image" for e in self.card.get("body") or [])

    @property
    def is_prompt(self) -> bool:
        """A score prompt: six actions whose titles begin 0 to 5."""
        titles = [a["title"] for a in actions(self.card)]
        return [t[:1] for t in titles[:6]] == list("012345")


@dataclass
class Collected:
    sent: list[Sent] = field(default_factory=list)
    chart: bytes = b""


def _settings(database: Path) -> Any:
    settings = load_settings(database_url=f"sqlite+aiosqlite:///{database}")
    update = {"public_url": PUBLIC_URL, "teams_emulator": True, "playground": False}
    return settings.model_copy(update=update)


class Round:
    """Plays a round through the harness, keeping every invoke response's card."""

    def __init__(self, teams: TeamsClient) -> None:
        self.teams = teams
        self.invoked: list[Sent] = []
        self.cards: dict[str, dict[str, Any]] = {}

    async def send(self, activity: dict[str, Any]) -> None:
        answer = await self.teams.send(activity)
        if answer and answer.get("type") == CARD_TYPE:
            self.invoked.append(Sent(activity["conversation"]["id"], answer))
            self.cards[activity["replyToId"]] = answer["value"]
        await self.teams.drain()

    async def say(self, who: dict[str, str], text: str) -> None:
        await self.send(self.teams.mention(who, text))

    def card(self, posted: Posted) -> dict[str, Any]:
        return self.cards.get(posted.id) or posted.card or {}

    async def press(self, who: dict[str, str], label: str) -> Posted:
        """Press `label` on the latest message in `who`'s chat that has such a button."""
        chat = self.teams.connector.in_chat(who["id"])
        posted = next(p for p in reversed(chat) if _has(self.card(p), label))
        await self.send(self.teams.execute(who, posted, button(self.card(posted), label)))
        return posted

    async def answer_all(self, who: dict[str, str], scores: str) -> None:
        """Start, then answer every prompt with the next of `scores` in turn."""
        prompt = await self.press(who, "Kom i gang")
        for turn in itertools.count():
            if not _has(self.card(prompt), "0 "):
                return
            label = f"{scores[turn % len(scores)]} "
            await self.send(self.teams.execute(who, prompt, button(self.card(prompt), label)))

    async def profile(self) -> None:
        """The Materialegård template, every competence aiming at 3 (22 prompts)."""
        async with self.teams.runtime.transaction() as session:
            team = await teams.get_or_create(
                session, "teams", TEAM_ID, language="da", timezone="Europe/Copenhagen"
            )
            teams.add_leaders(team, [LEADER["id"]])
            spec = parse_profile({"template": "materialegaard"}, default_target=3)
            await save_profile(session, team, spec, created_by="cli")


def _has(card: dict[str, Any], label: str) -> bool:
    return any(a["title"].startswith(label) for a in actions(card))


async def _play(game: Round) -> None:
    lea, bo, cecilie, david = MEMBERS
    harness = game.teams
    await game.send(harness.install(LEADER))
    for text in ("hjælp", "metode", "opsæt", "start"):
        await game.say(lea, text)
    await game.profile()
    await game.say(lea, "start 7d")
    for who, scores in ((lea, "342"), (cecilie, "2132"), (david, "435")):
        await game.answer_all(who, scores)
    await game.press(cecilie, "Ret et svar")
    await game.press(bo, "Kom i gang")
    for label in ("1 ", "5 ", "← Tilbage", "Næste", "Spring over"):
        await game.press(bo, label)
    for text in ("start", "status", "mine"):
        await game.say(bo, text)
    await game.say(lea, "påmind")
    await game.say(lea, "luk")
    await game.press(bo, "Fortsæt")
    for text in ("resultat", "eksport"):
        await game.say(lea, text)
    for text in ("mine-data", "slet-mine-data"):
        await game.send(harness.personal(bo, text))


async def collect(database: Path) -> Collected:
    """Play the round; every activity and refreshed card Teams would have received."""
    connector = FakeBotConnector()
    roster = [user(m) for m in MEMBERS]
    connector.rosters[TEAM_ID] = [*roster, BOT]
    await connector.start()
    collected = Collected()
    try:
        app = create_app(_settings(database), dispatch=False, schedule=False)
        async with TestClient(TestServer(app)) as client:
            game = Round(TeamsClient(client, connector))
            with pytest.MonkeyPatch.context() as patch:
                human_pace(patch)
                await _play(game)
            for posted in connector.posted:
                for version in (*posted.updates, posted.content):
                    collected.sent.append(Sent(posted.conversation, version))
            collected.sent += game.invoked
            collected.chart = await _chart(client, collected.sent)
    finally:
        await connector.stop()
    return collected


async def _chart(client: TestClient[Any, Any], sent: list[Sent]) -> bytes:
    """The summary's chart image, as the bot serves it at its public URL."""
    for item in sent:
        for url in re.findall(r'"url": "([^"]+)"', json.dumps(item.card)):
            if CHART.search(url):
                response = await client.get(url.removeprefix(PUBLIC_URL))
                assert response.status == 200
                return await response.read()
    return b""


@dataclass(frozen=True)
class Button:
    text: str
    cut: bool
    visible: bool


@dataclass(frozen=True)
class Rendered:
    problems: list[str]
    rendered: bool
    text: str
    buttons: list[Button]


class Renderer:
    """A Chromium page with the renderer, the Teams host config and Teams' button styles;
    the chart's URL answers with the collected image."""

    def __init__(self, browser: Any, chart: bytes) -> None:
        if not SCRIPT.exists():
            why = "make test installs it with npm" if shutil.which("npm") else "npm is missing"
            pytest.skip(f"the adaptivecards renderer is not in {RENDERER}: {why}")
        self.page = browser.new_page(viewport={"width": DESKTOP + 40, "height": 800})
        self.page.route(
            re.compile(CHART.pattern),
            lambda route: route.fulfill(status=200, content_type="image/png", body=chart),
        )
        self.page.set_content('<div id="bubble"></div>')
        self.page.add_style_tag(path=str(RENDERER / "teams.css"))
        self.page.add_script_tag(path=str(SCRIPT))
        self.page.add_script_tag(path=str(RENDERER / "render.js"))
        self.host = json.loads((RENDERER / "teams-host-config.json").read_text())

    def render(self, card: dict[str, Any], width: int) -> Rendered:
        found = self.page.evaluate(
            "([card, host, width]) => renderCard(card, host, width)", [card, self.host, width]
        )
        buttons = [Button(**b) for b in found.pop("buttons")]
        return Rendered(buttons=buttons, **found)

    def screenshot(self, card: dict[str, Any], width: int, path: Path) -> None:
        self.render(card, width)
        self.page.wait_for_load_state("networkidle")
        self.page.locator("#bubble").screenshot(path=str(path))
