"""Slack answers benchmark (issue 6): members clicking signed score buttons at /slack/events.

N concurrent clickers (default 64), each a different member of one open round, send signed
`block_actions` score clicks for a fixed time, first at our server and then, in the same
run, at a bare slack-bolt AsyncApp that only acks. Two loads, each reported side by side as
acked clicks per second and p50/p99 ack latency as the clicker sees it:
- saturated: every clicker clicks again as soon as the previous click is acked;
- paced: every clicker clicks once per `--pace` seconds, as a person answering would.
Afterwards every acked answer is checked against the database: the last score each member
clicked for each competence must be the stored one, and nothing else may be stored.

Targets: our throughput >= 50 % of the bare app's, our p99 < 100 ms, every answer stored.

Usage: python bench/slack_answers.py [--clickers 64] [--seconds 10] [--warmup 2] [--pace 1]
           [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres] [--database kb_bench]
           [--sqlite FILE] [--write BENCHMARKS.md]
The database is dropped and created afresh on that server. The fake Slack Web API (which
answers the follow-up `response_url` posts) and each server run in child processes.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import common
import reporting
from aiohttp import web

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
TEAM_ID = "T0BENCH"
CHANNEL = "C0BENCH"
HEADING = "## Slack answers"
TRIGGER, ACTION_TS = "TRIGGERID", "ACTIONTS"
"""Where a click's own trigger id and action time go into its prepared body."""
MEMBERS = 1000


def _fake_slack() -> Any:
    """The fake Slack Web API knowing the members who click, as a real workspace would
    (otherwise each click's `users.info` misses and is asked again)."""
    fake = common.fake_module("slack_api").FakeSlack(TEAM_ID)
    for index in range(MEMBERS):
        fake.add_user(_user(index), f"Medlem {index}")
    return fake


# -- child processes -------------------------------------------------------------------------


def _run_fake(port_out: Any) -> None:
    """The fake Slack Web API; it only counts response_url posts (not keeping them)."""

    async def serve() -> None:
        fake = _fake_slack()
        await fake.start()
        port_out.put(fake.url)
        while True:
            await asyncio.sleep(1)
            fake.calls.clear()

    asyncio.run(serve())


def _run_ours(port: int, database_url: str, api_url: str) -> None:
    from bot.app import server_app
    from bot.config import load_settings

    settings = load_settings(
        database_url=database_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        playground=False,
    )
    common.run(server_app(settings), port)


def _bare_app(api_url: str) -> web.Application:
    """A bolt app as small as it gets: verify the signature, ack, nothing else."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=api_url),
        signing_secret=SECRET,
        process_before_response=True,
    )

    @bolt.action(re.compile(".*"))
    async def only_ack(ack: Any) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    return common.app("/slack/events", events)


def _run_bare(port: int, api_url: str) -> None:
    common.run(_bare_app(api_url), port)


# -- the clicks ---------------------------------------------------------------------------------


def _user(index: int) -> str:
    return f"U{index:04d}"


async def _messages(database_url: str, round_id: int) -> dict[str, str]:
    """Each competence's prompt as Slack would send it back with a click on it: our own
    blocks (about 4 KB as JSON), with `{user}` where the member's id goes."""
    from bot.adapters.slack.blocks import fallback_text, message_blocks
    from bot.config import load_settings
    from bot.dialogs.scoring import prompt
    from bot.domain import Progress
    from bot.runtime import open_runtime
    from bot.services.snapshots import round_info
    from storage import rounds

    settings = load_settings(database_url=database_url, playground=False)
    async with open_runtime(settings) as runtime, runtime.transaction() as session:
        round_ = await rounds.get(session, round_id)
        assert round_ is not None
        await session.refresh(round_, ["team"])
        info = round_info(round_)
    views = {
        item.id: prompt(info, Progress("{user}", index)) for index, item in enumerate(info.items)
    }
    return {
        competence: json.dumps(
            {
                "type": "message",
                "subtype": "bot_message",
                "text": fallback_text(view),
                "ts": "1700000000.000100",
                "bot_id": "B0BENCH",
                "blocks": message_blocks(view),
            }
        )
        for competence, view in views.items()
    }


