"""Bad inputs on Teams: forged clicks, a non-leader's start, a member who blocked the bot."""

from __future__ import annotations

import copy
import logging

import pytest
from sqlalchemy import func, select

from storage.models import OutboxMessage, Participant, Round, Score
from tests.integration.teams.teams_harness import (
    GENERAL,
    LEADER,
    MEMBERS,
    TeamsClient,
    button,
    texts,
)

BO, DAVID = MEMBERS[1], MEMBERS[3]
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"


async def _round(teams: TeamsClient) -> None:
    await teams.send(teams.install(LEADER))
    await teams.set_profile([])
    await teams.send(teams.mention(LEADER, "start 3d"))
    await teams.drain()


async def _count(teams: TeamsClient, model: object) -> int:
    async with teams.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _forged(action: dict, score: int) -> dict:
    forged = copy.deepcopy(action)
    for data in (forged["data"], forged["fallback"]["data"]):
        data["kb"]["data"]["s"] = score
    return forged


async def test_a_forged_score_gets_a_polite_private_answer_and_stores_nothing(
    teams: TeamsClient,
) -> None:
    await _round(teams)
    [intro] = teams.connector.in_chat(BO["id"])
    answer = await teams.send(teams.execute(BO, intro, button(intro.card, "Kom i gang")))
    three = button(answer["value"], "3")

    answer = await teams.send(teams.execute(BO, intro, _forged(three, 7)))
    assert answer["type"] == MESSAGE_RESPONSE
    assert "0 til 5" in answer["value"]
    await teams.send(teams.submit(BO, intro, _forged(three, 7)))
    await teams.drain()

    assert await _count(teams, Score) == 0
    refusals = [p for p in teams.connector.posted if "0 til 5" in texts(p.card or {})]
    assert len(refusals) == 2
    assert {p.conversation for p in refusals} == {teams.connector.chats[BO["id"]]}


async def test_someone_elses_card_is_refused(teams: TeamsClient) -> None:
    await _round(teams)
    [intro] = teams.connector.in_chat(BO["id"])
    answer = await teams.send(teams.execute(BO, intro, button(intro.card, "Kom i gang")))

    lea_clicks_bos_card = teams.execute(LEADER, intro, button(answer["value"], "4"))
    answer = await teams.send(lea_clicks_bos_card)
    assert answer["type"] == MESSAGE_RESPONSE
    assert await _count(teams, Score) == 0


async def test_an_unreadable_click_is_answered_not_failed(teams: TeamsClient) -> None:
    await _round(teams)
    [intro] = teams.connector.in_chat(BO["id"])
    activity = teams.execute(BO, intro, {"verb": "score", "data": {"s": 3}})
    activity["value"] = {"action": "not an action"}
    answer = await teams.send(activity)
    assert answer["type"] == MESSAGE_RESPONSE
    assert await _count(teams, Score) == 0


async def test_a_non_leader_cannot_start_a_round(teams: TeamsClient) -> None:
    await teams.send(teams.install(LEADER))
    await teams.set_profile([])
    await teams.send(teams.mention(BO, "start"))
    await teams.drain()

    assert await _count(teams, Round) == 0
    assert not teams.connector.calls_to("POST", "/v3/conversations/a:")
    [reply] = [p for p in teams.connector.posted if p.conversation.startswith(f"{GENERAL};")]
    assert "kun holdets ledere" in texts(reply.card or {})


async def test_a_member_who_blocked_the_bot_is_counted_as_unreachable(
    teams: TeamsClient,
) -> None:
    teams.connector.blocked.add(DAVID["id"])
    await _round(teams)

    async with teams.runtime.sessions() as session:
        unreachable = (
            await session.scalars(select(Participant).where(Participant.unreachable.is_not(None)))
        ).all()
        failed = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed"))
        ).all()
    assert [p.user_id for p in unreachable] == [DAVID["id"]]
    assert len(failed) == 1 and "403" in (failed[0].last_error or "")

    await teams.send(teams.mention(LEADER, "status"))
    await teams.drain()
    status = teams.connector.posted[-1]
    assert status.conversation.startswith(f"{GENERAL};messageid=")
    assert "1 deltagere kunne ikke nås" in texts(status.card or {})


async def test_a_retried_click_stores_one_score(teams: TeamsClient) -> None:
    await _round(teams)
    [intro] = teams.connector.in_chat(BO["id"])
    answer = await teams.send(teams.execute(BO, intro, button(intro.card, "Kom i gang")))
    click = teams.execute(BO, intro, button(answer["value"], "3"))
    first = await teams.send(click)
    again = await teams.send(click)  # Teams delivers the same activity id again
    assert first["type"] == "application/vnd.microsoft.card.adaptive"
    # The retry gets the same refreshed card; the answer is stored once.
    assert again["type"] == "application/vnd.microsoft.card.adaptive"
    assert again["value"] == first["value"]
    assert await _count(teams, Score) == 1


async def test_a_click_carrying_an_impossible_number_is_refused_politely(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture
) -> None:
    await _round(teams)
    [intro] = teams.connector.in_chat(BO["id"])
    answer = await teams.send(teams.execute(BO, intro, button(intro.card, "Kom i gang")))
    huge = copy.deepcopy(button(answer["value"], "3"))
    for data in (huge["data"], huge["fallback"]["data"]):
        data["kb"]["data"]["r"] = 2**70
    answer = await teams.send(teams.execute(BO, intro, huge))
    assert "kender jeg ikke" in answer["value"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await _count(teams, Score) == 0
