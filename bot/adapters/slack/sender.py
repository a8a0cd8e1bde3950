"""Outbox delivery to Slack: DMs to the user id, updates by reference, the summary and chart.

A DM goes to the member's user id with `chat.postMessage` (Slack opens the conversation), so
launching a round costs no `conversations.open` per member. The returned `{channel, ts}` is
the reference a later click carries, so the two compare equal. Each message carries its
outbox key as message metadata: when a send was interrupted, `find_sent` looks for the key
in the member's DM before anything is posted again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import fallback_text, message_blocks
from bot.adapters.slack.clients import SlackClients
from bot.adapters.slack.errors import FAILURES, delivery_error
from bot.adapters.slack.translate import PLATFORM
from bot.artifacts import chart_for
from bot.delivery.senders import Permanent, RateLimited
from bot.runtime import Runtime
from bot.views import SummaryCard, View

log = logging.getLogger(__name__)
# chat.postMessage: about one message a second per channel, with a workspace-wide budget;
# chat.update is a Tier 3 method (50+ a minute per workspace).
CHANNEL_RATE = 1.0
WORKSPACE_RATE = 20.0
UPDATE_RATE = 1.0
METADATA_EVENT = "kompetencebot_outbox"
RECENT = 50
CHART_ATTEMPTS = 3
MAX_CHART_WAIT = 30.0


class SlackSender:
    platform = PLATFORM

    def __init__(self, runtime: Runtime, clients: SlackClients) -> None:
        self.runtime = runtime
        self.clients = clients

    def lanes(self, destination: dict[str, Any]) -> list[tuple[str, float]]:
        workspace = f"slack:{destination.get('workspace') or '-'}"
        if destination["to"] == "ref":
            return [(workspace, WORKSPACE_RATE), (f"{workspace}:update", UPDATE_RATE)]
        return [
            (workspace, WORKSPACE_RATE),
            (f"{workspace}:{destination['address']}", CHANNEL_RATE),
        ]

    async def send(self, destination: dict[str, Any], view: View) -> dict[str, Any]:
        client = await self.clients.for_workspace(destination.get("workspace"))
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": destination.get("key")}}
        try:
            response = await client.chat_postMessage(
                channel=destination["address"],
                text=fallback_text(view),
                blocks=message_blocks(view),
                metadata=metadata if destination.get("key") else None,
                unfurl_links=False,
                unfurl_media=False,
            )
        except FAILURES as exc:
            raise delivery_error(exc) from exc
        ref = {"channel": str(response["channel"]), "ts": str(response["ts"])}
        if isinstance(view, SummaryCard) and view.chart:
            await self._chart(client, ref["channel"], view)
        return ref

    async def find_sent(self, destination: dict[str, Any]) -> dict[str, Any] | None:
        """A DM whose send was interrupted may have arrived: find it by its outbox key, so no
        member gets the same prompt twice. Channel posts are not searched (reading channel
        history needs a scope the bot otherwise has no use for)."""
        key = destination.get("key")
        if destination["to"] != "user" or not key:
            return None
        client = await self.clients.for_workspace(destination.get("workspace"))
        try:
            opened = await client.conversations_open(users=destination["address"])
            channel = str(opened["channel"]["id"])
            history = await client.conversations_history(
                channel=channel, limit=RECENT, include_all_metadata=True
            )
        except FAILURES as exc:
            raise delivery_error(exc) from exc
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and (metadata.get("event_payload") or {}).get("key") == key
            ):
                return {"channel": channel, "ts": str(message["ts"])}
        return None

    async def update(
        self, ref: dict[str, Any], destination: dict[str, Any], view: View
    ) -> dict[str, Any]:
        if not ref.get("channel") or not ref.get("ts"):
            raise Permanent(f"not a Slack message reference: {ref}")
        client = await self.clients.for_workspace(destination.get("workspace"))
        try:
            await client.chat_update(
                channel=ref["channel"],
                ts=ref["ts"],
                text=fallback_text(view),
                blocks=message_blocks(view),
            )
        except FAILURES as exc:
            raise delivery_error(exc) from exc
        return ref

    async def _chart(self, client: AsyncWebClient, channel: str, view: SummaryCard) -> None:
        """Upload the chart after the summary. The summary is already posted, so failing
        here must not make the dispatcher post it again: a few retries, then a warning."""
        png = await chart_for(self.runtime, view.chart or "")
        if png is None:
            return
        for attempt in range(1, CHART_ATTEMPTS + 1):
            try:
                await client.files_upload_v2(
                    channel=channel,
                    file=png,
                    filename="kompetencer.png",
                    title=view.title,
                    alt_txt=view.chart_alt,
                )
                return
            except FAILURES as exc:
                error = delivery_error(exc)
            if isinstance(error, Permanent) or attempt == CHART_ATTEMPTS:
                log.warning("chart %s not uploaded: %s", view.chart, error)
                return
            wait = error.retry_after if isinstance(error, RateLimited) else 2.0**attempt
            await asyncio.sleep(min(wait, MAX_CHART_WAIT))
