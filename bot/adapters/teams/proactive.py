"""Bot Connector calls made outside a user's turn: open a 1:1 chat, post, update, read a roster.

Every call gets a connector client for the conversation's service URL from the
CloudAdapter's authentication, so the same credentials (and the same kept clients, with
msrest's retries off: clients.py) serve inbound and proactive work.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)

from bot.adapters.teams.store import Place
from bot.adapters.teams.translate import Account

CHANNEL_ID = "msteams"
PAGE_SIZE = 200


def _bot(place: Place) -> Any:
    return ChannelAccount(id=place.bot.id, name=place.bot.name)


class Proactive:
    """The connector operations the sender and the directory need, nothing more."""

    def __init__(self, adapter: CloudAdapter, app_id: str | None) -> None:
        self.adapter = adapter
        self.app_id = app_id or ""

    async def _client(self, service_url: str) -> Any:
        identity = self.adapter.create_claims_identity(self.app_id)
        factory = self.adapter.bot_framework_authentication.create_connector_factory(identity)
        return await factory.create(service_url, None)

    def _activity(self, place: Place, payload: dict[str, Any]) -> Any:
        activity = Activity().deserialize(payload)
        activity.conversation = ConversationAccount(id=place.conversation)
        activity.from_property = _bot(place)
        return activity

    async def open_chat(self, place: Place, user_id: str) -> str:
        """The member's 1:1 chat id; Teams returns the existing chat if there is one.

        The tenant id is required: without it Teams refuses to create the conversation.
        """
        parameters = ConversationParameters(
            is_group=False,
            bot=_bot(place),
            members=[ChannelAccount(id=user_id)],
            tenant_id=place.tenant,
            channel_data={"tenant": {"id": place.tenant}},
        )
        client = await self._client(place.service_url)
        result = await client.conversations.create_conversation(parameters)
        return str(result.id)

    async def send(self, place: Place, payload: dict[str, Any]) -> str:
        """Post a new activity; returns its id."""
        client = await self._client(place.service_url)
        activity = self._activity(place, payload)
        response = await client.conversations.send_to_conversation(place.conversation, activity)
        return str(getattr(response, "id", None) or "")

    async def update(self, place: Place, activity_id: str, payload: dict[str, Any]) -> None:
        """Replace an earlier activity's content in place."""
        client = await self._client(place.service_url)
        activity = self._activity(place, payload)
        activity.id = activity_id
        await client.conversations.update_activity(place.conversation, activity_id, activity)

    async def roster(self, place: Place, roster_id: str) -> list[Account]:
        """Everyone in `roster_id`'s conversation, page by page (the unpaged call is retired)."""
        reference = ConversationReference(
            channel_id=CHANNEL_ID,
            service_url=place.service_url,
            conversation=ConversationAccount(id=place.conversation, tenant_id=place.tenant),
            bot=_bot(place),
        )
        members: list[Any] = []

        async def collect(context: Any) -> None:
            token = None
            while True:
                page = await TeamsInfo.get_paged_team_members(context, roster_id, token, PAGE_SIZE)
                members.extend(page.members or [])
                token = page.continuation_token
                if not token:
                    return

        await self.adapter.continue_conversation(reference, collect, self.app_id)
        return [
            Account(str(m.id), str(m.name or ""), str(getattr(m, "given_name", None) or ""))
            for m in members
            if m.id
        ]
