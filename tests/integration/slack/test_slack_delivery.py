"""Outbound delivery through the outbox: 429 honoured, 5xx retried, dead ends recorded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import ClientConnectionError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from sqlalchemy import select, update

from bot.adapters.slack.errors import delivery_error
from bot.app import DISPATCHER
from bot.delivery.senders import Permanent, RateLimited, Transient
from storage.models import OutboxMessage, Participant
from tests.support.pace import virtual_pacer


async def launched(slack: Any) -> None:
    await slack.import_profile()
    await slack.command(slack.LEADER, "start 3d")


def dm_calls(slack: Any) -> list[Any]:
    return [c for c in slack.fake.called("chat.postMessage") if c.args["channel"].startswith("U")]


async def test_a_429_is_retried_after_its_retry_after(slack: Any) -> None:
    slack.app[DISPATCHER].pacer = virtual_pacer()
    await launched(slack)
    slack.fake.fail("chat.postMessage", status=429, retry_after=60)
    await slack.drain()
    limited = slack.fake.called("chat.postMessage")[0]
    async with slack.runtime.sessions() as session:
        pending = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending"))
        ).all()
    assert len(pending) == 1
    assert (pending[0].next_attempt_at - datetime.now(UTC)).total_seconds() > 30
    assert pending[0].attempts == 0  # a rate limit is not a failed attempt

    await slack.drain()
    assert len(slack.fake.called("chat.postMessage")) == 5  # the limited one is not due yet
    async with slack.runtime.transaction() as session:  # the minute passes
        await session.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(UTC)))
    await slack.drain()
    retried = [
        c
        for c in slack.fake.called("chat.postMessage")
        if c.args["channel"] == limited.args["channel"]
    ]
    assert len(retried) == 2
    assert await slack.count(OutboxMessage, OutboxMessage.status != "sent") == 0


async def test_a_server_error_is_retried_and_a_deactivated_member_is_given_up(
    slack: Any,
) -> None:
    await launched(slack)
    slack.fake.fail("chat.postMessage", status=503)
    slack.fake.users["UBO"]["deleted"] = True  # deactivated after the launch
    await slack.drain()
    await asyncio.sleep(1.1)  # the first backoff is at most one second
    await slack.drain()
    async with slack.runtime.sessions() as session:
        rows = await session.execute(select(OutboxMessage.idempotency_key, OutboxMessage.status))
        statuses = {key: status for key, status in rows.all()}
        unreachable = (
            await session.scalars(
                select(Participant.user_id).where(Participant.unreachable.is_not(None))
            )
        ).all()
    assert statuses.pop("round:1:intro:UBO") == "failed"
    assert set(statuses.values()) == {"sent"}
    assert unreachable == ["UBO"]
    status = await slack.command(slack.LEADER, "status")
    assert "1 deltagere kunne ikke nås" in status["text"]


async def test_an_interrupted_send_is_looked_up_before_it_is_repeated(slack: Any) -> None:
    await launched(slack)
    await slack.drain()
    anna, bo = slack.dm("UANNA")[0], slack.dm("UBO")[0]
    del slack.fake.messages[bo]  # Bo's intro never reached Slack; Anna's did
    async with slack.runtime.transaction() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.idempotency_key.in_(["round:1:intro:UANNA", "round:1:intro:UBO"])
            )
        )
        for row in rows:  # both dispatchers died mid-send; their leases have run out
            row.status, row.sent_at = "sending", None
            row.lease_until = datetime.now(UTC) - timedelta(seconds=1)
    before = [c.args["channel"] for c in dm_calls(slack)]
    looked = len(slack.fake.called("conversations.history"))

    await slack.drain()
    after = [c.args["channel"] for c in dm_calls(slack)]
    assert after == [*before, "UBO"]
    assert len(slack.fake.called("conversations.history")) - looked == 2
    async with slack.runtime.sessions() as session:
        refs = dict(
            (
                await session.execute(
                    select(OutboxMessage.idempotency_key, OutboxMessage.external_ref).where(
                        OutboxMessage.status == "sent"
                    )
                )
            ).all()
        )
    assert refs["round:1:intro:UANNA"] == {"channel": anna[0], "ts": anna[1]}


def _error(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    response = AsyncSlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.test/api/chat.postMessage",
        req_args={},
        data=body,
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError("failed", response)


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (_error(429, {"ok": False, "error": "ratelimited"}, {"retry-after": "7"}), RateLimited),
        (_error(500, {"ok": False}), Transient),
        (_error(200, {"ok": False, "error": "internal_error"}), Transient),
        (ClientConnectionError("reset"), Transient),
        (TimeoutError(), Transient),
        (_error(200, {"ok": False, "error": "user_not_found"}), Permanent),
        (_error(200, {"ok": False, "error": "account_inactive"}), Permanent),
        (_error(200, {"ok": False, "error": "cannot_dm_bot"}), Permanent),
        (_error(200, {"ok": False, "error": "not_in_channel"}), Permanent),
        (_error(200, {"ok": False, "error": "invalid_auth"}), Permanent),
    ],
)
def test_slack_failures_map_to_what_the_dispatcher_does(failure: Any, kind: type) -> None:
    error = delivery_error(failure)
    assert isinstance(error, kind)
    if isinstance(error, RateLimited):
        assert error.retry_after == 7.0


def test_lanes_pace_each_channel_and_the_workspace() -> None:
    from bot.adapters.slack.sender import SlackSender

    sender = SlackSender.__new__(SlackSender)
    to_user = {"to": "user", "address": "U1", "workspace": "T1"}
    to_ref = {"to": "ref", "address": '{"channel": "D1", "ts": "1.0"}', "workspace": "T1"}
    assert sender.lanes(to_user) == [("slack:T1", 20.0), ("slack:T1:U1", 1.0)]
    assert sender.lanes(to_ref)[0] == ("slack:T1", 20.0)


async def due_now(slack: Any) -> None:
    async with slack.runtime.transaction() as session:
        await session.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(UTC)))


@pytest.mark.parametrize("method", ["files.getUploadURLExternal", "files.completeUploadExternal"])
async def test_a_failed_chart_upload_is_retried_alone_and_the_summary_posted_once(
    slack: Any, method: str
) -> None:
    """The adversarial run saw a summary posted 8 times while its chart kept failing."""
    await launched(slack)
    await slack.drain()
    await slack.command(slack.LEADER, "luk")
    slack.fake.fail(method, status=503)
    await slack.drain()

    def summaries() -> int:
        return sum(
            c.args["channel"] == slack.CHANNEL and "Resultat for" in str(c.args["blocks"])
            for c in slack.fake.called("chat.postMessage")
        )

    def charts_shared() -> int:
        completed = slack.fake.called("files.completeUploadExternal")
        failed = 1 if method == "files.completeUploadExternal" else 0
        assert all(c.args["channel_id"] == slack.CHANNEL for c in completed)
        return len(completed) - failed

    assert (summaries(), charts_shared()) == (1, 0)
    async with slack.runtime.sessions() as session:
        rows = await session.execute(select(OutboxMessage.idempotency_key, OutboxMessage.status))
        statuses = dict(rows.all())
    assert statuses["round:1:summary"] == "sent"
    assert statuses["round:1:summary/chart"] == "pending"

    await due_now(slack)
    await slack.drain()
    assert (summaries(), charts_shared()) == (1, 1)
    assert await slack.count(OutboxMessage, OutboxMessage.status != "sent") == 0


async def test_a_chart_that_cannot_be_drawn_posts_the_summary_once_and_a_notice(
    slack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.services import charts

    def broken(*args: object) -> bytes:
        raise ValueError("matplotlib gave up on $x^$")

    monkeypatch.setattr(charts, "render_chart", broken)
    await launched(slack)
    await slack.command(slack.LEADER, "luk")
    await slack.drain()
    channel_posts = [
        c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == slack.CHANNEL
    ]
    assert sum("Resultat for" in str(c.args["blocks"]) for c in channel_posts) == 1
    [uploaded] = slack.fake.called("upload")
    assert slack.fake.uploads[uploaded.args["file_id"]] == charts.render_notice("da")
    assert await slack.count(OutboxMessage, OutboxMessage.status != "sent") == 0
