"""Teams answers benchmark (issue 11): members clicking score buttons on their Teams prompt.

N concurrent clickers (default 64), each a different member of one open Teams round, send
`adaptiveCard/action` invokes (Action.Execute with a score button's data, as our cards
render it) to /api/messages with Bot Framework authentication on: every request carries a
JWT signed by this benchmark's own RSA key, whose `serviceurl` claim names the local fake
Bot Connector the activities point at. The Bot Framework's key fetch is patched in each
server process to hand out that key. First at our server, then, in the same run, at a bare
botbuilder app (CloudAdapter, same authentication settings) that answers every invoke with
an empty 200. Two loads, as in bench/slack_answers.py: saturated and paced. Afterwards
every acked answer is checked against the database (the last score each member clicked for
each competence is the stored one, and nothing else is stored).

No target yet (issue 11): the report gives our throughput as a share of the bare app's.

Usage: python bench/teams_answers.py [--clickers 64] [--seconds 10] [--warmup 2] [--pace 1]
           [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres] [--database kb_bench]
           [--sqlite FILE] [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import common
import jwt
import reporting
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

APP_ID = "6b3c1f5e-2f4a-4d6e-9a1b-0000000be4c4"
APP_PASSWORD = "bench-app-secret"
ISSUER = "https://api.botframework.com"
KID = "bench-key"
JWKS_URI = "https://login.botframework.example/v1/keys"
TENANT = "72f988bf-0000-4000-8000-0000000be4c4"
BOT = {"id": "28:kompetencebot", "name": "Kompetencebot"}
CHANNEL = "19:bench@thread.tacv2"
HEADING = "## Teams answers"
"""One section per database: `## Teams answers (SQLite)`, `## Teams answers (PostgreSQL)`."""
CLIENTS = "msrest `Configuration`: its retry policy's status list"

Keys = dict[str, Any]
"""The JWKS the Bot Framework would publish: our benchmark's public key."""


def _jwks(key: rsa.RSAPrivateKey) -> Keys:
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {"keys": [{**jwk, "kid": KID, "use": "sig", "endorsements": ["msteams"]}]}


def _token(key: rsa.RSAPrivateKey, service_url: str) -> str:
    """One token for every request, as the Bot Framework reuses its token until it expires."""
    now = int(time.time())
    claims: dict[str, Any] = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url}
    claims.update(nbf=now - 5, exp=now + 3600)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})


def _served_keys(jwks: Keys) -> None:
    """Our server's OpenID metadata and JWKS fetches answered with the benchmark's key."""
    from bot.adapters.teams import auth

    async def fetch_json(url: str) -> dict[str, Any]:
        return jwks if url == JWKS_URI else {"issuer": ISSUER, "jwks_uri": JWKS_URI}

    auth.fetch_json = fetch_json


# -- child processes -------------------------------------------------------------------------


def _run_fake(url_out: Any) -> None:
    """The fake Bot Connector the activities' serviceUrl names; it forgets what it is sent."""

    async def serve() -> None:
        connector = common.fake_module("bot_connector").FakeBotConnector()
        await connector.start()
        url_out.put(connector.url)
        while True:
            await asyncio.sleep(1)
            connector.calls.clear()
            connector.posted.clear()

    asyncio.run(serve())


def _settings(database_url: str) -> Any:
    from bot.config import load_settings

    return load_settings(
        database_url=database_url,
        microsoft_app_id=APP_ID,
        microsoft_app_password=APP_PASSWORD,
        playground=False,
    )


def _run_ours(port: int, database_url: str, jwks: Keys) -> None:
    from bot.app import server_app

    _served_keys(jwks)
    common.run(server_app(_settings(database_url)), port)


@dataclass(frozen=True)
class BareConfig:
    """botbuilder's configuration, with the same authentication settings as ours."""

    APP_ID: str = APP_ID
    APP_PASSWORD: str = APP_PASSWORD
    APP_TYPE: str = "MultiTenant"
    APP_TENANTID: str | None = None


