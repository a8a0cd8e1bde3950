"""What the bot does with each kind of activity; bot.py only dispatches here.

Every turn first remembers where it came from (installation, channel, 1:1 chat), then lets
the channel-neutral `Conversation` decide, then routes the reply (replies.py). Replies go
through the outbox like every other message, so they are paced and retried; only the
refreshed card of an Action.Execute click travels in the HTTP response itself.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.adapters.teams import installation, store, translate
from bot.adapters.teams.installation import name_team
from bot.adapters.teams.replies import Delivery, How, outbox_row, route
from bot.adapters.teams.translate import Origin
from bot.conversation import Context, Conversation
from bot.dialogs.outcome import Reply
from bot.domain import Event
from bot.i18n import t
from bot.runtime import Runtime
from bot.views import Message
from storage.outbox import enqueue

log = logging.getLogger(__name__)
CARD_ACTION = "adaptiveCard/action"
ADDED = frozenset({"add", "add-upgrade"})
REMOVED = frozenset({"remove", "remove-upgrade"})
GONE_EVENTS = frozenset({"teamDeleted", "channelDeleted"})


class Inbound:
    def __init__(self, runtime: Runtime, conversation: Conversation, public_url: str) -> None:
        self.runtime = runtime
        self.conversation = conversation
        self.public_url = public_url

    def _language(self, where: Origin) -> str:
        return where.person.language or self.runtime.settings.language

    async def _remember(self, where: Origin) -> None:
        async with self.runtime.transaction() as session:
            await store.remember(session, where)
            await name_team(session, where)

    async def _enqueue(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        async with self.runtime.transaction() as session:
            await enqueue(session, rows)
        self.runtime.wake_dispatchers()

    async def _answer(self, event: Event, context: Context, where: Origin, how: How) -> Delivery:
        """Let the dialogs decide; a failure still gets the person a polite message."""
        language = self._language(where)
        try:
            reply = await self.conversation.handle(event, context)
            delivery = route(reply, where, how, self.public_url, language)
        except Exception:
            log.exception("Teams %s from %s failed", how, where.person.user_id)
            error = Message(t("error.internal", language), tone="error")
            delivery = route(Reply(error), where, how, self.public_url, language)
        await self._enqueue(
            [
                outbox_row(f"teams:reply:{where.event_id}:{index}", target, view)
                for index, (target, view) in enumerate(delivery.messages)
            ]
        )
        return delivery

    async def message(self, activity: Any) -> None:
        """A typed command, or an Action.Submit click (a message carrying card data)."""
        where = translate.origin(activity)
        await self._remember(where)
        action = translate.submit(activity, where)
        if action is not None:
            await self._answer(action, Context(where.event_id, where.clicked), where, "submit")
            return
        command = translate.command(activity, where)
        if activity.value is not None and not command.text:
            return
        await self._answer(command, Context(where.event_id), where, "typed")

    async def invoke(self, activity: Any) -> dict[str, Any] | None:
        """An Action.Execute click; the answer is the invoke response's body."""
        if activity.name != CARD_ACTION:
            return None
        where = translate.origin(activity)
        await self._remember(where)
        action = translate.execute(activity, where)
        delivery = await self._answer(
            action, Context(where.event_id, where.clicked), where, "execute"
        )
        return delivery.invoke

    async def installation_update(self, activity: Any) -> None:
        where = translate.origin(activity)
        if activity.action in ADDED:
            await self._installed(where)
        elif activity.action in REMOVED:
            await self._removed(where)

    async def conversation_update(self, activity: Any) -> None:
        """Teams announces installs as the bot joining, and removals as it leaving."""
        where = translate.origin(activity)
        event = translate.channel_event(activity)
        if translate.bot_left(activity) or event in GONE_EVENTS:
            await self._removed(where)
        elif translate.bot_joined(activity):
            await self._installed(where)
        else:
            await self._remember(where)

    async def _installed(self, where: Origin) -> None:
        async with self.runtime.transaction() as session:
            rows = await installation.install(session, self.runtime.settings, where)
            await enqueue(session, rows)
        if rows:
            self.runtime.wake_dispatchers()
        log.info("Teams app installed in %s", where.team_key or "a personal chat")

    async def _removed(self, where: Origin) -> None:
        async with self.runtime.transaction() as session:
            await installation.uninstall(session, where)
        log.info("Teams app removed from %s", where.team_key or "a personal chat")
