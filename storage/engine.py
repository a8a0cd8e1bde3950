"""Engines and sessions: SQLite for a newcomer, PostgreSQL in production."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the driver, opens transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Take the write lock up front: a read-then-write transaction can then never find its
    snapshot stale (SQLITE_BUSY), and two clicks on one prompt queue instead of failing."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


SQLITE_WRITE_QUEUE_SECONDS = 120.0
"""How long a transaction may wait for SQLite's one writer connection before it fails."""


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """The engine transactions use. On SQLite it has ONE connection, with WAL and foreign
    keys: writers queue for it in this process, instead of taking turns on the database
    file's lock through SQLite's busy handler, which sleeps and retries."""
    if is_sqlite(url):
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", SQLITE_WRITE_QUEUE_SECONDS)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_async_engine(url, **kwargs)


def create_read_engine(url: str, writer: AsyncEngine) -> AsyncEngine:
    """The engine plain reads use: on SQLite other connections (WAL lets them read while the
    writer writes); elsewhere the writer's own engine."""
    if not is_sqlite(url):
        return writer
    engine = create_async_engine(url)
    event.listen(engine.sync_engine, "connect", _sqlite_connect)
    return engine


def insert_for(session: AsyncSession) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT on both SQLite and PostgreSQL."""
    backend = session.get_bind().dialect.name
    return (postgresql if backend == "postgresql" else sqlite).insert


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
