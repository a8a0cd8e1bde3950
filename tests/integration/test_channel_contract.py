"""The channel contract: one round, played the same way through Slack, Teams and the
playground over their real HTTP endpoints, must look the same to the people in it.

A leader starts a round for four; each member answers from their private prompt; one changes
an answer with "back"; the leader asks for status; a member's `start` and `luk`, a score of 9
and a click on someone else's prompt are refused politely and change nothing; the leader
closes; the channel gets one summary with the same numbers everywhere, and each member their
own scores only. Retried deliveries (the same event id) duplicate nothing.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from bot.i18n import t
from storage.models import Base, Participant, Round, Score, Team
from tests.support.drivers import Driver, plain

M02, M05, M18 = "M02", "M05", "M18"
# Each person's final scores for M02, M05, M18 (targets 3, 2, 4); the third member first
# answers M02 with 2, then goes back and changes it to 4.
FINAL = ((3, 2, 4), (1, 2, 2), (4, 3, 1), (5, 2, 3))
# The summary every channel must show, worked out by hand: all 4 of 4 finished; the means
# are M02 (3+1+4+5)/4 = 3.25, M05 9/4 = 2.25, M18 10/4 = 2.5, so only M18 falls short of its
# target (gap 1.5); M02's answers span 1 to 5 and M18's 1 to 4 (worth talking over); the
# dimension M1 aims at (3+2+4)/3 = 3.0 and reaches (3.25+2.25+2.5)/3 = 2.7.
SUMMARY = {
    "completed": ("4", "4"),
    "gaps": [("M18", "4", "2,5", "1,5")],
    "spread": [("M02", "1", "5"), ("M18", "1", "4")],
    "dimensions": [("M1", "3,0", "2,7")],
}


def said(key: str, **values: object) -> str:
    return plain(t(key, "da", **values))


def unanswered_or(reply: str, key: str) -> bool:
    """A retry is either not answered again, or answered with the same polite text."""
    return reply == "" or said(key) in reply


async def count(driver: Driver, model: type[Base], *where: Any) -> int:
    async with driver.runtime.sessions() as session:
        query = select(func.count()).select_from(model).where(*where)
        return int(await session.scalar(query) or 0)


async def answers(driver: Driver, who: str) -> dict[str, int]:
    async with driver.runtime.sessions() as session:
        rows = await session.execute(
            select(Score.competence_id, Score.score)
            .join(Round, Round.id == Score.round_id)
            .join(Team, Team.id == Round.team_id)
            .where(Team.platform == driver.platform, Score.user_id == who)
        )
        return {cid: score for cid, score in rows.all()}


async def round_states(driver: Driver) -> list[str]:
    async with driver.runtime.sessions() as session:
        rows = await session.scalars(
            select(Round.status)
            .join(Team, Team.id == Round.team_id)
            .where(Team.platform == driver.platform, Team.key == driver.team_key)
        )
        return list(rows.all())


async def snapshot(driver: Driver, refused: str | None = None) -> tuple[object, ...]:
    """Everything a refused or retried event must leave as it was; the `refused` person's
    private chat may gain the refusal (where a channel has no ephemeral messages)."""
    private = [len(await driver.private(who)) for who in driver.people if who != refused]
    return (
        await round_states(driver),
        await count(driver, Score),
        await count(driver, Participant),
        len(await driver.channel()),
        private,
        [await driver.prompt(who) for who in driver.people],
    )


def my_lines(text: str) -> list[tuple[str, int]]:
    """A member's own scores as their private results list them (largest gap first), by id."""
    found = re.findall(r"(M\d\d)[^\n|]*?(?:: dit svar | \| )(\d)", text)
    return sorted((cid, int(score)) for cid, score in found)


