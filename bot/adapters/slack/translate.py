"""Slack payloads in, neutral Commands, Actions and Envelopes out; no I/O here.

Everything a payload carries is untrusted: a button value that is not JSON, not an object,
or holding a number no id or score can be (2**70, 1e999), becomes empty data, and the
Conversation refuses it politely.
"""

from __future__ import annotations

import json
from typing import Any

from bot.adapters.slack.blocks import INPUT_ACTION, INPUT_PREFIX
from bot.domain import Action, Command, Envelope, Person, plausible

PLATFORM = "slack"
MAX_COMMAND = 500


def workspace_of(body: dict[str, Any]) -> str | None:
    team = body.get("team")
    found = body.get("team_id") or (team.get("id") if isinstance(team, dict) else None)
    return str(found) if found else None


def user_of(body: dict[str, Any]) -> str:
    user = body.get("user")
    return str(body.get("user_id") or (user.get("id") if isinstance(user, dict) else "") or "")


def team_key(channel_id: str | None) -> str | None:
    """The team is the channel; a direct message (`D…`) is a private chat with no team."""
    if not channel_id or channel_id.startswith("D"):
        return None
    return channel_id


def command(body: dict[str, Any], person: Person) -> Command:
    return Command(
        person,
        str(body.get("text") or "")[:MAX_COMMAND],
        team_key(body.get("channel_id")),
        workspace_of(body),
    )


def command_context(body: dict[str, Any]) -> Envelope:
    trigger = body.get("trigger_id")
    return Envelope(event_id=f"command:{trigger}" if trigger else None)


def action_name(action_id: str) -> str:
    """`score:3` -> `score`: the index only keeps action ids unique within a message."""
    return action_id.rsplit(":", 1)[0]


def button_data(value: object) -> dict[str, Any]:
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return {}
    return data if isinstance(data, dict) and plausible(data) else {}


def clicked_message(body: dict[str, Any]) -> dict[str, Any] | None:
    """The message a button was pressed on, in the form the sender returns for it."""
    container = body.get("container") or {}
    if container.get("type") != "message" or container.get("is_ephemeral"):
        return None
    channel, ts = container.get("channel_id"), container.get("message_ts")
    return {"channel": channel, "ts": ts} if channel and ts else None


def action(body: dict[str, Any], pressed: dict[str, Any], person: Person) -> Action:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return Action(
        person,
        action_name(str(pressed.get("action_id") or "")),
        button_data(pressed.get("value")),
        team_key(channel),
        workspace_of(body),
    )


def action_context(
    body: dict[str, Any], pressed: dict[str, Any], message: dict[str, Any] | None
) -> Envelope:
    """Slack's ids make the dedupe key: the same delivery twice finds its id stored."""
    event_id = f"{pressed.get('action_ts')}:{user_of(body)}:{pressed.get('action_id')}"
    return Envelope(event_id=event_id, clicked=message)


def form_fields(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted modal's inputs by field name."""
    values = (view.get("state") or {}).get("values") or {}
    fields: dict[str, Any] = {}
    for block_id, elements in values.items():
        if not block_id.startswith(INPUT_PREFIX):
            continue
        element = elements.get(INPUT_ACTION) or {}
        if "selected_option" in element:
            fields[block_id[len(INPUT_PREFIX) :]] = (element["selected_option"] or {}).get("value")
        else:
            fields[block_id[len(INPUT_PREFIX) :]] = element.get("value")
    return fields


def submission(body: dict[str, Any], person: Person) -> Action:
    """A modal's submit: the action and data its form's submit button carried, plus fields."""
    view = body.get("view") or {}
    metadata = button_data(view.get("private_metadata"))
    data = metadata.get("d")
    data = dict(data) if isinstance(data, dict) else {}
    data["fields"] = form_fields(view)
    return Action(person, str(metadata.get("a") or ""), data, None, workspace_of(body))


def submission_context(body: dict[str, Any]) -> Envelope:
    view = body.get("view") or {}
    return Envelope(event_id=f"view:{view.get('id')}:{view.get('hash')}")
