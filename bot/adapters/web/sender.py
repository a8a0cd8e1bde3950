"""Delivery for the playground: outbox rows become stored chat messages, pushed to pages."""

from __future__ import annotations

from typing import Any

from bot.adapters.web.push import Broker
from bot.delivery.senders import Permanent
from bot.runtime import Runtime
from bot.views import View, view_to_dict
from storage import playground as history


def conversation_of(destination: dict[str, Any]) -> str:
    if destination["to"] == "channel":
        return history.CHANNEL
    return history.private_chat(destination["address"])


class WebSender:
    platform = "web"

    def __init__(self, runtime: Runtime, broker: Broker) -> None:
        self.runtime = runtime
        self.broker = broker

    def lanes(self, destination: dict[str, Any]) -> list[tuple[str, float]]:
        return []

    async def send(self, destination: dict[str, Any], view: View) -> dict[str, Any]:
        async with self.runtime.transaction() as session:
            message_id = await history.add(
                session,
                destination["team_key"],
                conversation_of(destination),
                view_to_dict(view),
                destination.get("visible_to"),
            )
        self.broker.publish()
        return {"web": message_id}

    async def update(
        self, ref: dict[str, Any], destination: dict[str, Any], view: View
    ) -> dict[str, Any]:
        async with self.runtime.transaction() as session:
            if not await history.replace(session, ref.get("web"), view_to_dict(view)):
                raise Permanent(f"message {ref} no longer exists")
        self.broker.publish()
        return ref
