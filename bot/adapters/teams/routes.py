"""POST /api/messages on our one aiohttp application, through botbuilder's CloudAdapter.

Authentication runs first and on its own: any failure to prove a Bot Framework token (no
header, a bad signature, a foreign audience, an unknown key) is a 401 before anything is
read or stored, logged in one line. The bot replies to an activity's serviceUrl, so that
must be the token's `serviceurl` claim (botbuilder lets tokens of the Emulator's issuers
through without one). The endpoint exists only with MICROSOFT_APP_ID or, for the Bot
Framework Emulator and tests, KOMPETENCEBOT_TEAMS_EMULATOR=on: then without authentication,
for loopback service URLs only, and the log says so at start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jwt
from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticationConstants

from bot.adapters.contract import Channel
from bot.adapters.teams.auth import authentication, install_signing_keys, loopback
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
SERVICE_URL_CLAIM = AuthenticationConstants.SERVICE_URL_CLAIM


@dataclass
class Teams:
    adapter: CloudAdapter
    bot: TeamsBot
    emulator: bool


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


def _refused(reason: str) -> web.HTTPUnauthorized:
    log.info("Teams request refused: %s", reason)
    return web.HTTPUnauthorized(text="a valid Bot Framework token is required")


async def messages(request: web.Request) -> web.Response:
    teams = request.app[TEAMS]
    activity = await _activity(request)
    if teams.emulator and not loopback(activity.service_url):
        log.info("Teams request refused: the Emulator switch takes loopback service URLs only")
        raise web.HTTPForbidden(text="only a loopback serviceUrl is accepted here")
    header = request.headers.get("Authorization", "")
    try:
        auth = await teams.adapter.bot_framework_authentication.authenticate_request(
            activity, header
        )
    except (PermissionError, jwt.PyJWTError) as exc:
        raise _refused(f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:
        raise _refused(f"its token could not be checked ({type(exc).__name__}: {exc})") from None
    claims = auth.claims_identity.claims or {}
    if not teams.emulator and claims.get(SERVICE_URL_CLAIM) != activity.service_url:
        raise _refused("the token does not name the activity's serviceUrl")
    response = await teams.adapter.process_activity(auth, activity, teams.bot.on_turn)
    if response is None:
        return web.Response(status=200)
    return web.json_response(response.body, status=response.status)


def channel(settings: Settings) -> Channel:
    """The Teams channel: with an app id, or the Emulator switch (DESIGN.md)."""
    if settings.microsoft_app_id:
        note = f"Teams: POST /api/messages for Bot Framework app {settings.microsoft_app_id}"
    else:
        note = (
            "Teams: KOMPETENCEBOT_TEAMS_EMULATOR=on, so POST /api/messages accepts "
            "unauthenticated activities whose serviceUrl is a loopback address (the Bot "
            "Framework Emulator, tests); never expose this server"
        )

    async def start(app: web.Application, runtime: Runtime) -> Sender:
        install_signing_keys()
        adapter = CloudAdapter(authentication(settings))
        proactive = Proactive(adapter, settings.microsoft_app_id)
        public_url = settings.public_url or DEFAULT_PUBLIC_URL
        turns = Turns(runtime, PLATFORM, TeamsDirectory(runtime, proactive))
        bot = TeamsBot(Inbound(runtime, turns, public_url))
        app[TEAMS] = Teams(adapter, bot, emulator=not settings.microsoft_app_id)
        return TeamsSender(runtime, proactive, public_url)

    return Channel(
        name=PLATFORM,
        routes=[web.post("/api/messages", messages)],
        start=start,
        notes=[note],
    )
