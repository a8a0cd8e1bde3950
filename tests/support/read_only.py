"""A database that answers but refuses writes, as on a read-only file or a hot standby."""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.ext.asyncio import AsyncEngine


def read_only(dbapi_connection: Any, _record: Any) -> None:
    """Every new connection may read but not write, as on a read-only database."""
    cursor = dbapi_connection.cursor()
    if "sqlite" in type(dbapi_connection).__module__:
        cursor.execute("PRAGMA query_only = ON")
    else:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        dbapi_connection.commit()  # a SET in a rolled-back transaction is undone
    cursor.close()


REFUSING: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()
"""Engines whose new connections refuse writes. Their listener stays registered and reads
this flag: adding and removing listeners races with connections being opened."""


async def refuse_writes(engine: AsyncEngine, refuse: bool = True) -> None:
    """From the next connection on, `engine`'s connections refuse (or take) writes."""
    sync = engine.sync_engine
    if sync not in REFUSING:

        def connect(dbapi_connection: Any, record: Any) -> None:
            if REFUSING.get(sync):
                read_only(dbapi_connection, record)

        event.listen(sync, "connect", connect)
    REFUSING[sync] = refuse
    await engine.dispose()
