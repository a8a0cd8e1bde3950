"""Time in tests: events at a person's pace, and a pacer that does not make tests wait.

Tests send clicks milliseconds apart, people a few seconds apart.

The double-tap rule ignores a repeated tap within a second, so tests that are not about it
advance the turns' clock by a few seconds per event.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot import turn
from bot.delivery.pacing import Pacer

READING = timedelta(seconds=3)


def human_pace(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime.now(UTC)

    def clock() -> datetime:
        nonlocal moment
        moment = max(moment + READING, datetime.now(UTC))
        return moment

    monkeypatch.setattr(turn, "wall_clock", clock)


def virtual_pacer() -> Pacer:
    """A pacer on its own clock that waits by moving that clock, so a test's Retry-After
    holds a lane without the test sleeping through it (the outbox's due times stay real)."""
    now = 0.0

    def clock() -> float:
        return now

    async def sleep(seconds: float) -> None:
        nonlocal now
        now += seconds
        await asyncio.sleep(0)

    return Pacer(clock, sleep)
