"""The playground's small HTTP corners: its icon, and a page that goes away quietly."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web_runner import BaseRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError

from bot.adapters.web import routes
from bot.app import create_app
from bot.config import Settings
from bot.i18n import t
from bot.turn import NotSaved, Turns
from tests.support.processes import until


class _Served(TestServer):
    """As under `web.run_app`: a handler runs on after its client has gone (no cancelling)."""

    async def _make_runner(self, **kwargs: Any) -> BaseRunner:
        return await super()._make_runner(**{**kwargs, "handler_cancellation": False})


def _playground(tmp_path: Path) -> TestServer:
    url = f"sqlite+aiosqlite:///{tmp_path / 'play.db'}"
    settings = Settings(database_url=url, playground=True)
    return _Served(create_app(settings, dispatch=False, schedule=False))


async def test_the_browser_finds_an_icon(tmp_path: Path) -> None:
    async with TestClient(_playground(tmp_path)) as client:
        response = await client.get("/favicon.ico")
        assert response.status == 200
        assert response.content_type == "image/x-icon"
        assert (await response.read()).startswith(b"\x00\x00\x01\x00")  # an icon file


async def test_a_closed_tab_is_no_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "KEEP_ALIVE", 0.05)
    caplog.set_level(logging.DEBUG, logger=routes.__name__)
    async with TestClient(_playground(tmp_path)) as client:
        stream = await client.get("/api/events")
        assert await stream.content.readline() == b"event: ready\n"
        stream.close()  # the tab goes away; the server finds out at its next write

        def noticed() -> bool:
            return any(r.name == routes.__name__ or r.exc_info for r in caplog.records)

        await until(noticed, within=10, what="the server notices the closed stream", every=0.02)
    assert [r.levelname for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert "closed its event stream" in caplog.text


async def _rounds(client: TestClient) -> int:
    from sqlalchemy import func, select

    from bot.runtime import RUNTIME
    from storage.models import Round

    async with client.app[RUNTIME].sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Round)) or 0)


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        # another web site's page posting from a visitor's browser
        ({"Origin": "https://evil.example", "Content-Type": "application/json"},
         '{"as": "anna", "text": "start 3d"}', 403),
        ({"Content-Type": "text/plain"}, '{"as": "anna", "text": "start 3d"}', 415),
        ({"Content-Type": "application/x-www-form-urlencoded"}, "as=anna&text=start", 415),
        # wrong types are named, never a 500
        ({"Content-Type": "application/json"}, '{"as": ["anna"], "text": "start"}', 422),
        ({"Content-Type": "application/json"}, '{"as": "anna", "text": 7}', 422),
        ({"Content-Type": "application/json"}, '{"text": "start 3d"}', 422),
        ({"Content-Type": "application/json"}, "[1]", 400),
        ({"Content-Type": "application/json"}, "{not json", 400),
    ],
)  # fmt: skip
async def test_only_its_own_page_can_drive_the_playground(
    tmp_path: Path, headers: dict[str, str], body: str, status: int
) -> None:
    async with TestClient(_playground(tmp_path)) as client:
        response = await client.post("/api/command", data=body, headers=headers)
        assert response.status == status
        assert await _rounds(client) == 0
        action = await client.post("/api/action", data=body, headers=headers)
        assert action.status in (status, 422)


async def test_the_page_itself_is_answered(tmp_path: Path) -> None:
    async with TestClient(_playground(tmp_path)) as client:
        origin = f"http://{client.host}:{client.port}"
        response = await client.post(
            "/api/command",
            json={"as": "anna", "text": "status"},
            headers={"Origin": origin},
        )
        assert response.status == 200
        wrong = await client.post("/api/action", json={"as": "anna", "message": True})
        assert wrong.status == 422


PLAY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[TestClient]:
    async with TestClient(_playground(tmp_path)) as client:
        yield client


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(["/api/command", "/api/action", "/api/language"]),
    body=st.dictionaries(
        st.sampled_from(["as", "text", "where", "action", "data", "fields", "message", "language"]),
        PLAY_JSON,
        max_size=6,
    ),
)
async def test_random_api_calls_never_get_a_5xx(
    playground: TestClient, path: str, body: dict[str, Any]
) -> None:
    response = await playground.post(path, json=body)
    assert response.status < 500, (response.status, path, body)


async def test_a_database_that_refuses_writes_gets_the_polite_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def full(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    async def not_saved(*args: Any, **kwargs: Any) -> None:
        raise NotSaved()

    async with TestClient(_playground(tmp_path)) as client:
        origin = {"Origin": f"http://{client.host}:{client.port}"}
        start = {"as": "anna", "text": "start 3d"}
        for where, broken in ((routes.history, "add"), (Turns, "handle")):
            with monkeypatch.context() as patch:
                patch.setattr(where, broken, full if broken == "add" else not_saved)
                response = await client.post("/api/command", json=start, headers=origin)
            assert response.status == 503
            assert await response.json() == {"ok": False, "error": t("error.not_saved", "da")}
        assert await _rounds(client) == 0
