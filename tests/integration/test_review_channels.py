"""The review overview on Slack, Teams and the playground, over their real endpoints: after
the last answer, "Ret et svar" lists every competence with the answer now; a tap opens that
one; its answer is stored and brings the member back to the overview, not to the next one."""

from __future__ import annotations

from tests.integration.test_channel_contract import answers
from tests.support.drivers import Driver


async def test_a_member_changes_one_answer_from_the_overview(driver: Driver) -> None:
    lead, bo = driver.people[0], driver.people[2]
    await driver.import_profile()
    await driver.say(lead, "start 3d")
    await driver.drain()
    await driver.press(bo, "Kom i gang")
    for score in (2, 3, 1):
        await driver.press(bo, f"{score} ")
    assert "Ret et svar" in (await driver.prompt(bo)).buttons

    await driver.press(bo, "Ret et svar")
    overview = await driver.prompt(bo)
    assert [label[:7] for label in overview.buttons[:3]] == ["M02 · 2", "M05 · 3", "M18 · 1"]
    assert "Tryk på en kompetence" in overview.text

    await driver.press(bo, "M05 · 3")
    opened = await driver.prompt(bo)
    assert "M05" in opened.text and "2 af 3" in opened.text
    assert "← Til oversigten" in opened.buttons
    assert not [label for label in opened.buttons if "Spring over" in label]

    await driver.press(bo, "5 ")
    back = await driver.prompt(bo)
    assert [label[:7] for label in back.buttons[:3]] == ["M02 · 2", "M05 · 5", "M18 · 1"]
    assert await answers(driver, bo) == {"M02": 2, "M05": 5, "M18": 1}

    await driver.press(bo, "Færdig")
    assert "Tak!" in (await driver.prompt(bo)).text
