"""Playground HTTP routes: the page, its JSON API, and server-sent events.

Translate in (a JSON post becomes a neutral Command or Action), render out (views become
HTML fragments). There is no login: the page says it is a local try-out.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiohttp import web

from bot.adapters.contract import Channel
from bot.adapters.web import requests, seed
from bot.adapters.web.push import CLOSE, Broker
from bot.adapters.web.render import render
from bot.adapters.web.sender import WebSender
from bot.config import Settings
from bot.delivery.senders import Sender
from bot.dialogs.outcome import Destination, Outgoing, Reply
from bot.domain import Action, Command, Envelope, Member, Person
from bot.i18n import t
from bot.runtime import Runtime
from bot.turn import NotSaved, Turns
from bot.usecases import setup
from bot.views import view_from_dict
from storage import health, teams
from storage import playground as history
from storage.models import Team

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MAX_TEXT = 500
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream; a closed tab shows then
log = logging.getLogger(__name__)


@dataclass
class Playground:
    runtime: Runtime
    turns: Turns
    broker: Broker


PLAYGROUND = web.AppKey("playground", Playground)


class WebDirectory:
    """The demo team's members, as stored when the team was seeded."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def members(self, team_key: str, workspace: str | None) -> Sequence[Member]:
        async with self.runtime.sessions() as session:
            team = await teams.find(session, "web", team_key)
            if team is None:
                return []
            rows = await teams.members(session, team.id, people_only=True)
            return [Member(row.user_id, row.display_name) for row in rows]


def _static(name: str) -> bytes:
    return resources.files("bot.adapters.web").joinpath("static", name).read_bytes()


async def page(_request: web.Request) -> web.Response:
    return web.Response(body=_static("index.html"), content_type="text/html", charset="utf-8")


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    types = {"app.js": "text/javascript", "style.css": "text/css"}
    if name not in types:
        raise web.HTTPNotFound()
    return web.Response(body=_static(name), content_type=types[name], charset="utf-8")


async def favicon(_request: web.Request) -> web.Response:
    return web.Response(
        body=_static("favicon.ico"),
        content_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )


async def _team(session: Any) -> Team:
    team = await teams.find(session, "web", seed.TEAM_KEY)
    if team is None:
        raise web.HTTPServiceUnavailable(text="the demo team is not ready")
    return team


async def _person(request: web.Request, user_id: object) -> Person:
    playground = request.app[PLAYGROUND]
    async with playground.runtime.sessions() as session:
        team = await _team(session)
        member = await teams.member(session, team.id, str(user_id))
        if member is None:
            raise web.HTTPBadRequest(text="unknown person")
        return Person("web", member.user_id, member.display_name, language=team.language)


async def state(request: web.Request) -> web.Response:
    """Everything one person's page shows: the team, the channel and their private chat."""
    playground = request.app[PLAYGROUND]
    person = await _person(request, request.query.get("as"))
    async with playground.runtime.sessions() as session:
        team = await _team(session)
        members = await teams.members(session, team.id, people_only=False)
        leaders = {lead.user_id for lead in team.leaders}
        rows = await history.history(session, team.key, person.user_id)
    messages: dict[str, list[dict[str, Any]]] = {"channel": [], "dm": []}
    for row in rows:
        pane = "channel" if row.conversation == "channel" else "dm"
        messages[pane].append(
            {
                "id": row.id,
                "html": render(view_from_dict(row.view)),
                "ephemeral": row.visible_to is not None,
            }
        )
    return web.json_response(
        {
            "team": {"key": team.key, "name": team.name, "language": team.language},
            "me": person.user_id,
            "members": [
                {"id": m.user_id, "name": m.display_name, "leader": m.user_id in leaders}
                for m in members
            ],
            "messages": messages,
        }
    )


def _replies(person: Person, conversation: str, event_id: str, clicked: int | None = None) -> Any:
    """How the playground shows a reply: in place of the clicked message, or as a new one
    (in the channel, seen by the asker alone)."""

    def messages(reply: Reply | None) -> tuple[Outgoing, ...]:
        if reply is None:
            return ()
        key = f"web:reply:{event_id}"
        if reply.mode == "replace" and clicked is not None:
            return (Outgoing(Destination.ref({"web": clicked}), reply.view, key),)
        if conversation == history.CHANNEL:
            where = Destination("channel", seed.TEAM_KEY, visible_to=person.user_id)
        else:
            where = Destination("user", person.user_id, seed.TEAM_KEY)
        return (Outgoing(where, reply.view, key),)

    return messages


