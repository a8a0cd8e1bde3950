"""POST /api/messages on our one aiohttp application, through botbuilder's CloudAdapter.

Authentication runs first and on its own: any failure to prove a Bot Framework token (no
header, a bad signature, a foreign audience, an unknown key) is a 401 before anything is
read or stored. Without MICROSOFT_APP_ID the endpoint accepts anonymous requests, like the
Bot Framework Emulator, and says so in the log at start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jwt
from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from bot.adapters.contract import Channel
from bot.adapters.teams.auth import authentication, install_signing_keys
from bot.adapters.teams.bot import TeamsBot
from bot.adapters.teams.directory import TeamsDirectory
from bot.adapters.teams.inbound import Inbound
from bot.adapters.teams.proactive import Proactive
from bot.adapters.teams.sender import TeamsSender
from bot.adapters.teams.translate import PLATFORM
from bot.config import Settings
from bot.delivery.senders import Sender
from bot.runtime import Runtime
from bot.turn import Turns

log = logging.getLogger(__name__)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:3978"


@dataclass
class Teams:
    adapter: CloudAdapter
    bot: TeamsBot


TEAMS = web.AppKey("teams", Teams)


async def _activity(request: web.Request) -> Activity:
    if "application/json" not in request.headers.get("Content-Type", ""):
        raise web.HTTPUnsupportedMediaType(text="expected application/json")
    try:
        body = await request.json()
        activity = Activity().deserialize(body) if isinstance(body, dict) else None
    except Exception:
        activity = None
    if activity is None or not activity.type:
        raise web.HTTPBadRequest(text="expected a Bot Framework activity")
    return activity


async def messages(request: web.Request) -> web.Response:
    teams = request.app[TEAMS]
    activity = await _activity(request)
    header = request.headers.get("Authorization", "")
    try:
        auth = await teams.adapter.bot_framework_authentication.authenticate_request(
            activity, header
        )
    except (PermissionError, jwt.PyJWTError) as exc:
        log.info("Teams request refused: %s: %s", type(exc).__name__, exc)
        raise web.HTTPUnauthorized(text="a valid Bot Framework token is required") from None
    except Exception:
        log.warning("Teams request refused: its token could not be checked", exc_info=True)
        raise web.HTTPUnauthorized(text="a valid Bot Framework token is required") from None
    response = await teams.adapter.process_activity(auth, activity, teams.bot.on_turn)
    if response is None:
        return web.Response(status=200)
    return web.json_response(response.body, status=response.status)


def channel(settings: Settings) -> Channel:
    """The Teams channel; its endpoint exists with or without an app id (DESIGN.md)."""
    if settings.microsoft_app_id:
        note = f"Teams: POST /api/messages for Bot Framework app {settings.microsoft_app_id}"
    else:
        note = (
            "Teams: MICROSOFT_APP_ID is unset, so POST /api/messages accepts unauthenticated "
            "requests, like the Bot Framework Emulator; set it before exposing this server"
        )

    async def start(app: web.Application, runtime: Runtime) -> Sender:
        install_signing_keys()
        adapter = CloudAdapter(authentication(settings))
        proactive = Proactive(adapter, settings.microsoft_app_id)
        public_url = settings.public_url or DEFAULT_PUBLIC_URL
        turns = Turns(runtime, PLATFORM, TeamsDirectory(runtime, proactive))
        app[TEAMS] = Teams(adapter, TeamsBot(Inbound(runtime, turns, public_url)))
        return TeamsSender(runtime, proactive, public_url)

    return Channel(
        name=PLATFORM,
        routes=[web.post("/api/messages", messages)],
        start=start,
        notes=[note],
    )
