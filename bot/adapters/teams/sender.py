"""The outbox's Teams sender: resolve where a message goes, render it, post or update it.

Destinations: "channel" (a team key: a new post in that channel), "user" (a member's 1:1
chat, opened on first use), "conversation" (a given conversation id: a channel thread or a
personal chat, used for replies) and "ref" (update an earlier message). Bot Connector
failures become the dispatcher's vocabulary: 429 waits (Retry-After, with jitter), 412 and
5xx retry with backoff, 403 (the member blocked the bot, or the app is gone) and other
refusals are permanent, so the dispatcher marks the participant unreachable.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from typing import Any

from bot.adapters.teams import cards, mentions, store
from bot.adapters.teams.proactive import Proactive
from bot.adapters.teams.store import Place
from bot.adapters.teams.translate import PLATFORM, Account, team_key
from bot.delivery.senders import DeliveryError, Permanent, RateLimited, Transient
from bot.runtime import Runtime
from bot.views import View

TENANT_RATE = 30.0
CONVERSATION_RATE = 7.0
RETRYABLE = frozenset({408, 412, 502, 504})


def _retry_after(response: Any) -> float:
    headers = getattr(response, "headers", None) or {}
    try:
        seconds = float(headers.get("Retry-After", 1.0))
    except (TypeError, ValueError):
        seconds = 1.0
    return max(seconds, 1.0) * random.uniform(1.0, 1.5)


def classify(exc: Exception) -> DeliveryError:
    """A Bot Connector failure as RateLimited, Transient or Permanent."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if not isinstance(status, int):
        return Transient(f"{type(exc).__name__}: {exc}")
    if status == 429:
        return RateLimited(_retry_after(response))
    if status in RETRYABLE or status >= 500 or status == 401:
        return Transient(f"HTTP {status}")
    return Permanent(f"HTTP {status}: {str(exc)[:200]}")


def _conversation_of(destination: dict[str, Any]) -> str:
    to, address = destination.get("to"), str(destination.get("address") or "")
    if to == "user":
        return f"user:{address}"
    if to == "ref":
        address = str(json.loads(address).get("conversation") or "")
    return team_key(address)


class TeamsSender:
    platform = PLATFORM

    def __init__(self, runtime: Runtime, proactive: Proactive, public_url: str) -> None:
        self.runtime = runtime
        self.proactive = proactive
        self.public_url = public_url

    def lanes(self, destination: dict[str, Any]) -> list[tuple[str, float]]:
        """Teams allows about 7 messages a second per conversation; a tenant-wide budget
        keeps a large round's fan-out of 1:1 chats from tripping the bot's overall limit."""
        tenant = destination.get("workspace") or "-"
        return [
            (f"teams:{tenant}", TENANT_RATE),
            (f"teams:{tenant}:{_conversation_of(destination)}", CONVERSATION_RATE),
        ]

    def _payload(self, view: View) -> dict[str, Any]:
        try:
            return cards.activity(view, self.public_url)
        except cards.CardTooLarge as exc:
            raise Permanent(str(exc)) from exc

    async def _place(self, destination: dict[str, Any]) -> Place:
        """Where the destination is, from stored references; refuses an uninstalled app."""
        to, address = destination["to"], str(destination["address"])
        async with self.runtime.sessions() as session:
            key = destination.get("team_key")
            known = await store.channel(session, str(key)) if key else None
            tenant = destination.get("workspace") or (known.place.tenant if known else None)
            row = await store.installation(session, tenant) if tenant else None
            if row is not None and row.uninstalled_at is not None:
                raise Permanent(f"Kompetencebot is uninstalled from tenant {tenant}")
            if to == "channel":
                ref = known if key == address else await store.channel(session, address)
                if ref is None:
                    raise Permanent(f"never installed in channel {address}")
                if ref.removed:
                    raise Permanent(f"removed from channel {address}")
                return ref.place
            chat = await store.chat(session, address) if to == "user" else None
        if chat is not None:
            return chat
        data = row.data if row is not None else {}
        bot = destination.get("bot") or data.get("bot") or {}
        base = Place(
            str(destination.get("service_url") or data.get("service_url") or ""),
            None if to == "user" else address,
            tenant,
            Account(str(bot.get("id") or ""), str(bot.get("name") or "")),
        )
        if known is not None and not base.service_url:
            base = replace(base, service_url=known.place.service_url, bot=known.place.bot)
        if not base.service_url:
            raise Permanent(f"no Teams activity seen from tenant {tenant} yet")
        return base

    async def send(self, destination: dict[str, Any], view: View) -> dict[str, Any]:
        place = await self._place(destination)
        if destination["to"] in ("channel", "conversation") and destination.get("team_key"):
            view = mentions.for_channel(view, place.bot.name or "Kompetencebot")
        payload = self._payload(view)
        try:
            if place.conversation is None:
                user_id = str(destination["address"])
                place = replace(place, conversation=await self.proactive.open_chat(place, user_id))
                async with self.runtime.transaction() as session:
                    await store.put_chat(session, user_id, place)
            activity_id = await self.proactive.send(place, payload)
        except DeliveryError:
            raise
        except Exception as exc:
            raise classify(exc) from exc
        return {"conversation": place.conversation, "activity": activity_id}

    async def update(
        self, ref: dict[str, Any], destination: dict[str, Any], view: View
    ) -> dict[str, Any]:
        payload = self._payload(view)
        target = {**destination, "to": "conversation", "address": ref.get("conversation")}
        place = await self._place(target)
        try:
            await self.proactive.update(place, str(ref.get("activity")), payload)
        except Exception as exc:
            raise classify(exc) from exc
        return ref
