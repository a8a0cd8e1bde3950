"""A whole round in Slack, from launch to summary, through signed requests only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import turn
from storage.models import Participant, Score, Team

CHANNEL, CHANNEL_NAME, LEADER = "C0TEAM", "materialegaarden", "ULEAD"
PEOPLE = (LEADER, "UANNA", "UBO", "UCECILIE")
SCORES = {LEADER: (3, 2, 4), "UANNA": (1, 2, 2), "UBO": (2, 3, 1), "UCECILIE": (5, 2, 3)}


def texts(blocks: list[dict[str, Any]]) -> str:
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element.get("text"), str):
                found.append(element["text"])
    return "\n".join(found)


async def answer_everything(slack: Any) -> None:
    for user in PEOPLE:
        intro = slack.dm(user)[0]
        await slack.press(user, intro, "Kom i gang")
        assert len(slack.button(intro, "0 ·")) and [
            b["text"]["text"][0] for b in slack.buttons(intro)[:6]
        ] == ["0", "1", "2", "3", "4", "5"]
        for score in SCORES[user]:
            await slack.press(user, intro, f"{score} ·")


async def test_a_whole_round_from_launch_to_summary(slack: Any) -> None:
    fake = slack.fake
    await slack.import_profile()

    started = await slack.command(LEADER, "start 3d")
    assert started["response_type"] == "ephemeral"
    assert "4 deltagere" in started["text"]
    assert fake.called("conversations.members") and fake.called("users.list")
    assert not fake.called("conversations.open")
    assert [call.args["user"] for call in fake.called("users.info")] == [LEADER]  # the actor

    await slack.drain()
    posted = [call.args["channel"] for call in fake.called("chat.postMessage")]
    assert sorted(c for c in posted if c.startswith("U")) == sorted(PEOPLE)
    assert CHANNEL in posted  # the launch announcement
    async with slack.runtime.sessions() as session:
        team = await session.scalar(select(Team).where(Team.key == CHANNEL))
        assert team is not None and team.name == CHANNEL_NAME
        refs = (await session.scalars(select(Participant.prompt_ref))).all()
        assert all(ref and ref["channel"].startswith("D") for ref in refs)
    intro = fake.messages[slack.dm("UBO")[0]]
    assert texts(intro["blocks"]).startswith("Hej Bo!")  # the first name, not "Bo Jensen"

    await answer_everything(slack)
    assert await slack.count(Score) == 12
    finished = fake.messages[slack.dm("UANNA")[0]]
    assert "Tak!" in texts(finished["blocks"])
    assert not fake.called("chat.update")  # replies replaced the clicked message in place

    status = await slack.command(LEADER, "status")
    assert "Færdige: 4" in status["text"].split("\n")
    [fields] = [block["fields"] for block in status["blocks"] if "fields" in block]
    assert {"type": "mrkdwn", "text": "*Færdige:* 4"} in fields  # one count a field
    for user in PEOPLE:
        assert user not in status["text"]
    for name in ("Anna", "Bo ", "Cecilie", "Lis"):
        assert name not in status["text"]

    closed = await slack.command(LEADER, "luk")
    assert "lukket" in closed["text"]
    await slack.drain()
    summary = [c for c in fake.called("chat.postMessage") if c.args["channel"] == CHANNEL][-1]
    assert summary.args["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": f"Resultat for {CHANNEL_NAME}", "emoji": True},
    }
    assert "4 af 4" in texts(summary.args["blocks"])
    upload_url, uploaded, completed = (
        fake.called("files.getUploadURLExternal"),
        fake.called("upload"),
        fake.called("files.completeUploadExternal"),
    )
    assert len(upload_url) == len(uploaded) == len(completed) == 1
    assert completed[0].args["channel_id"] == CHANNEL
    assert fake.uploads[uploaded[0].args["file_id"]].startswith(b"\x89PNG")
    assert upload_url[0].at < uploaded[0].at < completed[0].at

    results = {call.args["channel"]: call.args for call in fake.called("chat.update")}
    for user in PEOPLE:
        mine = texts(results["D" + user[1:]]["blocks"])
        assert "kun du ser dem" in mine
        assert f"dit svar {SCORES[user][0]}" in mine


async def test_a_retried_request_and_a_double_click_store_one_score(
    slack: Any,
) -> None:
    await slack.import_profile()
    await slack.command(LEADER, "start 3d")
    await slack.drain()
    intro = slack.dm("UANNA")[0]
    await slack.press("UANNA", intro, "Kom i gang")
    element = slack.button(intro, "4 ·")

    body = slack.action_body("UANNA", element["action_id"], element["value"], message=intro)
    first = await slack.post(body, "application/x-www-form-urlencoded")
    again = await slack.post(body, "application/x-www-form-urlencoded")  # Slack's retry
    second_click = await slack.click("UANNA", element["action_id"], element["value"], message=intro)
    assert first.status == again.status == second_click.status == 200
    await slack.settle()
    assert await slack.count(Score) == 1
    async with slack.runtime.sessions() as session:
        assert await session.scalar(select(Score.score)) == 4
        participant = await session.scalar(
            select(Participant).where(Participant.user_id == "UANNA")
        )
        assert participant is not None and participant.position == 1


async def test_an_earlier_prompt_changes_that_answer(slack: Any) -> None:
    await slack.import_profile()
    await slack.command(LEADER, "start 3d")
    await slack.drain()
    intro = slack.dm("UBO")[0]
    await slack.press("UBO", intro, "Kom i gang")
    first_question = slack.button(intro, "1 ·")
    await slack.press("UBO", intro, "2 ·")
    # Bo presses "1" on the view he saw first: it answers M02 again, not the current M05.
    response = await slack.click(
        "UBO", first_question["action_id"], first_question["value"], message=intro
    )
    assert response.status == 200
    await slack.settle()
    async with slack.runtime.sessions() as session:
        rows = (await session.execute(select(Score.competence_id, Score.score))).all()
    assert rows == [("M02", 1)]


async def test_a_quick_second_tap_lands_on_the_next_prompt_and_is_not_stored(
    slack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack replaces the prompt in place, so a double tap's second tap presses the same spot
    on the next competence: within a second and with the same score it is ignored."""
    await slack.import_profile()
    await slack.command(LEADER, "start 3d")
    await slack.drain()
    intro = slack.dm("UANNA")[0]
    moment = [datetime.now(UTC)]
    monkeypatch.setattr(turn, "wall_clock", lambda: moment[0])

    await slack.press("UANNA", intro, "Kom i gang")
    moment[0] += timedelta(seconds=5)
    await slack.press("UANNA", intro, "3 ·")  # M02 answered; the prompt is now M05
    moment[0] += timedelta(milliseconds=250)
    await slack.press("UANNA", intro, "3 ·")  # the same spot, a quarter second later
    async with slack.runtime.sessions() as session:
        stored = (await session.execute(select(Score.competence_id, Score.score))).all()
        seat = await session.scalar(select(Participant).where(Participant.user_id == "UANNA"))
    assert stored == [("M02", 3)] and seat is not None and seat.position == 1

    moment[0] += timedelta(milliseconds=250)
    await slack.press("UANNA", intro, "4 ·")  # a different score is an answer
    moment[0] += timedelta(seconds=2)
    await slack.press("UANNA", intro, "4 ·")  # and so is the same score after a second
    async with slack.runtime.sessions() as session:
        stored = (await session.execute(select(Score.competence_id, Score.score))).all()
    assert len({cid for cid, _ in stored}) == 3
    assert sorted(score for _, score in stored) == [3, 4, 4]
