"""`/kompetence` subcommands, Danish and English, and the answers Slack gets in time."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.adapters.slack import interactions
from bot.turn import Turns
from storage.models import Round, Score


async def test_help_and_unknown_words_answer_ephemerally(slack: Any) -> None:
    empty = await slack.command("UANNA", "")
    assert empty["response_type"] == "ephemeral"
    assert "opsæt" in empty["text"]
    unknown = await slack.command("UANNA", "hvadså")
    assert "hvadså" in unknown["text"] and "hjælp" in unknown["text"]
    english = await slack.command("UANNA", "help")
    assert english["text"] == empty["text"]  # the team's language, not the word's


async def test_english_aliases_work(slack: Any) -> None:
    await slack.import_profile()
    launched = await slack.command(slack.LEADER, "launch 2026-12-24")
    assert "Runden er startet" in launched["text"]
    assert "åben" in (await slack.command(slack.LEADER, "status"))["text"]


async def test_a_team_command_in_a_direct_message_is_explained(slack: Any) -> None:
    reply = await slack.command(slack.LEADER, "start", channel="D0LEAD")
    assert "holdets kanal" in reply["text"]


async def test_a_channel_the_bot_cannot_see_asks_for_an_invitation(slack: Any) -> None:
    await slack.import_profile(channel="G0SECRET")
    reply = await slack.command(slack.LEADER, "start 3d", channel="G0SECRET")
    assert "/invite" in reply["text"]
    assert await slack.count(Round) == 0


async def test_too_few_people_in_the_channel(slack: Any) -> None:
    slack.fake.add_channel("C0TINY", "lille", [slack.LEADER, "UANNA", "UROBOT"])
    await slack.import_profile(channel="C0TINY")
    reply = await slack.command(slack.LEADER, "start", channel="C0TINY")
    assert "mindst 3" in reply["text"]


async def test_a_slow_decision_is_acked_at_once_and_answered_later(
    slack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await slack.import_profile()
    monkeypatch.setattr(interactions, "ACK_BUDGET", 0.0)
    reply = await slack.command(slack.LEADER, "start 3d")
    assert "Et øjeblik" in reply["text"]
    await slack.settle()
    answer = slack.fake.called("response_url")[-1].args
    assert answer["response_type"] == "ephemeral"
    assert "Runden er startet" in answer["text"]
    assert await slack.count(Round) == 1


async def test_forget_me_asks_then_deletes_only_my_answers(slack: Any) -> None:
    await slack.import_profile()
    await slack.command(slack.LEADER, "start 3d")
    await slack.drain()
    intro = slack.dm("UANNA")[0]
    await slack.press("UANNA", intro, "Kom i gang")
    await slack.press("UANNA", intro, "2 ·")
    leader_intro = slack.dm(slack.LEADER)[0]
    await slack.press(slack.LEADER, leader_intro, "Kom i gang")
    await slack.press(slack.LEADER, leader_intro, "3 ·")

    ask = await slack.command("UANNA", "slet-mine-data")
    confirm = next(e for b in ask["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert confirm["style"] == "danger"
    asked = (slack.CHANNEL, "1.000001")
    slack.fake.messages[asked] = ask
    response = await slack.click("UANNA", confirm["action_id"], confirm["value"], message=asked)
    assert response.status == 200
    await slack.settle()
    done = slack.fake.called("response_url")[-1].args
    assert done["replace_original"] is True and "slettet (1" in done["text"]
    assert await slack.count(Score) == 1
    assert await slack.count(Score, Score.user_id == slack.LEADER) == 1


async def test_my_own_answers_are_shown_only_to_me(slack: Any) -> None:
    await slack.import_profile()
    await slack.command(slack.LEADER, "start 3d")
    await slack.drain()
    intro = slack.dm("UCECILIE")[0]
    await slack.press("UCECILIE", intro, "Kom i gang")
    await slack.press("UCECILIE", intro, "5 ·")
    mine = await slack.command("UCECILIE", "mine")
    assert mine["response_type"] == "ephemeral"
    assert "dit svar 5" in mine["text"]


async def test_a_slow_click_is_acked_only_once_its_answer_is_stored(
    slack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unlike a command, a click never gets the early "one moment": its ack means stored."""
    await slack.import_profile()
    await slack.command(slack.LEADER, "start 3d")
    await slack.drain()
    intro = slack.dm("UANNA")[0]
    await slack.press("UANNA", intro, "Kom i gang")
    monkeypatch.setattr(interactions, "ACK_BUDGET", 0.0)
    handle = Turns.handle

    async def slow(self: Turns, *args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.5)  # a database under load
        return await handle(self, *args, **kwargs)

    monkeypatch.setattr(Turns, "handle", slow)
    element = slack.button(intro, "2 ·")
    response = await slack.click("UANNA", element["action_id"], element["value"], message=intro)
    assert response.status == 200
    assert await slack.count(Score) == 1  # stored before the ack, not after it