def _bare_app(jwks: Keys) -> web.Application:
    """A botbuilder app as small as it gets: authenticate, answer the invoke with an empty
    200, nothing else. botbuilder's own key cache, its fetch patched to our key."""
    from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
    from botbuilder.integration.aiohttp import (
        CloudAdapter,
        ConfigurationBotFrameworkAuthentication,
    )
    from botframework.connector.auth import AuthenticationConstants, JwtTokenExtractor
    from botframework.connector.auth.jwt_token_extractor import _OpenIdMetadata

    class LocalKeys(_OpenIdMetadata):  # type: ignore[misc]
        async def _refresh(self) -> None:
            self.keys, self.last_updated = jwks["keys"], datetime.now()

    for url in (
        AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
        AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
    ):
        JwtTokenExtractor.metadataCache[url] = LocalKeys(url)

    class OnlyAnswer(ActivityHandler):  # type: ignore[misc]
        async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
            return InvokeResponse(status=200)

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(BareConfig()))
    bot = OnlyAnswer()

    async def messages(request: web.Request) -> web.StreamResponse:
        response: web.StreamResponse = await adapter.process(request, bot)
        return response

    return common.app("/api/messages", messages)


def _run_bare(port: int, jwks: Keys) -> None:
    common.run(_bare_app(jwks), port)


# -- the invokes --------------------------------------------------------------------------------


def _user(index: int) -> str:
    return f"29:bench-{index:04d}"


def _score_action(round_id: int, user: str, competence: str, score: int) -> dict[str, Any]:
    """The score button exactly as our cards render it (bot/adapters/teams/cards.py)."""
    from bot.adapters.teams.cards import action
    from bot.views import Button

    data = {"r": round_id, "c": competence, "u": user, "s": score}
    return action(Button(f"{score}", "score", data))


def _invoke(
    round_id: int, index: int, competence: str, score: int, service_url: str
) -> dict[str, Any]:
    """What Teams posts when a member presses a score button on the prompt in their chat."""
    user = _user(index)
    button = _score_action(round_id, user, competence, score)
    now = datetime.now(UTC)
    return {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "id": f"f:{time.time_ns()}{index:04d}",
        "timestamp": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "localTimestamp": now.isoformat(timespec="milliseconds"),
        "localTimezone": "Europe/Copenhagen",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user, "name": f"Medlem {index}", "aadObjectId": f"aad-bench-{index}"},
        "recipient": BOT,
        "conversation": {
            "conversationType": "personal",
            "tenantId": TENANT,
            "id": f"a:chat-bench-{index:04d}",
        },
        "entities": [{"type": "clientInfo", "locale": "da-DK", "country": "DK", "platform": "Web"}],
        "channelData": {"tenant": {"id": TENANT}, "source": {"name": "message"}},
        "replyToId": f"1700000000{index:04d}",
        "locale": "da-DK",
        "value": {
            "action": {"type": "Action.Execute", "verb": button["verb"], "data": button["data"]},
            "trigger": "manual",
        },
    }


def _invokes(round_id: int, service_url: str, token: str) -> common.Request:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def request(index: int, competence: str, score: int) -> tuple[bytes, dict[str, str]]:
        activity = _invoke(round_id, index, competence, score, service_url)
        return json.dumps(activity).encode(), headers

    return request


# -- where the CPU goes -------------------------------------------------------------------------


@dataclass
class Split:
    """CPU milliseconds per invoke with server, clicker and fake in one process, one invoke
    at a time: where the time goes, without any waiting."""

    bare: float
    bare_auth: float
    bare_clients: float
    ours: float
    auth: float
    clients: float
    remember: float
    handle: float
    render: float

    @property
    def rest(self) -> float:
        return self.ours - self.auth - self.clients - self.remember - self.handle


async def _cpu_split(
    database_url: str, round_id: int, key: rsa.RSAPrivateKey, invokes: int = 300
) -> Split:
    from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
    from msrest.configuration import Configuration

    from bot.adapters.teams import inbound
    from bot.app import create_app
    from bot.turn import Turns

    connector = common.fake_module("bot_connector").FakeBotConnector()
    await connector.start()
    request = _invokes(round_id, connector.url, _token(key, connector.url))
    spent = reporting.Spent()
    path = "/api/messages"
    jwks = _jwks(key)
    _served_keys(jwks)
    try:
        with (
            spent.counting(ConfigurationBotFrameworkAuthentication, "authenticate_request", "a"),
            spent.counting(Configuration, "__init__", "clients"),
        ):
            bare = await reporting.cpu_per_click(_bare_app(jwks), path, request, spent, invokes)
            bare_auth, bare_clients = spent.ms("a", invokes), spent.ms("clients", invokes)
            with (
                spent.counting(inbound.Inbound, "_remember", "remember"),
                spent.counting(Turns, "handle", "handle"),
                spent.counting(inbound, "route", "render"),
            ):
                ours_app = create_app(_settings(database_url), dispatch=False)
                ours = await reporting.cpu_per_click(ours_app, path, request, spent, invokes)
    finally:
        await connector.stop()
    assert connector.calls == [], "a score click should be answered in its invoke response"
    ms = {name: spent.ms(name, invokes) for name in spent.seconds}
    return Split(
        bare,
        bare_auth,
        bare_clients,
        ours,
        ms["a"],
        ms["clients"],
        ms["remember"],
        ms["handle"],
        ms["render"],
    )


