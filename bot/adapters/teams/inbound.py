"""What the bot does with each kind of activity; bot.py only dispatches here.

Every turn first remembers where it came from (installation, channel, 1:1 chat), then lets
the channel-neutral `Conversation` decide, then routes the reply (replies.py). Replies go
through the outbox like every other message, so they are paced and retried; only the
refreshed card of an Action.Execute click travels in the HTTP response itself, and, when
the database refuses writes, the polite "nothing was saved" in the turn's own reply.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Any

from bot.adapters.teams import cards, installation, store, translate
from bot.adapters.teams.installation import name_team
from bot.adapters.teams.replies import Delivery, How, route
from bot.adapters.teams.translate import Origin
from bot.delivery.outbox import emit
from bot.dialogs.outcome import Outgoing, Reply
from bot.domain import Envelope, Event
from bot.i18n import t
from bot.runtime import Runtime
from bot.turn import NotSaved, Turns
from bot.views import Message
from storage import health

log = logging.getLogger(__name__)
CARD_ACTION = "adaptiveCard/action"
ADDED = frozenset({"add", "add-upgrade"})
REMOVED = frozenset({"remove", "remove-upgrade"})
GONE_EVENTS = frozenset({"teamDeleted", "channelDeleted"})


REMEMBERED_FOR = 3600.0
"""Seconds an unchanged origin is not written again (a member's 22 clicks are one write)."""


class Inbound:
    def __init__(self, runtime: Runtime, turns: Turns, public_url: str) -> None:
        self.runtime = runtime
        self.turns = turns
        self.public_url = public_url
        self.remembered: dict[Origin, float] = {}
        """Origins written lately, with when; forgotten whenever an install or removal
        changes what is stored."""

    def _language(self, where: Origin) -> str:
        return where.person.language or self.runtime.settings.language

    async def _remember(self, where: Origin) -> None:
        """Write where the activity came from, unless this process wrote the very same
        origin within the hour: a click would otherwise cost a transaction of its own."""
        seen = replace(where, activity_id="", reply_to=None)
        written = self.remembered.get(seen)
        if written is not None and time.monotonic() - written < REMEMBERED_FOR:
            return
        try:
            async with self.runtime.transaction() as session:
                await store.remember(session, where)
                await name_team(session, where)
        except Exception as exc:
            if not health.refuses_writes(exc):
                raise
            return  # the turn fails alike and says so; the next activity writes it

        if len(self.remembered) > 100_000:
            self.remembered.clear()
        self.remembered[seen] = time.monotonic()

    async def _answer(self, event: Event, envelope: Envelope, where: Origin, how: How) -> Delivery:
        """Let the use case decide; its reply's messages commit with its state change. A
        failure still gets the person a polite message."""
        language = self._language(where)
        routed: list[Delivery] = []

        def reply_messages(reply: Reply | None) -> tuple[Outgoing, ...]:
            routed.append(route(reply, where, how, self.public_url, language))
            return routed[-1].messages

        try:
            await self.turns.handle(event, envelope, reply_messages=reply_messages)
            return routed[-1]
        except NotSaved:
            # The database refuses writes, so no reply can be queued either: a click hears
            # why in its invoke response, anything else in a reply sent during the turn.
            said = t("error.not_saved", language)
            if how == "execute":
                return Delivery(cards.notice(said))
            return Delivery(None, in_turn=said)
        except Exception:
            log.exception("Teams %s from %s failed", how, where.person.user_id)
        error = Message(t("error.internal", language), tone="error")
        delivery = route(Reply(error), where, how, self.public_url, language)
        async with self.runtime.transaction() as session:
            await emit(session, translate.PLATFORM, delivery.messages)
        self.runtime.wake_dispatchers()
        return delivery

    async def message(self, activity: Any) -> str | None:
        """A typed command, or an Action.Submit click (a message carrying card data). Returns
        a text to reply with in the turn itself, when the outbox could not take the reply."""
        where = translate.origin(activity)
        await self._remember(where)
        action = translate.submit(activity, where)
        if action is not None:
            envelope = Envelope(where.event_id, where.clicked)
            return (await self._answer(action, envelope, where, "submit")).in_turn
        command = translate.command(activity, where)
        if activity.value is not None and not command.text:
            return None
        return (await self._answer(command, Envelope(where.event_id), where, "typed")).in_turn

    async def invoke(self, activity: Any) -> dict[str, Any] | None:
        """An Action.Execute click; the answer is the invoke response's body."""
        if activity.name != CARD_ACTION:
            return None
        where = translate.origin(activity)
        await self._remember(where)
        action = translate.execute(activity, where)
        delivery = await self._answer(
            action, Envelope(where.event_id, where.clicked), where, "execute"
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
        self.remembered.clear()
        async with self.runtime.transaction() as session:
            rows = await installation.install(session, self.runtime.settings, where)
            await emit(session, translate.PLATFORM, rows)
        if rows:
            self.runtime.wake_dispatchers()
        log.info("Teams app installed in %s", where.team_key or "a personal chat")

    async def _removed(self, where: Origin) -> None:
        self.remembered.clear()
        async with self.runtime.transaction() as session:
            await installation.uninstall(session, where)
        log.info("Teams app removed from %s", where.team_key or "a personal chat")