def _click(
    round_id: int, user: str, competence: str, score: int, response_url: str, message: str
) -> bytes:
    value = json.dumps({"r": round_id, "c": competence, "u": user, "s": score})
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "bench"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "ABENCH",
        "token": "bench-verification-token",
        "trigger_id": f"trigger.{TRIGGER}",
        "container": {
            "type": "message",
            "message_ts": f"1700000000.{user[1:]}",
            "channel_id": "D" + user[1:],
            "is_ephemeral": False,
        },
        "channel": {"id": "D" + user[1:], "name": "directmessage"},
        "message": json.loads(message.replace("{user}", user)),
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "block_id": "b",
                "action_id": f"score:{score}",
                "value": value,
                "action_ts": ACTION_TS,
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def _headers(body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    signature = hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={signature}",
    }


def _clicks(round_id: int, fake_url: str, messages: dict[str, str]) -> common.Request:
    """Signed clicks, each body encoded once per member, competence and score and then only
    given its own trigger id and time: encoding 4 KB per click made the load tool, not the
    server, the limit of the bare app on two cores."""
    prepared: dict[tuple[int, str, int], bytes] = {}

    def request(index: int, competence: str, score: int) -> tuple[bytes, dict[str, str]]:
        key = (index, competence, score)
        if key not in prepared:
            url = f"{fake_url}/response/{index}"
            prepared[key] = _click(
                round_id, _user(index), competence, score, url, messages[competence]
            )
        body = (
            prepared[key]
            .replace(TRIGGER.encode(), str(time.time_ns()).encode(), 1)
            .replace(ACTION_TS.encode(), f"{time.time():.6f}".encode(), 1)
        )
        return body, _headers(body)

    return request


@dataclass
class Split:
    """CPU milliseconds per click with server and clicker in one process (the fake Slack in
    its own, so its work is not counted): one click at a time, split by where it goes, and
    all members at once, in total."""

    bare: float
    ours: float
    store: float
    render: float
    follow_up: float
    clicker_together: float
    bare_together: float
    ours_together: float


async def _nothing(request: web.Request) -> web.Response:
    await request.read()
    return web.Response()


async def _cpu_split(
    database_url: str, fake_url: str, round_id: int, members: int, messages: dict[str, str]
) -> Split:
    from bot.adapters.slack import SLACK
    from bot.adapters.slack.clients import SlackClients
    from bot.adapters.slack.interactions import SlackInteractions
    from bot.app import create_app
    from bot.config import load_settings
    from bot.group_commit import GroupCommit

    clicks = 300
    spent = reporting.Spent()
    request = _clicks(round_id, fake_url, messages)
    api = fake_url + "/api/"
    settings = load_settings(
        database_url=database_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api,
        playground=False,
    )
    ours = create_app(settings, dispatch=False)

    async def settle() -> None:
        await ours[SLACK].followups.settle()

    bare = await reporting.cpu_per_click(_bare_app(api), "/slack/events", request, spent, clicks)
    with (
        spent.counting(GroupCommit, "_commit", "store"),
        spent.counting(SlackInteractions, "_message", "render"),
        spent.counting(SlackClients, "respond", "follow-up"),
    ):
        mine = await reporting.cpu_per_click(ours, "/slack/events", request, spent, clicks, settle)
    alone = {name: spent.ms(name, clicks) for name in ("store", "render", "follow-up")}
    clicker_together = await reporting.cpu_per_click(
        common.app("/slack/events", _nothing),
        "/slack/events",
        request,
        spent,
        clicks * 4,
        together=members,
    )
    bare_together = await reporting.cpu_per_click(
        _bare_app(api), "/slack/events", request, spent, clicks * 4, together=members
    )
    ours_together = await reporting.cpu_per_click(
        ours, "/slack/events", request, spent, clicks * 4, settle, together=members
    )
    return Split(
        bare,
        mine,
        alone["store"],
        alone["render"],
        alone["follow-up"],
        clicker_together,
        bare_together,
        ours_together,
    )