def politely(handler: Handler) -> Handler:
    """A database that refuses writes (full, read-only) answers 503 with the bot's polite
    "nothing was saved, try again", which the page shows, instead of a bare 500."""

    async def answering(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Exception as exc:
            if not isinstance(exc, NotSaved) and not health.refuses_writes(exc):
                raise
        async with request.app[PLAYGROUND].runtime.sessions() as session:
            found = await teams.find(session, "web", seed.TEAM_KEY)
        said = t("error.not_saved", found.language if found else "da")
        return web.json_response({"ok": False, "error": said}, status=503)

    return answering


def _event_id(body: dict[str, Any]) -> str:
    given = body.get("request_id")
    return given if isinstance(given, str) and given else uuid.uuid4().hex


async def command(request: web.Request) -> web.Response:
    playground = request.app[PLAYGROUND]
    body = await requests.read(request, requests.COMMAND)
    person = await _person(request, body.get("as"))
    text = str(body.get("text") or "")[:MAX_TEXT]
    in_channel = body.get("where") != "dm"
    conversation = history.CHANNEL if in_channel else history.private_chat(person.user_id)
    async with playground.runtime.transaction() as session:
        # What the person typed stays in their own view of the conversation.
        typed = {"kind": "message", "text": f"› {text}", "buttons": [], "tone": "info"}
        await history.add(
            session, seed.TEAM_KEY, conversation, typed, person.user_id if in_channel else None
        )
    playground.broker.publish()
    event = Command(person, text, seed.TEAM_KEY if in_channel else None)
    event_id = _event_id(body)
    replies = _replies(person, conversation, event_id)
    await playground.turns.handle(event, Envelope(event_id), reply_messages=replies)
    return web.json_response({"ok": True})


async def action(request: web.Request) -> web.Response:
    playground = request.app[PLAYGROUND]
    body = await requests.read(request, requests.ACTION)
    person = await _person(request, body.get("as"))
    raw = body.get("data")
    data: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {}
    if isinstance(body.get("fields"), dict):
        data["fields"] = body["fields"]
    async with playground.runtime.sessions() as session:
        clicked = await history.seen_by(session, body.get("message"), person.user_id)
    if clicked is None:
        raise web.HTTPBadRequest(text="unknown message")
    event = Action(person, str(body.get("action") or ""), data, seed.TEAM_KEY)
    event_id = _event_id(body)
    replies = _replies(person, clicked.conversation, event_id, clicked.id)
    envelope = Envelope(event_id, {"web": clicked.id})
    await playground.turns.handle(event, envelope, reply_messages=replies)
    return web.json_response({"ok": True})


async def language(request: web.Request) -> web.Response:
    """The playground's language switch: the demo team speaks Danish or English."""
    playground = request.app[PLAYGROUND]
    body = await requests.read(request, requests.LANGUAGE)
    if body.get("language") not in ("da", "en"):
        raise web.HTTPBadRequest(text="language must be da or en")
    async with playground.runtime.transaction() as session:
        if not await setup.speak(session, "web", seed.TEAM_KEY, body["language"]):
            raise web.HTTPServiceUnavailable(text="the demo team is not ready")
    playground.broker.publish()
    return web.json_response({"ok": True})


async def events(request: web.Request) -> web.StreamResponse:
    playground = request.app[PLAYGROUND]
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    async with playground.broker.subscribe() as queue:
        try:
            await response.write(b"event: ready\ndata: {}\n\n")
            while True:
                try:
                    topic = await asyncio.wait_for(queue.get(), timeout=KEEP_ALIVE)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if topic == CLOSE:
                    break
                await response.write(f"event: {topic}\ndata: {{}}\n\n".encode())
        except (ConnectionResetError, asyncio.CancelledError):
            # A closed tab shows up as a failed write: routine, not an error.
            log.debug("playground: a page closed its event stream")
    return response


def channel(_settings: Settings) -> Channel:
    broker = Broker()

    async def start(app: web.Application, runtime: Runtime) -> Sender:
        async with runtime.transaction() as session:
            await seed.ensure_demo_team(session, runtime.settings)
        turns = Turns(runtime, "web", WebDirectory(runtime))
        app[PLAYGROUND] = Playground(runtime, turns, broker)
        return WebSender(runtime, broker)

    return Channel(
        name="web",
        routes=[
            web.get("/", page),
            web.get("/static/{name}", static),
            web.get("/favicon.ico", favicon),
            web.get("/api/state", state),
            web.post("/api/command", politely(command)),
            web.post("/api/action", politely(action)),
            web.post("/api/language", politely(language)),
            web.get("/api/events", events),
        ],
        start=start,
        stop=broker.close,
        notes=["web playground on at / (no login: a local try-out)"],
    )
