"""The leader lock: a PostgreSQL session-level advisory lock on a connection of its own."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

LEADER_KEY = 0x4B42_0002


def shared_by_replicas(engine: AsyncEngine) -> bool:
    """On SQLite there is one process, and it always leads."""
    return engine.dialect.name == "postgresql"


async def open_connection(engine: AsyncEngine) -> AsyncConnection:
    connection = await engine.connect()
    await connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


async def try_lead(connection: AsyncConnection) -> bool:
    return bool(
        await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_KEY})
    )


async def heartbeat(connection: AsyncConnection) -> None:
    await connection.execute(text("SELECT 1"))
