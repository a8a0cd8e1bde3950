"""Bot Framework authentication on /api/messages, with tokens this test signs itself.

The OpenID key source is patched to serve the test's own RSA key; everything after it is the
real validation: signature, issuer, audience (our app id), the service URL claim, expiry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.teams import auth
from bot.app import create_app
from bot.config import Settings
from storage.models import ConversationRef, Installation, OutboxMessage, Team
from tests.fakes.bot_connector import FakeBotConnector
from tests.integration.teams.teams_harness import GENERAL, LEADER, TeamsClient

APP_ID = "6b3c1f5e-2f4a-4d6e-9a1b-00000000b007"
ISSUER = "https://api.botframework.com"
KID = "test-key-1"
JWKS_URI = "https://login.botframework.example/v1/keys"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _key()
OTHER_KEY = _key()


def token(service_url: str, **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 5}
    claims["exp"] = now + 300
    key = changes.pop("key", SIGNING_KEY)
    kid = changes.pop("kid", KID)
    claims.update(changes)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def signing_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Bot Framework's OpenID metadata and JWKS, serving the test's public key."""
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(SIGNING_KEY.public_key(), as_dict=True)
    keys = {"keys": [{**jwk, "kid": KID, "use": "sig", "endorsements": ["msteams"]}]}

    async def fetch_json(url: str) -> dict[str, Any]:
        return keys if url == JWKS_URI else {"issuer": ISSUER, "jwks_uri": JWKS_URI}

    monkeypatch.setattr(auth, "fetch_json", fetch_json)


@pytest.fixture
async def secured(
    settings: Settings, connector: FakeBotConnector, signing_keys: None
) -> AsyncIterator[TeamsClient]:
    configured = settings.model_copy(
        update={"microsoft_app_id": APP_ID, "microsoft_app_password": "app-secret"}
    )
    async with TestClient(TestServer(create_app(configured, dispatch=False))) as client:
        yield TeamsClient(client, connector)


async def _nothing_stored(teams: TeamsClient) -> None:
    for model in (Installation, ConversationRef, OutboxMessage):
        assert await teams.rows(model) == []
    assert [t for t in await teams.rows(Team) if t.platform == "teams"] == []


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer not-a-token",
        "wrong-key",
        "wrong-audience",
        "wrong-service-url",
        "expired",
        "unknown-key-id",
    ],
)
async def test_requests_without_a_valid_token_get_401_and_change_nothing(
    secured: TeamsClient, header: str | None
) -> None:
    url = secured.connector.url
    forged = {
        "wrong-key": token(url, key=OTHER_KEY),
        "wrong-audience": token(url, aud="someone-elses-bot"),
        "wrong-service-url": token("https://evil.example/"),
        "expired": token(url, exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200),
        "unknown-key-id": token(url, kid="not-ours"),
    }
    value = f"Bearer {forged[header]}" if header in forged else header
    response = await secured.post(
        secured.install(LEADER), headers={"Authorization": value} if value else None
    )
    assert response.status == 401
    await _nothing_stored(secured)


async def test_a_signed_token_is_accepted(secured: TeamsClient) -> None:
    header = {"Authorization": f"Bearer {token(secured.connector.url)}"}
    response = await secured.post(secured.install(LEADER), headers=header)
    assert response.status == 200
    [team] = [t for t in await secured.rows(Team) if t.platform == "teams"]
    assert team.key == GENERAL


async def test_a_token_without_a_service_url_claim_cannot_pick_where_replies_go(
    secured: TeamsClient,
) -> None:
    """botbuilder accepts tokens of the Emulator's issuers without a `serviceurl` claim; the
    activity's serviceUrl would then decide where the bot posts (SSRF)."""
    v1_issuer = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"
    bare = token("unused", iss=v1_issuer, ver="1.0", appid=APP_ID)
    activity = secured.install(LEADER)
    activity["serviceUrl"] = "https://collector.example/"
    response = await secured.post(activity, headers={"Authorization": f"Bearer {bare}"})
    assert response.status == 401
    await _nothing_stored(secured)


