"""The one way outbound messages are written: as outbox rows, in the caller's transaction.

A message therefore exists exactly when the state change that caused it has committed, and
its idempotency key makes a second write of it a no-op.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.senders import Step
from bot.dialogs.outcome import Outgoing
from bot.views import view_to_dict
from storage import outbox


def to_row(
    platform: str, item: Outgoing, team_key: str | None, workspace: str | None
) -> dict[str, Any]:
    payload: dict[str, Any] = {"view": view_to_dict(item.view)}
    if item.seat is not None:
        payload["seat"] = {"round": item.seat[0], "user": item.seat[1]}
        if item.first_prompt:
            payload["first_prompt"] = True
    return {
        "platform": platform,
        "idempotency_key": item.key,
        "destination": item.destination.within(team_key, workspace).to_dict(),
        "payload": payload,
    }


async def emit(
    session: AsyncSession,
    platform: str,
    items: Sequence[Outgoing],
    *,
    team_key: str | None = None,
    workspace: str | None = None,
) -> int:
    """Queue `items` for `platform`; the caller wakes the dispatchers after committing."""
    await outbox.enqueue(session, [to_row(platform, item, team_key, workspace) for item in items])
    return len(items)


async def emit_steps(
    session: AsyncSession,
    platform: str,
    key: str,
    view: dict[str, Any],
    steps: Sequence[Step],
) -> int:
    """Queue the steps that follow the sent message `key`, each under its own key, so a
    step that fails is retried alone and a second write of it is a no-op."""
    rows = [
        {
            "platform": platform,
            "idempotency_key": f"{key}/{step.name}",
            "destination": {k: v for k, v in step.destination.items() if k != "key"},
            "payload": {"view": view},
        }
        for step in steps
    ]
    await outbox.enqueue(session, rows)
    return len(rows)
