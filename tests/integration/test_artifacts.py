"""A closed round's chart at its unguessable URL: always an image, never a server error."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot import artifacts
from bot.runtime import RUNTIME, Runtime
from bot.services import charts
from bot.views import message_text
from storage import teams as repo
from storage.models import Round
from tests.support.world import TEAM, World, make_profile

PNG = b"\x89PNG\r\n\x1a\n"


async def closed_round_token(runtime: Runtime, team_name: str) -> str:
    await make_profile(runtime, {"M02": 4, "M05": 3, "M13": 3})
    async with runtime.transaction() as session:
        team = await repo.get_or_create(
            session, "test", TEAM, language="da", timezone="Europe/Copenhagen"
        )
        team.name = team_name
    world = World(runtime)
    await world.say("lea", "start 3d")
    for who in ("lea", "ali", "bea", "cai"):
        await world.answer_all(who, [4, 3, 3])
    await world.say("lea", "luk")
    async with runtime.sessions() as session:
        token = await session.scalar(select(Round.chart_token))
    assert token
    return token


async def get_chart(runtime: Runtime, token: str) -> tuple[int, str, bytes]:
    app = web.Application()
    app[RUNTIME] = runtime
    app.router.add_routes(artifacts.ROUTES)
    async with TestClient(TestServer(app)) as client:
        response = await client.get(f"/files/{token}/chart.png")
        return response.status, response.content_type, await response.read()


async def test_a_dollar_in_the_team_name_still_gives_a_chart(runtime: Runtime) -> None:
    token = await closed_round_token(runtime, "Vej $x^$ park")
    status, content_type, body = await get_chart(runtime, token)
    assert (status, content_type) == (200, "image/png")
    assert body.startswith(PNG) and len(body) > 20_000  # the whole chart, not the notice


async def test_a_chart_that_cannot_be_drawn_is_a_notice_not_an_error(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    token = await closed_round_token(runtime, "Vejteamet")

    def broken(*args: object) -> bytes:
        raise ValueError("matplotlib gave up")

    monkeypatch.setattr(charts, "render_chart", broken)
    status, content_type, body = await get_chart(runtime, token)
    assert (status, content_type) == (200, "image/png")
    assert body == charts.render_notice("da")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "could not be drawn" in caplog.text


async def test_the_chart_token_opens_the_chart_only_and_exports_need_the_leaders_link(
    runtime: Runtime,
) -> None:
    import re
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    chart = await closed_round_token(runtime, "Vejteamet")
    world = World(runtime)
    world.now = datetime.now(UTC)  # the link's day is counted on the server's clock
    links = message_text((await world.say("lea", "eksport")).view)  # type: ignore[arg-type]
    assert "/exports/" not in message_text((await world.say("ali", "eksport")).view)  # type: ignore[arg-type]
    [leader_link] = set(re.findall(r"/exports/([^/]+)/", links))
    app = web.Application()
    app[RUNTIME] = runtime
    app.router.add_routes(artifacts.ROUTES)
    async with TestClient(TestServer(app)) as client:
        for name in ("summary.csv", "summary.xlsx", "profile.yaml"):
            assert (await client.get(f"/files/{chart}/{name}")).status == 404
            assert (await client.get(f"/exports/{leader_link}/{name}")).status == 200
        assert (await client.get(f"/exports/{chart}/summary.csv")).status == 404
        assert (await client.get(f"/files/{chart}/chart.png")).status == 200
        async with runtime.transaction() as session:
            expired = datetime.now(UTC) - timedelta(minutes=1)
            await session.execute(update(Round).values(export_expires=expired))
        assert (await client.get(f"/exports/{leader_link}/summary.csv")).status == 404