async def test_bad_tokens_are_one_line_each_and_keys_are_not_fetched_each_time(
    settings: Settings,
    connector: FakeBotConnector,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fetched: list[str] = []

    async def unreachable(url: str) -> dict[str, Any]:
        fetched.append(url)
        raise aiohttp.ClientConnectionError("login.botframework.com is unreachable")

    monkeypatch.setattr(auth, "fetch_json", unreachable)
    configured = settings.model_copy(update={"microsoft_app_id": APP_ID})
    caplog.set_level(logging.INFO)
    async with TestClient(TestServer(create_app(configured, dispatch=False))) as client:
        teams = TeamsClient(client, connector)
        for number in range(5):
            forged = token(connector.url, kid=f"kid-{number}", key=OTHER_KEY)
            activity = teams.install(LEADER)
            response = await teams.post(activity, headers={"Authorization": f"Bearer {forged}"})
            assert response.status == 401
        await _nothing_stored(teams)
    assert len(fetched) == 1
    assert not [r for r in caplog.records if r.exc_info]
    refused = [r for r in caplog.records if "Teams request refused" in r.getMessage()]
    assert len(refused) == 5 and all("\n" not in r.getMessage() for r in refused)


async def test_without_an_app_id_or_the_emulator_switch_there_is_no_endpoint(
    settings: Settings,
) -> None:
    async with TestClient(TestServer(create_app(settings, dispatch=False))) as client:
        response = await client.post("/api/messages", json={"type": "typing"})
        assert response.status == 404


async def test_the_emulator_switch_opens_the_endpoint_and_says_so_once(
    settings: Settings, connector: FakeBotConnector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    emulator = settings.model_copy(update={"teams_emulator": True})
    async with TestClient(TestServer(create_app(emulator, dispatch=False))) as client:
        teams = TeamsClient(client, connector)
        assert (await teams.post(teams.install(LEADER))).status == 200
    notes = [r for r in caplog.records if "KOMPETENCEBOT_TEAMS_EMULATOR" in r.getMessage()]
    assert len(notes) == 1 and "loopback" in notes[0].getMessage()


@pytest.mark.parametrize(
    "service_url",
    [
        "https://evil.example/",
        "http://192.0.2.1:8080/",
        "http://169.254.169.254/latest/",
        "http://127.0.0.1.evil.example/",
        "http://[::ffff:192.0.2.1]/",
        "not a url",
        "",
    ],
)
async def test_the_emulator_accepts_only_loopback_service_urls(
    settings: Settings, connector: FakeBotConnector, service_url: str
) -> None:
    emulator = settings.model_copy(update={"teams_emulator": True})
    async with TestClient(TestServer(create_app(emulator, dispatch=False))) as client:
        teams = TeamsClient(client, connector)
        activity = teams.install(LEADER)
        activity["serviceUrl"] = service_url
        response = await teams.post(activity)
        assert response.status in (401, 403)
        await _nothing_stored(teams)
    assert connector.calls == []


ACTIVITY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fields=st.dictionaries(
        st.sampled_from(["type", "serviceUrl", "from", "conversation", "value", "name", "text"]),
        ACTIVITY_JSON,
        max_size=6,
    ),
    signed=st.booleans(),
)
async def test_random_activities_never_get_a_5xx_and_unsigned_ones_store_nothing(
    secured: TeamsClient, fields: dict[str, Any], signed: bool
) -> None:
    service = secured.connector.url
    if signed:
        fields = {**fields, "serviceUrl": service}
    headers = {"Authorization": f"Bearer {token(service)}"} if signed else {}
    response = await secured.post(fields, headers=headers)
    assert response.status < 500, (response.status, fields)
    if not signed:
        assert response.status in (400, 401, 415)
        await _nothing_stored(secured)
