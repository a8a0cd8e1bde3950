"""The health probe: a database that answers but cannot write (read-only, a standby, a
full disk) fails every click, so reaching it is not enough; the probe commits a write."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import HealthCheck, table
from storage.types import utcnow

SQLITE_REFUSALS = {8, 10, 13}
"""SQLITE_READONLY, SQLITE_IOERR (a write the disk did not take), SQLITE_FULL."""
POSTGRES_REFUSALS = ("25006", "53100")
"""read_only_sql_transaction (a standby, a read-only database) and disk_full."""
SQLITE_CANTOPEN = 14
POSTGRES_GONE = ("57P01", "57P02", "57P03")
"""admin_shutdown, crash_shutdown, cannot_connect_now (class 08 is the connection's own)."""
REFUSAL_WORDS = ("readonly database", "read-only", "disk is full", "no space left")


class NotWritable(Exception):
    """The database answered but refused the write."""


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and everything behind it: causes, contexts and the driver's own error."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        error = todo.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        todo.extend([error.__cause__, error.__context__, getattr(error, "orig", None)])


def refuses_writes(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is the database refusing to write: read-only or
    full. Such a failure repeats until an operator acts, so callers back off and say it
    once rather than retrying hot with a traceback each time."""
    for error in _causes(exc):
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in SQLITE_REFUSALS:
            return True
        if getattr(error, "sqlstate", None) in POSTGRES_REFUSALS:
            return True
        if isinstance(error, NotWritable) or any(w in str(error).lower() for w in REFUSAL_WORDS):
            return True
    return False


def unreachable(exc: BaseException) -> bool:
    """Whether `exc` is the database not being there: the connection refused, timed out or
    lost, the server starting up or shutting down, SQLite's file not to be opened. Like a
    refused write, it lasts until the server is back, so it is met the same way. Ask it only
    of work that touches nothing but the database: any OSError counts (asyncpg raises the
    socket's own)."""
    for error in _causes(exc):
        if isinstance(error, OSError) or getattr(error, "connection_invalidated", False):
            return True
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF == SQLITE_CANTOPEN:
            return True
        state = getattr(error, "sqlstate", None)
        if isinstance(state, str) and (state.startswith("08") or state in POSTGRES_GONE):
            return True
    return False


def unavailable(exc: BaseException) -> bool:
    """The database cannot take the work now, through no fault of the work itself."""
    return refuses_writes(exc) or unreachable(exc)


def state(exc: BaseException) -> str:
    """How logs and /healthz name a database that `unavailable` holds away."""
    return "not writable" if refuses_writes(exc) else "unreachable"


async def probe(engine: AsyncEngine) -> None:
    """Return when the database can be reached and written; NotWritable when it can only
    be reached, and the driver's error when it cannot even be reached."""
    async with engine.connect() as connection:
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        now = utcnow()
        beat = dialect.insert(table(HealthCheck)).values(id=1, checked_at=now)
        beat = beat.on_conflict_do_update(index_elements=["id"], set_={"checked_at": now})
        try:
            async with connection.begin():
                await connection.execute(beat)
        except SQLAlchemyError as exc:
            raise NotWritable(str(exc).splitlines()[0]) from exc
