"""The Slack channel: a bolt AsyncApp mounted on our one aiohttp application.

No `app.start()`: `/slack/events` checks the signature and timestamp on the raw body
first (401 when either is wrong or malformed, before anything reads the body), refuses a
signed body that does not parse (400), answers a signed payload of a shape our listeners
cannot take with a polite word (200), and hands the rest to bolt and our listeners. With
`SLACK_APP_TOKEN` the same app also listens over Socket Mode; with
`SLACK_CLIENT_ID`/`SLACK_CLIENT_SECRET` it installs into many workspaces through OAuth.
"""

from __future__ import annotations

import logging
import re
import time
from functools import partial
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import build_normalized_headers, extract_content_type
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.adapters.contract import Channel
from bot.adapters.slack import oauth, shapes, signature
from bot.adapters.slack.body import parse
from bot.adapters.slack.clients import SlackClients
from bot.adapters.slack.directory import SlackDirectory
from bot.adapters.slack.followups import FollowUps
from bot.adapters.slack.interactions import SlackInteractions
from bot.adapters.slack.sender import SlackSender
from bot.adapters.slack.translate import PLATFORM
from bot.config import Settings
from bot.delivery.senders import Sender
from bot.i18n import t
from bot.runtime import Runtime
from bot.turn import Turns

log = logging.getLogger(__name__)
ANY = re.compile(".*")
EVENTS_PATH = "/slack/events"


def build_bolt(
    settings: Settings,
    runtime: Runtime,
    clients: SlackClients,
    installations: AsyncInstallationStore | None,
    interactions: SlackInteractions,
) -> AsyncApp:
    """`process_before_response`: the listener finishes (and commits) before the ack."""
    oauth_settings = (
        oauth.oauth_settings(settings, runtime.engine, installations)
        if installations is not None
        else None
    )
    bolt = AsyncApp(
        client=clients.single or clients.client(),
        signing_secret=settings.slack_signing_secret or "",
        oauth_settings=oauth_settings,
        process_before_response=True,
        request_verification_enabled=bool(settings.slack_signing_secret),
        logger=log,
    )
    bolt.command(ANY)(interactions.on_command)
    bolt.action(ANY)(interactions.on_action)
    bolt.view_submission(ANY)(interactions.on_submission)
    bolt.event("app_home_opened")(interactions.on_home_opened)
    if installations is not None:
        bolt.enable_token_revocation_listeners()
    else:
        bolt.event("app_uninstalled")(_uninstalled)
        bolt.event("tokens_revoked")(_uninstalled)
    return bolt


async def _uninstalled(body: dict[str, Any]) -> None:
    """A single-workspace app keeps no tokens to delete; the operator should still know."""
    log.warning("Slack: the app lost its access to workspace %s", body.get("team_id"))


