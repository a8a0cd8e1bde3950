"""Two replicas, one team, many `start`s at the same moment: exactly one round opens.

Each replica is its own runtime (its own engine and connections) on the same database, as
two `kompetencebot serve` processes would be; the leader's command arrives several times
at once with different event ids (a double click, a retry that lost its id, two devices).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.domain import Command, Envelope
from bot.i18n import t
from bot.runtime import Runtime, open_runtime
from bot.turn import Turns
from storage.models import OutboxMessage, Round
from tests.support.world import LEADER, TEAM, Directory, make_profile


@pytest.fixture
async def replicas(settings: Settings) -> AsyncIterator[list[Runtime]]:
    async with open_runtime(settings) as first, open_runtime(settings, migrate=False) as second:
        yield [first, second]


async def test_six_concurrent_starts_on_two_replicas_open_one_round(
    replicas: list[Runtime],
) -> None:
    await make_profile(replicas[0], {"M02": 4, "M05": 3, "M13": 3})
    turns = [Turns(runtime, "test", Directory()) for runtime in replicas]
    starts = [
        turns[index % 2].handle(Command(LEADER, "start 3d", TEAM), Envelope(f"start-{index}"))
        for index in range(6)
    ]
    replies = await asyncio.gather(*starts)
    texts = sorted(reply.view.text for reply in replies if reply is not None)  # type: ignore[union-attr]
    assert texts.count(t("start.already_open", "da")) == 5
    async with replicas[0].sessions() as session:
        opened = await session.scalar(select(func.count()).select_from(Round))
        intros = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.idempotency_key.like("round:%:intro:%"))
        )
    assert opened == 1
    assert intros == 4  # every member is invited once
