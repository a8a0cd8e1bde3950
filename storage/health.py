"""The health probe: a database that answers but cannot write (read-only, a standby, a
full disk) fails every click, so reaching it is not enough; the probe commits a write."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import HealthCheck, table
from storage.types import utcnow


class NotWritable(Exception):
    """The database answered but refused the write."""


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
