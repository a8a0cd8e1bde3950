"""The App Home tab: the rounds waiting for a member, and the leader's teams in numbers."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from storage.models import Round


def home_text(view: dict[str, Any]) -> str:
    return json.dumps(view, ensure_ascii=False)


async def open_home(slack: Any, user: str) -> dict[str, Any]:
    response = await slack.event(
        {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home"}
    )
    assert response.status == 200
    await slack.settle()
    published = slack.fake.called("views.publish")[-1].args
    assert published["user_id"] == user
    return dict(published["view"])


async def test_home_shows_members_their_rounds_and_leaders_their_teams(slack: Any) -> None:
    await slack.import_profile()
    await slack.command(slack.LEADER, "start 3d")
    await slack.drain()
    async with slack.runtime.sessions() as session:
        round_id = await session.scalar(select(Round.id))

    member = await open_home(slack, "UANNA")
    assert member["type"] == "home"
    [waiting] = [b for b in member["blocks"] if "accessory" in b]
    button = waiting["accessory"]
    assert button["action_id"].startswith("continue:")
    assert json.loads(button["value"]) == {"r": round_id, "u": "UANNA"}
    assert "0 af 3 besvaret" in waiting["text"]["text"]
    assert "Hold du leder" not in home_text(member)

    leader = await open_home(slack, slack.LEADER)
    assert "Hold du leder" in home_text(leader)
    assert "0 af 4 færdige" in home_text(leader)
    for name in ("Anna", "Cecilie", "UANNA"):
        assert name not in home_text(leader).split("Hold du leder")[1]


async def test_continue_on_home_moves_the_prompt_on_in_place(slack: Any) -> None:
    await slack.import_profile()
    await slack.command(slack.LEADER, "start 3d")
    await slack.drain()
    intro = slack.dm("UBO")[0]
    home = {**await open_home(slack, "UBO"), "id": "VHOME"}
    button = next(b["accessory"] for b in home["blocks"] if "accessory" in b)

    response = await slack.click("UBO", button["action_id"], button["value"], view=home)
    assert response.status == 200
    await slack.settle()
    [updated] = slack.fake.called("chat.update")
    assert (updated.args["channel"], updated.args["ts"]) == intro
    labels = [b["text"]["text"] for b in slack.buttons(intro)]
    assert [label[0] for label in labels[:6]] == ["0", "1", "2", "3", "4", "5"]
    assert "Beskeder" in home_text(slack.fake.called("views.publish")[-1].args["view"])
    assert len(slack.dm("UBO")) == 1  # the prompt moved on in place, nothing new was posted


async def test_an_empty_home(slack: Any) -> None:
    view = await open_home(slack, "UCECILIE")
    assert "Ingen åbne runder" in home_text(view)
