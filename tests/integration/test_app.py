"""The server answers health checks and metrics on a fresh database with no configuration."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.app import RUNTIME, create_app
from bot.config import Settings


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_starts_on_sqlite_without_configuration(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMPETENCEBOT_", "SLACK_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                time.sleep(0.2)
        assert (tmp_path / "kompetencebot.db").exists()
    finally:
        process.terminate()
        process.wait(timeout=10)
