"""What delivery means for a member's seat in a round: where their first prompt landed (so
clicks update it in place), and that they cannot be reached (the leader's status counts it,
never naming them). The dispatcher calls these as hooks; it knows nothing of rounds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.dispatcher import Delivered, Dispatcher
from bot.delivery.senders import Sender
from bot.runtime import Runtime
from storage import rounds


async def prompts_landed(session: AsyncSession, sent: Sequence[Delivered]) -> None:
    landed = [
        {**item.payload["seat"], "ref": item.external}
        for item in sent
        if item.payload.get("first_prompt") and item.payload.get("seat")
    ]
    await rounds.remember_prompts(session, landed)


async def unreachable(session: AsyncSession, failed: Sequence[Delivered]) -> None:
    for item in failed:
        seat = item.payload.get("seat")
        if seat and item.destination.get("to") == "user":
            await rounds.mark_unreachable(
                session, int(seat["round"]), str(seat["user"]), item.failure or "failed"
            )


def dispatcher(runtime: Runtime, senders: Mapping[str, Sender], **options: Any) -> Dispatcher:
    """The outbox dispatcher with the seat hooks, as the server and tests run it."""
    return Dispatcher(runtime, senders, on_sent=prompts_landed, on_failed=unreachable, **options)
