"""A unit's campaign in Slack, end to end through signed requests and the fake Web API: the
unit is imported as `kompetencebot unit import` does it, its owner starts the campaign from
`oversigt` in a DM, members of three channels answer by clicking, the deadline jobs close
the rounds, and the owner alone gets the overview in a DM, once, with its chart uploaded;
its numbers are those of `kompetencebot unit report --json`."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from tests.support import campaign as plan

OWNER = "UHR"
PUBLIC_URL = "https://kompetencebot.example.dk"


def channel(team: str) -> str:
    return f"C0{team.upper()}"


def member(short: str) -> str:
    return f"U{short.upper()}"


@pytest.fixture
def slack_settings(slack_settings: Settings) -> Settings:
    """A public address, so the ephemeral `oversigt` can show the chart by URL."""
    return slack_settings.model_copy(update={"public_url": PUBLIC_URL})


def texts(blocks: list[dict[str, Any]]) -> str:
    found = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            found.append(block["text"]["text"])
        found += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(found)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def workspace(fake: Any) -> None:
    fake.add_user(OWNER, "Hanne HR")
    for team, (name, people) in plan.TEAMS.items():
        for short in people:
            fake.add_user(member(short), f"Kollega {short}")
        fake.add_channel(channel(team), name, [*map(member, people), "UROBOT"])


async def answer(slack: Any, user: str, scores: tuple[int, ...]) -> None:
    intro = slack.dm(user)[0]
    await slack.press(user, intro, "Kom i gang")
    for score in scores:
        await slack.press(user, intro, f"{score} ·")


async def test_a_campaign_from_import_to_the_owners_overview_with_its_chart(
    slack: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, settings = slack.fake, slack.runtime.settings
    workspace(fake)
    await plan.import_unit(settings, tmp_path, "slack", OWNER, channel)

    # The owner starts the campaign from `oversigt` in a DM: button, modal, deadline.
    first = await slack.command(OWNER, "oversigt", channel="DHR")
    assert first["response_type"] == "ephemeral"
    assert "ikke haft en kampagne" in texts(first["blocks"])
    [start] = buttons(first["blocks"])
    response = await slack.click(OWNER, start["action_id"], start["value"])
    assert response.status == 200
    [opened] = fake.called("views.open")
    started = await slack.submit(OWNER, opened.args["view"], {"deadline": "2d"})
    await slack.drain()
    shown = [started.get("view") or {}] + [c.args["view"] for c in fake.called("views.update")]
    assert any("startet i 3 hold" in texts(view.get("blocks", [])) for view in shown)

    for short, scores in plan.SCORES.items():
        await answer(slack, member(short), scores)
    await plan.close_at_deadlines(slack.runtime, slack.drain)

    overviews = [
        call.args
        for call in fake.called("chat.postMessage")
        if plan.TITLE in texts(call.args.get("blocks") or [])
    ]
    assert [o["channel"] for o in overviews] == [OWNER], "to the owner's DM, once, nobody else"
    elsewhere = fake.called("chat.update") + fake.called("response_url")
    assert not [c for c in elsewhere if plan.TITLE in texts(c.args.get("blocks") or [])]
    chat = html.unescape(texts(overviews[0]["blocks"]))  # as Slack shows it
    completed = fake.called("files.completeUploadExternal")
    uploads = {c.args["channel_id"]: c for c in completed}
    assert len(completed) == 4, "the three summaries' charts, and the overview's"
    assert sorted(uploads) == sorted([*map(channel, plan.TEAMS), "DHR"])
    [owner_file] = uploads["DHR"].args["files"]
    chart = fake.uploads[owner_file["id"]]
    token = (await plan.campaign(slack.runtime)).chart_token
    served = await slack.client.get(f"/files/{token}/chart.png")
    assert served.status == 200
    assert chart.startswith(b"\x89PNG") and chart == await served.read()

    plan.check(await plan.unit_report(settings, capsys), chat)

    # `oversigt` shows the same overview again, with the chart by its URL.
    again = await slack.command(OWNER, "oversigt", channel="DHR")
    assert chat.split("\n")[0] in texts(again["blocks"])
    [image] = [b for b in again["blocks"] if b["type"] == "image"]
    assert image["image_url"] == f"{PUBLIC_URL}/files/{token}/chart.png"
