"""The server answers health checks and metrics on a fresh database with no configuration."""

from __future__ import annotations

import os
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from bot.app import RUNTIME, create_app
from bot.config import Settings
from tests.support.processes import Server


async def test_healthz_and_metrics(settings: Settings) -> None:
    async with TestClient(TestServer(create_app(settings))) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        assert (await response.json()) == {"status": "ok"}
        metrics = await (await client.get("/metrics")).text()
        assert 'kompetencebot_http_requests_total{route="/healthz",status="200"} 1.0' in metrics


async def test_healthz_reports_an_unreachable_database(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", playground=False)
    app = create_app(settings, dispatch=False, schedule=False)
    async with TestClient(TestServer(app)) as client:
        await app[RUNTIME].engine.dispose()
        (tmp_path / "x.db").unlink()
        (tmp_path / "x.db").mkdir()  # a directory where the database file was
        response = await client.get("/healthz")
        assert response.status == 503


async def test_serve_starts_on_sqlite_without_configuration(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMPETENCEBOT_", "SLACK_"))}
    server = Server("plain", env, tmp_path)
    server.start()
    try:
        async with aiohttp.ClientSession() as http:
            await server.ready(http, within=30)
        assert (tmp_path / "kompetencebot.db").exists()
    finally:
        await server.stop()