def summary_numbers(text: str) -> dict[str, object]:
    completed = re.search(r"(\d+) af (\d+) har svaret på alle kompetencer", text)
    assert completed is not None, text
    return {
        "completed": completed.groups(),
        "gaps": re.findall(
            r"(M\d\d)[^\n]*?: mål (\d), gennemsnit ([\d,]+) \(gab (-?[\d,]+)\)", text
        ),
        "spread": re.findall(r"(M\d\d)[^\n]*?: svarene spænder fra (\d) til (\d)", text),
        "dimensions": re.findall(r"(M\d) [^\n]*?: mål ([\d,]+), gennemsnit ([\d,]+)$", text, re.M),
    }


async def test_one_round_looks_the_same_on_every_channel(driver: Driver) -> None:
    lead, anna, bo, cecilie = driver.people
    await driver.import_profile()

    # The leader starts; everyone in the channel gets a private prompt, the channel a notice.
    assert said("start.done", invited=4) in await driver.say(lead, "start 3d")
    await driver.drain()
    for who in driver.people:
        assert "Kom i gang" in (await driver.prompt(who)).buttons
    assert any("Ny kompetencerunde" in seen.text for seen in await driver.channel())
    before = await snapshot(driver)
    assert before[0] == ["open"] and before[2] == 4
    assert unanswered_or(await driver.retry(), "start.already_open")
    assert await snapshot(driver) == before

    # A member may neither start nor close a round; nothing changes.
    assert said("error.not_leader") in await driver.say(cecilie, "start")
    assert said("error.not_leader") in await driver.say(cecilie, "luk")
    assert await snapshot(driver) == before

    for who, scores in zip((lead, anna), FINAL, strict=False):
        await driver.press(who, "Kom i gang")
        buttons = (await driver.prompt(who)).buttons
        assert [label[0] for label in buttons[:6]] == list("012345")
        for score in scores:
            await driver.press(who, f"{score} ")

    # Bo answers M02 and M05, goes back to M05 (the retried "back" moves him only once),
    # back again to M02, and changes 2 to 4.
    await driver.press(bo, "Kom i gang")
    await driver.press(bo, "2 ")
    assert M18 in await driver.press(bo, "3 ")
    assert M05 in await driver.press(bo, "← Tilbage")
    assert await driver.retry() == ""
    assert M05 in (await driver.prompt(bo)).text
    assert M02 in await driver.press(bo, "← Tilbage")
    await driver.press(bo, "4 ")
    await driver.press(bo, "3 ")
    await driver.press(bo, "1 ")
    assert await answers(driver, bo) == {M02: 4, M05: 3, M18: 1}

    status = await driver.say(lead, "status")
    for fact in ("Inviteret: 4", "Færdige: 3", "I gang: 0", "Ikke startet: 1"):
        assert fact in status.split("\n"), status
    for shown in (*driver.people, *driver.names):
        assert shown not in status

    # Cecilie's forged clicks are refused in words she can read, and store nothing.
    await driver.press(cecilie, "Kom i gang")
    before = await snapshot(driver, refused=cecilie)
    assert said("error.bad_score") in await driver.forge(cecilie, s=9)
    assert said("error.not_your_prompt") in await driver.forge(cecilie, u=anna)
    assert await snapshot(driver, refused=cecilie) == before
    assert await answers(driver, anna) == dict(zip((M02, M05, M18), FINAL[1], strict=True))
    for score in FINAL[3]:
        await driver.press(cecilie, f"{score} ")
    stored = await count(driver, Score)
    assert stored == 12
    await driver.retry()  # her last score, delivered twice
    assert await count(driver, Score) == stored

    assert said("close.done") in await driver.say(lead, "luk")
    assert unanswered_or(await driver.retry(), "close.done")
    await driver.drain()
    assert await round_states(driver) == ["closed"]

    channel = [seen.text for seen in await driver.channel()]
    summaries = [text for text in channel if "Resultat for" in text]
    assert len(summaries) == 1, channel
    assert summary_numbers(summaries[0]) == SUMMARY
    assert not [text for text in channel if my_lines(text)]

    for who, scores in zip(driver.people, FINAL, strict=True):
        mine = [line for seen in await driver.private(who) for line in my_lines(seen.text)]
        assert sorted(mine) == sorted(zip((M02, M05, M18), scores, strict=True)), who