class SlackChannel:
    """Builds the bolt app once the runtime exists; serves its HTTP routes afterwards."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bolt: AsyncApp | None = None
        self.clients: SlackClients | None = None
        self.followups = FollowUps()
        self.socket: AsyncSocketModeHandler | None = None

    async def start(self, app: web.Application, runtime: Runtime) -> Sender:
        settings = self.settings
        installations = (
            oauth.installation_store(settings, runtime.engine)
            if oauth.oauth_enabled(settings)
            else None
        )
        clients = self.clients = SlackClients(settings, installations)
        directory = SlackDirectory(clients)
        turns = Turns(runtime, PLATFORM, directory)
        interactions = SlackInteractions(runtime, turns, directory, clients, self.followups)
        self.bolt = build_bolt(settings, runtime, clients, installations, interactions)
        if settings.slack_app_token:
            self.socket = AsyncSocketModeHandler(
                self.bolt, settings.slack_app_token, web_client=self.bolt.client
            )
            await self.socket.connect_async()  # type: ignore[no-untyped-call]
        app[SLACK] = self
        return SlackSender(runtime, clients)

    async def stop(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()  # type: ignore[no-untyped-call]
        await self.followups.settle()
        if self.clients is not None:
            await self.clients.close()

    def _bolt(self) -> AsyncApp:
        if self.bolt is None:
            raise web.HTTPServiceUnavailable(text="Slack is starting")
        return self.bolt

    async def events(self, request: web.Request) -> web.Response:
        bolt = self._bolt()
        raw = await request.read()
        stamp = request.headers.get("X-Slack-Request-Timestamp")
        signed = request.headers.get("X-Slack-Signature")
        secret = self.settings.slack_signing_secret or ""
        if not signature.valid(secret, stamp, signed, raw, time.time()):
            log.info("Slack: refused a request without a valid signature")
            return web.json_response({"error": "invalid request"}, status=401)
        headers = build_normalized_headers(dict(request.headers))
        try:
            text = raw.decode("utf-8")
            body = parse(text, extract_content_type(headers)) if text.strip() else None
        except ValueError:  # not UTF-8, or not JSON where JSON belongs
            body = None
        if not isinstance(body, dict):
            log.info("Slack: a signed request whose body does not parse")
            return web.json_response({"error": "body does not parse"}, status=400)
        if shapes.kind(body) is None:
            return self._malformed(body)
        # Bolt takes the body parsed, as it does from Socket Mode: parsing it again would
        # cost more than the rest of bolt's work, and the signature that bolt would check
        # on the raw text was checked above on the raw bytes.
        parsed = AsyncBoltRequest(
            body=body, query=request.query_string, headers=headers, mode="socket_mode"
        )
        return await to_aiohttp_response(await bolt.async_dispatch(parsed))

    def _malformed(self, body: dict[str, Any]) -> web.Response:
        """A signed payload our listeners cannot take: a polite word where one can go."""
        log.info("Slack: a signed request of an unexpected shape was answered politely")
        text = t("error.unknown_action", self.settings.language)
        if "command" in body:
            return web.json_response({"response_type": "ephemeral", "text": text})
        url = body.get("response_url")
        if isinstance(url, str) and url and self.clients is not None:
            answer = {"response_type": "ephemeral", "replace_original": False, "text": text}
            self.followups.after(url, partial(self._respond, url, answer))
        return web.Response()

    async def _respond(self, url: str, answer: dict[str, Any]) -> None:
        if self.clients is not None:
            await self.clients.respond(url, answer)

    async def install(self, request: web.Request) -> web.Response:
        flow = self._bolt().oauth_flow
        if flow is None:
            raise web.HTTPNotFound()
        return await to_aiohttp_response(
            await flow.handle_installation(await to_bolt_request(request))
        )

    async def oauth_redirect(self, request: web.Request) -> web.Response:
        flow = self._bolt().oauth_flow
        if flow is None:
            raise web.HTTPNotFound()
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    def routes(self) -> list[web.RouteDef]:
        routes = []
        if self.settings.slack_signing_secret:
            routes.append(web.post(EVENTS_PATH, self.events))
        if oauth.oauth_enabled(self.settings):
            routes.append(web.get(oauth.INSTALL_PATH, self.install))
            routes.append(web.get(oauth.REDIRECT_PATH, self.oauth_redirect))
        return routes

    def notes(self) -> list[str]:
        notes = []
        if self.settings.slack_signing_secret:
            notes.append(f"Slack: events, commands and interactivity at POST {EVENTS_PATH}")
        if self.settings.slack_app_token:
            notes.append("Slack: Socket Mode connected")
        if oauth.oauth_enabled(self.settings):
            notes.append(f"Slack: install into workspaces at GET {oauth.INSTALL_PATH}")
        return notes


SLACK = web.AppKey("slack", SlackChannel)


def channel(settings: Settings) -> Channel:
    slack = SlackChannel(settings)
    return Channel(
        name=PLATFORM,
        routes=slack.routes(),
        start=slack.start,
        stop=slack.stop,
        notes=slack.notes(),
    )
