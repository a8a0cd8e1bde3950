"""Outbox delivery to Slack: DMs to the user id, updates by reference, the summary and chart.

The summary and its chart are two steps, two outbox rows: the chart (a file upload) is
queued once the summary is recorded as posted, so a failed upload is retried on its own and
never posts the summary again.

A DM goes to the member's user id with `chat.postMessage` (Slack opens the conversation), so
launching a round costs no `conversations.open` per member. The returned `{channel, ts}` is
the reference a later click carries, so the two compare equal. Each message carries its
outbox key as message metadata: when a send was interrupted, `find_sent` looks for the key
in the member's DM before anything is posted again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import fallback_text, message_blocks
from bot.adapters.slack.clients import SlackClients
from bot.adapters.slack.errors import FAILURES, delivery_error
from bot.adapters.slack.translate import PLATFORM
from bot.artifacts import chart_for
from bot.delivery.senders import Permanent, Step
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
CHART_STEP = "chart"


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
        if destination.get("step") == CHART_STEP and isinstance(view, SummaryCard):
            return await self._chart(client, str(destination["address"]), view)
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
        return {"channel": str(response["channel"]), "ts": str(response["ts"])}

    def steps(self, destination: dict[str, Any], view: View, ref: dict[str, Any]) -> list[Step]:
        """A summary with a chart: the upload follows, into the channel it was posted in."""
        if not isinstance(view, SummaryCard) or not view.chart or destination.get("step"):
            return []
        where = {**destination, "to": "channel", "address": ref["channel"], "step": CHART_STEP}
        return [Step(CHART_STEP, where)]

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

    async def _chart(
        self, client: AsyncWebClient, channel: str, view: SummaryCard
    ) -> dict[str, Any]:
        """Upload the chart; a failure is the dispatcher's to retry, for this step alone."""
        png = await chart_for(self.runtime, view.chart or "")
        if png is None:
            log.warning("chart %s belongs to no round; not uploaded", view.chart)
            return {"channel": channel}
        try:
            response = await client.files_upload_v2(
                channel=channel,
                file=png,
                filename="kompetencer.png",
                title=view.title,
                alt_txt=view.chart_alt,
            )
        except FAILURES as exc:
            raise delivery_error(exc) from exc
        files = response.get("files") or [{}]
        return {"channel": channel, "file": str(files[0].get("id") or "")}
