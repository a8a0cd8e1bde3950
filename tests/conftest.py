"""Shared fixtures: a fresh database on SQLite, and on PostgreSQL when one is configured."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import Settings, load_settings
from bot.runtime import Runtime, open_runtime

POSTGRES_URL = os.environ.get("KOMPETENCEBOT_TEST_DATABASE_URL")
NO_POSTGRES = "PostgreSQL tests skipped: set KOMPETENCEBOT_TEST_DATABASE_URL to run them"


async def reset_postgres(url: str) -> None:
    """An empty schema, so each test starts from migrations like a new installation."""
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def _admin(url: str, statement: str) -> None:
    """Run one statement outside any transaction, from whatever context (even a running loop)."""

    async def run() -> None:
        engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(statement))
        await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of this test session's own, so parallel runs never wipe each other."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    name = f"kompetencebot_test_{os.getpid()}"
    server = make_url(POSTGRES_URL)
    _admin(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}"')
    _admin(POSTGRES_URL, f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    _admin(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each repository test runs on both databases; PostgreSQL only where CI provides it."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("postgres_url")
    await reset_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(database_url=database_url)


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    async with open_runtime(settings) as runtime:
        yield runtime


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A file database in the environment, for CLI tests that read their settings from it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("KOMPETENCEBOT_DATABASE_URL", url)
    return url
