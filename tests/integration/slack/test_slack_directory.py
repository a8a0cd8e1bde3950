"""Participants: channel members who are people, found in about 25 + 25 calls per 5,000."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack.clients import SlackClients
from bot.adapters.slack.directory import SlackDirectory
from bot.config import load_settings


async def test_a_large_channel_is_paged_and_people_are_filtered(fake: Any) -> None:
    people = [f"UP{i:04d}" for i in range(430)]
    for user in people:
        fake.add_user(user, f"Person {user}")
    fake.add_user("UGUEST", "Gæst")  # guests count as people
    fake.users["UGUEST"]["is_restricted"] = True
    fake.add_channel("C0BIG", "stort-hold", [*people, "UGUEST", "UROBOT", "UAPP", "UGONE"])
    settings = load_settings(slack_bot_token="xoxb-test", slack_api_url=fake.api_url)
    clients = SlackClients(settings)
    try:
        directory = SlackDirectory(clients)
        members = await directory.members("C0BIG", fake.team_id)
        assert [m.user_id for m in members] == [*people, "UGUEST"]
        assert members[0].name == "Person UP0000"
        assert len(fake.called("conversations.members")) == 3
        assert {c.args["limit"] for c in fake.called("conversations.members")} == {"200"}
        assert len(fake.called("users.list")) == 3  # 443 users at 200 a page
        assert not fake.called("users.info")

        await directory.members("C0BIG", fake.team_id)
        assert len(fake.called("users.list")) == 3  # the list is cached

        fake.add_user("UNEW", "Ny Kollega")
        fake.channels["C0BIG"]["members"].append("UNEW")
        again = await directory.members("C0BIG", fake.team_id)
        assert again[-1].user_id == "UNEW"
        assert [c.args["user"] for c in fake.called("users.info")] == ["UNEW"]

        admin = await directory.person(fake.team_id, "UADMIN")
        assert admin.is_admin and admin.name == "Ada Admin"
        nobody = await directory.person(fake.team_id, "UNOBODY", "nobody")
        assert not nobody.is_admin and nobody.name == "nobody"
        # Someone Slack cannot find (another organisation's, via Slack Connect) clicks on:
        # asked once, not on every click.
        for _ in range(3):
            await directory.person(fake.team_id, "UNOBODY", "nobody")
        assert [c.args["user"] for c in fake.called("users.info")].count("UNOBODY") == 1
    finally:
        await clients.close()
