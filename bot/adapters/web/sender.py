"""Delivery for the playground: outbox rows become stored chat messages, pushed to pages."""

from __future__ import annotations

from typing import Any

from bot.adapters.web.push import Broker
from bot.delivery.senders import Permanent
from bot.runtime import Runtime
from bot.views import View, view_to_dict
from storage.models import WebMessage


def conversation_of(destination: dict[str, Any]) -> str:
    return "channel" if destination["to"] == "channel" else f"dm:{destination['address']}"


class WebSender:
    platform = "web"

    def __init__(self, runtime: Runtime, broker: Broker) -> None:
        self.runtime = runtime
        self.broker = broker

    def lanes(self, destination: dict[str, Any]) -> list[tuple[str, float]]:
        return []

    async def send(self, destination: dict[str, Any], view: View) -> dict[str, Any]:
        async with self.runtime.transaction() as session:
            message = WebMessage(
                team_key=destination["team_key"],
                conversation=conversation_of(destination),
                view=view_to_dict(view),
            )
            session.add(message)
            await session.flush()
            message_id = message.id
        self.broker.publish()
        return {"web": message_id}

    async def update(
        self, ref: dict[str, Any], destination: dict[str, Any], view: View
    ) -> dict[str, Any]:
        async with self.runtime.transaction() as session:
            message = await session.get(WebMessage, ref.get("web"))
            if message is None:
                raise Permanent(f"message {ref} no longer exists")
            message.view = view_to_dict(view)
        self.broker.publish()
        return ref
