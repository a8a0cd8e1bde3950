"""The botbuilder ActivityHandler: it hands each kind of activity to `Inbound`, and sends in
the turn only what `Inbound` could not queue (the database refusing writes).

A plain ActivityHandler, not TeamsActivityHandler: the latter looks each joining person up
with a connector call before dispatching, while all we need is whether the bot itself joined
or left.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, MessageFactory, TurnContext

from bot.adapters.teams.inbound import Inbound


class TeamsBot(ActivityHandler):  # type: ignore[misc]
    def __init__(self, inbound: Inbound) -> None:
        super().__init__()
        self.inbound = inbound

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        said = await self.inbound.message(turn_context.activity)
        if said is not None:
            await turn_context.send_activity(MessageFactory.text(said))

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        await self.inbound.conversation_update(turn_context.activity)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        await self.inbound.installation_update(turn_context.activity)

    async def on_invoke_activity(self, turn_context: TurnContext) -> Any:
        body = await self.inbound.invoke(turn_context.activity)
        if body is None:
            return InvokeResponse(status=int(HTTPStatus.NOT_IMPLEMENTED))
        return InvokeResponse(status=int(HTTPStatus.OK), body=body)
