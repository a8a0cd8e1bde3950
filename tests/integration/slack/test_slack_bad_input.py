"""Bad input: forged or stale requests get 401 and change nothing; forged buttons and
non-leaders get HTTP 200 with a polite message to that person, and nothing is stored."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import Base, Round, Score


async def row_counts(slack: Any) -> dict[str, int]:
    async with slack.runtime.sessions() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)))
            for table in Base.metadata.sorted_tables
        }


async def test_bad_signatures_and_stale_timestamps_get_401_and_change_nothing(slack: Any) -> None:
    await slack.import_profile()
    before = await row_counts(slack)
    body = slack.command_body(slack.LEADER, "start 3d")
    form = "application/x-www-form-urlencoded"
    now = int(time.time())

    wrong_secret = await slack.post(body, form, headers=slack.sign(body, now, "not-the-secret"))
    stale = await slack.post(body, form, timestamp=now - 6 * 60)  # correctly signed, too old
    future = await slack.post(body, form, timestamp=now + 6 * 60)
    tampered = await slack.post(
        body.replace(b"start", b"luk++"), form, headers=slack.sign(body, now)
    )
    unsigned = await slack.post(body, form, headers={"X-Unsigned": "1"})

    for response in (wrong_secret, stale, future, tampered, unsigned):
        assert response.status == 401
    assert slack.fake.calls == []  # not even auth.test
    assert await row_counts(slack) == before


async def started(slack: Any) -> int:
    await slack.import_profile()
    await slack.command(slack.LEADER, "start 3d")
    await slack.drain()
    async with slack.runtime.sessions() as session:
        round_id = await session.scalar(select(Round.id))
    assert round_id is not None
    return int(round_id)


@pytest.mark.parametrize(
    ("who", "forged", "says"),
    [
        ("UANNA", {"c": "M02", "u": "UANNA", "s": 7}, "fra 0 til 5"),
        ("UANNA", {"c": "M02", "u": "UANNA", "s": "3"}, "fra 0 til 5"),
        ("UANNA", {"c": "M99", "u": "UANNA", "s": 3}, "ikke med i runden"),
        ("UANNA", {"c": "M02", "u": "UBO", "s": 3}, "anden deltagers"),
        ("UADMIN", {"c": "M02", "u": "UADMIN", "s": 3}, "ikke med i denne runde"),
        ("UANNA", {"r": 999, "c": "M02", "u": "UANNA", "s": 3}, "kender jeg ikke"),
        ("UANNA", "not json at all", "kender jeg ikke"),
    ],
)
async def test_forged_buttons_are_refused_ephemerally_and_store_nothing(
    slack: Any, who: str, forged: Any, says: str
) -> None:
    round_id = await started(slack)
    intro = slack.dm("UANNA")[0]
    shown = slack.fake.messages[intro]
    value = forged if isinstance(forged, str) else json.dumps({"r": round_id, **forged})

    response = await slack.click(who, "score:2", value, message=intro)
    assert response.status == 200
    assert await response.text() == ""
    await slack.settle()

    answer = slack.fake.called("response_url")[-1].args
    assert answer["response_type"] == "ephemeral"
    assert answer["replace_original"] is False
    assert says in answer["text"]
    assert slack.fake.messages[intro] is shown  # the prompt itself is untouched
    assert await slack.count(Score) == 0


@pytest.mark.parametrize("command", ["start 3d", "luk", "eksport", "påmind", "opsæt", "close"])
async def test_members_who_are_not_leaders_are_refused_politely(slack: Any, command: str) -> None:
    await slack.import_profile()
    before = await row_counts(slack)
    reply = await slack.command("UANNA", command)
    assert reply["response_type"] == "ephemeral"
    assert "kun holdets ledere" in reply["text"]
    assert not slack.fake.called("views.open")
    await slack.drain()
    assert not slack.fake.called("chat.postMessage")
    after = await row_counts(slack)
    assert after["rounds"] == before["rounds"] == 0
    assert after["outbox"] == 0


async def test_workspace_admins_count_as_leaders(slack: Any) -> None:
    await slack.import_profile()
    reply = await slack.command("UADMIN", "start 3d")
    assert "Runden er startet" in reply["text"]
    assert await slack.count(Round) == 1


async def test_a_click_on_a_closed_round_is_refused(slack: Any) -> None:
    await started(slack)
    intro = slack.dm("UBO")[0]
    await slack.press("UBO", intro, "Kom i gang")
    button = slack.button(intro, "3 ·")
    await slack.command(slack.LEADER, "luk")
    response = await slack.click("UBO", button["action_id"], button["value"], message=intro)
    assert response.status == 200
    await slack.settle()
    assert "lukket" in slack.fake.called("response_url")[-1].args["text"]
    assert await slack.count(Score) == 0
