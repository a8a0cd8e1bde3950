"""Buttons left behind by a closed round: the close updates only answerers' prompts (updating
every card would flood Slack's one-update-a-second lane), so intros, reminders and unanswered
prompts keep their buttons. Pressed later, on every channel, such a button stores nothing,
and the card it was on turns into one polite line without buttons."""

from __future__ import annotations

from storage.models import Score
from tests.integration.test_channel_contract import answers, count, round_states, said
from tests.support.drivers import Driver

CLOSED = said("error.round_closed")


async def lines_seen(driver: Driver, who: str) -> int:
    """How often `who` can read the closed-round line in their private chat."""
    return sum(seen.text.count(CLOSED) for seen in await driver.private(who))


async def test_a_button_pressed_after_the_close_stores_nothing_and_disappears(
    driver: Driver,
) -> None:
    lead, finisher, starter, looker = driver.people
    await driver.import_profile()
    await driver.say(lead, "start 3d")
    await driver.drain()
    # One member finishes; one answers a competence and stops; one opens the first prompt
    # and answers nothing; the leader never starts. All but the first get a reminder.
    await driver.press(finisher, "Kom i gang")
    for score in (3, 2, 4):
        await driver.press(finisher, f"{score} ")
    await driver.press(starter, "Kom i gang")
    await driver.press(starter, "2 ")
    await driver.press(looker, "Kom i gang")
    await driver.say(lead, "påmind")
    await driver.drain()
    for who in (lead, starter, looker):
        assert "Fortsæt" in (await driver.private(who))[-1].buttons
    await driver.say(lead, "luk")
    await driver.drain()
    assert await round_states(driver) == ["closed"]
    stored = await count(driver, Score)
    starter_answers = await answers(driver, starter)
    starter_results = (await driver.private(starter))[0]
    assert "Dine svar" in starter_results.text
    assert "Kom i gang" in (await driver.prompt(lead)).buttons

    # A reminder, a score prompt, an intro: each press stores nothing, and the card pressed
    # shows the line once and no buttons; the rest of the chat stays as it was.
    pressed = (
        (starter, -1, "Fortsæt"),
        (looker, 0, "3 "),
        (lead, 0, "Kom i gang"),
        (lead, -1, "Fortsæt"),
    )
    for who, message, label in pressed:
        before = await driver.private(who)
        assert any(b.startswith(label) for b in before[message].buttons)
        assert CLOSED in await driver.press(who, label, message)
        after = await driver.private(who)
        assert len(after) == len(before), (who, label)
        assert after[message].buttons == ()
        assert CLOSED in after[message].text
        assert await lines_seen(driver, who) == sum(1 for seen in before if CLOSED in seen.text) + 1
        assert [s for i, s in enumerate(after) if i != message % len(after)] == [
            s for i, s in enumerate(before) if i != message % len(before)
        ]
        assert await count(driver, Score) == stored
    assert await answers(driver, starter) == starter_answers
    assert (await driver.private(starter))[0] == starter_results
    assert not [seen for seen in await driver.channel() if CLOSED in seen.text]
