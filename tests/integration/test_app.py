"""The server answers health checks and metrics on a fresh database with no configuration."""

from __future__ import annotations

import os
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import RUNTIME, create_app
from bot.config import Settings
from tests.support.processes import Server, free_port
from tests.support.read_only import refuse_writes

HEALTHZ_COUNTED = 'kompetencebot_http_requests_total{route="/healthz",status="200"} 1.0'


async def test_healthz_and_metrics_with_a_bearer_token(settings: Settings) -> None:
    secured = settings.model_copy(update={"metrics_token": "s3cret-metrics"})
    async with TestClient(TestServer(create_app(secured))) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        assert (await response.json()) == {"status": "ok"}
        for header in (None, "Bearer wrong", "s3cret-metrics", "Basic s3cret-metrics"):
            refused = await client.get("/metrics", headers={"Authorization": header or ""})
            assert refused.status == 401
            assert "kompetencebot" not in await refused.text()
        bearer = {"Authorization": "Bearer s3cret-metrics"}
        metrics = await (await client.get("/metrics", headers=bearer)).text()
        assert HEALTHZ_COUNTED in metrics


async def test_metrics_are_not_public_without_a_token(settings: Settings) -> None:
    async with TestClient(TestServer(create_app(settings))) as client:
        assert (await client.get("/metrics")).status == 404


async def test_metrics_on_a_separate_address(settings: Settings) -> None:
    address = f"127.0.0.1:{free_port()}"
    apart = settings.model_copy(update={"metrics_address": address})
    async with TestClient(TestServer(create_app(apart))) as client:
        assert (await client.get("/healthz")).status == 200
        assert (await client.get("/metrics")).status == 404
        async with aiohttp.ClientSession() as http, http.get(f"http://{address}/metrics") as got:
            assert got.status == 200
            assert HEALTHZ_COUNTED in await got.text()
    with pytest.raises(aiohttp.ClientConnectionError):  # closed with the server
        async with aiohttp.ClientSession() as http, http.get(f"http://{address}/metrics"):
            pass


async def test_healthz_reports_an_unreachable_database(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", playground=False)
    app = create_app(settings, dispatch=False, schedule=False)
    async with TestClient(TestServer(app)) as client:
        await app[RUNTIME].engine.dispose()
        (tmp_path / "x.db").unlink()
        (tmp_path / "x.db").mkdir()  # a directory where the database file was
        response = await client.get("/healthz")
        assert response.status == 503
        assert (await response.json())["database"] == "unreachable"


async def test_healthz_reports_a_database_that_cannot_be_written(settings: Settings) -> None:
    """Reachable but read-only (a read-only file, a hot standby, a full disk): clicks would
    fail, so the server is not healthy."""
    app = create_app(settings, dispatch=False, schedule=False)
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/healthz")).status == 200
        engine = app[RUNTIME].engine
        await refuse_writes(engine)
        response = await client.get("/healthz")
        assert response.status == 503
        assert (await response.json())["database"] == "not writable"
        await refuse_writes(engine, False)
        assert (await client.get("/healthz")).status == 200


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
