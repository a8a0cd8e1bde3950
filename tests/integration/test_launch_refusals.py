"""`start` as a table, through the platform-free world: each refusal `launch.check` (or the
turn before it) decides is answered politely, opens no round, and never asks the platform
for the channel's members; a start that passes opens exactly one round."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import func, select

from bot.domain import Member
from bot.i18n import t
from bot.runtime import Runtime
from storage import teams as repo
from storage.models import Round
from tests.support.world import PEOPLE, TEAM, Directory, World, make_profile

TARGETS = {"M02": 3, "M05": 2}


class CountingDirectory(Directory):
    def __init__(self, members: Sequence[str] = tuple(PEOPLE)) -> None:
        super().__init__(members)
        self.asked = 0

    async def members(self, team_key: str, workspace: str | None) -> list[Member]:
        self.asked += 1
        return await super().members(team_key, workspace)


async def team_without_profile(runtime: Runtime) -> None:
    async with runtime.transaction() as session:
        team = await repo.get_or_create(
            session, "test", TEAM, language="da", timezone="Europe/Copenhagen"
        )
        repo.add_leaders(team, ["lea"])


async def rounds(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Round)) or 0)


# The world's clock stands at 2026-11-30 09:00 UTC.
@pytest.mark.parametrize(
    ("setup", "who", "command", "members", "expected", "opened", "asked"),
    [
        # a channel the bot has never seen: the next step is to set it up, whoever asks
        ("nothing", "lea", "start", PEOPLE, t("error.no_profile", "da"), 0, 0),
        ("nothing", "ali", "start", PEOPLE, t("error.no_profile", "da"), 0, 0),
        ("team", "lea", "start", PEOPLE, t("error.no_profile", "da"), 0, 0),
        ("profile", "ali", "start", PEOPLE, t("error.not_leader", "da"), 0, 0),
        ("profile", "lea", "start snart", PEOPLE, t("deadline.unreadable", "da"), 0, 0),
        ("profile", "lea", "start 2026-11-29", PEOPLE, t("deadline.past", "da"), 0, 0),
        ("profile", "lea", "start 0d", PEOPLE, t("deadline.past", "da"), 0, 0),
        ("profile", "lea", "start 2028-01-01", PEOPLE, t("deadline.too_far", "da"), 0, 0),
        ("open", "lea", "start 3d", PEOPLE, t("start.already_open", "da"), 1, 0),
        # past the check: the member list decides (the threshold keeps answers anonymous)
        ("profile", "lea", "start 3d", ("lea", "ali"),
         t("start.too_few", "da", count=2, threshold=3), 0, 1),
        ("profile", "lea", "start 3d", ("lea", "ali", "ali", "bea"),
         t("start.done", "da", invited=3), 1, 1),
        ("profile", "lea", "start 2026-12-10", PEOPLE, t("start.done", "da", invited=4), 1, 1),
    ],
    ids=["unknown-team", "unknown-team-member", "no-profile", "member", "unreadable",
         "yesterday", "zero-days", "over-a-year", "already-open", "too-few",
         "duplicates-counted-once", "date"],
)  # fmt: skip
async def test_start(
    runtime: Runtime,
    setup: str,
    who: str,
    command: str,
    members: Sequence[str],
    expected: str,
    opened: int,
    asked: int,
) -> None:
    directory = CountingDirectory(members)
    world = World(runtime, directory)
    if setup == "team":
        await team_without_profile(runtime)
    elif setup in ("profile", "open"):
        await make_profile(runtime, TARGETS)
    if setup == "open":
        await world.say("lea", "start 3d")
        directory.asked = 0
    reply = await world.say(who, command)
    assert getattr(reply.view, "text", None) == expected
    assert await rounds(runtime) == opened
    assert directory.asked == asked