# -- the report ---------------------------------------------------------------------------------


def _report(
    compared: common.Compared,
    split: Split,
    answers: int,
    stored_ok: bool,
    args: argparse.Namespace,
) -> str:
    runs = compared.median()
    (ours, ours_paced), (bare, bare_paced) = runs["ours"], runs["bare"]
    share, paced_share = ours.share_of(bare), ours_paced.share_of(bare_paced)
    lines = [
        reporting.heading(HEADING, args),
        "",
        f"{reporting.command('teams_answers.py', args)}, load average "
        f"{os.getloadavg()[0]:.1f} when it ended (a shared machine: compare the two columns, "
        "not the runs). The clickers, the fake Bot Connector and the server each run in their "
        "own process. A click is an `adaptiveCard/action` invoke (Action.Execute with the "
        "score button's data) carrying a Bot Framework JWT (RS256, checked by botbuilder "
        "against the benchmark's key). Ours stores the answer before it answers (the group "
        "commit) and returns the member's next prompt as the refreshed card in the invoke "
        "response; the bare botbuilder app authenticates and answers with an empty 200.",
        "",
        *reporting.loads(compared, "bare botbuilder (empty invoke response)", "invokes", args),
        f"Ours answers {share:.0%} of the bare app's invokes per second saturated "
        f"({paced_share:.0%} paced). Every acked answer stored ({answers:,} member x "
        f"competence answers, the last click of each): "
        f"{'yes' if stored_ok else 'NO, MISMATCH'}.",
        "",
        "Where the time goes: CPU per invoke with server, clicker and fake Bot Connector in "
        "one process, one invoke at a time (so nothing waits).",
        "",
        "| CPU per invoke | ms |",
        "| --- | --- |",
        f"| bare botbuilder, clicker and aiohttp included | {split.bare:.2f} |",
        f"| of which botbuilder's authentication (JWT, keys, claims) | {split.bare_auth:.2f} |",
        f"| of which botbuilder's per-turn Bot Connector clients ({CLIENTS}) | "
        f"{split.bare_clients:.2f} |",
        f"| ours, clicker and aiohttp included | {split.ours:.2f} |",
        f"| of which botbuilder's authentication (JWT, keys, claims) | {split.auth:.2f} |",
        f"| of which botbuilder's per-turn Bot Connector clients ({CLIENTS}) | "
        f"{split.clients:.2f} |",
        "| of which remembering where the click came from (`Inbound._remember`, its own "
        f"transaction) | {split.remember:.2f} |",
        "| of which our turn without the card (`Turns.handle`: decide and store, group "
        f"commit) | {split.handle - split.render:.2f} |",
        f"| of which rendering the refreshed card (`replies.route`) | {split.render:.2f} |",
        "| of which the rest (clicker, aiohttp, parsing the activity, botbuilder's turn, "
        f"the JSON response) | {split.rest:.2f} |",
        "",
    ]
    return "\n".join(lines)


async def main() -> None:
    args = common.arguments(__doc__.split("\n")[0])
    at = await common.stage(args, _run_fake, "teams", CHANNEL, TENANT, _user)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = _jwks(key)
    compared = await common.compare(
        (_run_ours, (at.database_url, jwks)),
        (_run_bare, (jwks,)),
        "/api/messages",
        at.members,
        _invokes(at.round_id, at.fake_url, _token(key, at.fake_url)),
        args,
    )
    common.stop(at.fake)

    async def describe(answers: int, stored_ok: bool) -> str:
        split = await _cpu_split(at.database_url, at.round_id, key)
        return _report(compared, split, answers, stored_ok, args)

    await reporting.conclude(
        args, HEADING, at.database_url, at.round_id, compared.acked(), describe
    )


if __name__ == "__main__":
    asyncio.run(main())