def _report(
    compared: common.Compared,
    split: Split,
    answers: int,
    stored_ok: bool,
    args: argparse.Namespace,
) -> str:
    runs = compared.median()
    (ours, ours_paced), (bare, _) = runs["ours"], runs["bare"]
    share = ours.share_of(bare)
    p99, paced_p99 = ours.percentile(0.99), ours_paced.percentile(0.99)
    bolt = split.ours - split.store - split.render - split.follow_up
    server_share = (split.bare_together - split.clicker_together) / (
        split.ours_together - split.clicker_together
    )
    lines = [
        reporting.heading(HEADING, args),
        "",
        f"{reporting.command('slack_answers.py', args)}; the clickers, the fake "
        "Slack API and the server each run in their own process. A click is a signed "
        "`block_actions` request. Ours stores the answer before it acks (one transaction: "
        "the score and the member's progress, shared with the clicks that arrive "
        "meanwhile: the group commit) and then replaces the "
        "prompt through the `response_url`; the bare app verifies the signature and acks.",
        "",
        *reporting.loads(compared, "bare slack-bolt (ack only)", "clicks", args),
        "Where the time goes: CPU per click with the server and the clicker in one process "
        "(the fake Slack in its own), one click at a time, so nothing waits and each part "
        "can be timed on its own:",
        "",
        "| CPU per click, one at a time | ms |",
        "| --- | --- |",
        f"| bare slack-bolt (the clicker, aiohttp, bolt's ack) | {split.bare:.2f} |",
        f"| ours | {split.ours:.2f} |",
        f"| of which deciding and storing (the group commit's transaction) | {split.store:.2f} |",
        f"| of which rendering the next prompt (Block Kit) | {split.render:.2f} |",
        f"| of which the follow-up post to `response_url` | {split.follow_up:.2f} |",
        f"| of which bolt, aiohttp, the clicker and our translation (the rest) | {bolt:.2f} |",
        "",
        f"The same with all {args.clickers} members clicking at once, step after step (what "
        "a storm looks like to the server: the group commit stores a step's clicks together):",
        "",
        "| CPU per click, all at once | ms |",
        "| --- | --- |",
        f"| the clicker and aiohttp alone (an app that reads the body and answers 200) | "
        f"{split.clicker_together:.2f} |",
        f"| bare slack-bolt | {split.bare_together:.2f} |",
        f"| ours | {split.ours_together:.2f} |",
        f"| bare's share of ours | {split.bare_together / split.ours_together:.0%} |",
        "| the same without the clicker and aiohttp (what each app adds to serving HTTP) | "
        f"{server_share:.0%} |",
        "",
        "| target | result | met |",
        "| --- | --- | --- |",
        f"| saturated throughput >= 50 % of the bare app's | {share:.0%} | "
        f"{reporting.met(share >= 0.5)} |",
        f"| p99 ack latency < 100 ms, saturated | {p99:.1f} ms | {reporting.met(p99 < 100)} |",
        f"| p99 ack latency < 100 ms, paced | {paced_p99:.1f} ms | "
        f"{reporting.met(paced_p99 < 100)} |",
        f"| every acked answer stored ({answers:,} member x competence answers, the last "
        f"click of each) | {'all' if stored_ok else 'MISMATCH'} | {reporting.met(stored_ok)} |",
        "",
    ]
    return "\n".join(lines)


async def main() -> None:
    args = common.arguments(__doc__.split("\n")[0])
    at = await common.stage(args, _run_fake, "slack", CHANNEL, TEAM_ID, _user)
    api = at.fake_url + "/api/"
    messages = await _messages(at.database_url, at.round_id)
    compared = await common.compare(
        (_run_ours, (at.database_url, api)),
        (_run_bare, (api,)),
        "/slack/events",
        at.members,
        _clicks(at.round_id, at.fake_url, messages),
        args,
    )

    async def describe(answers: int, stored_ok: bool) -> str:
        split = await _cpu_split(at.database_url, at.fake_url, at.round_id, args.clickers, messages)
        return _report(compared, split, answers, stored_ok, args)

    try:
        await reporting.conclude(
            args, HEADING, at.database_url, at.round_id, compared.acked(), describe
        )
    finally:
        common.stop(at.fake)


if __name__ == "__main__":
    asyncio.run(main())
