"""Teams activities into neutral events: who acted, where, and what they asked for.

Only this module reads the shape of an inbound activity; everything after it works with
`Origin`, `Command` and `Action`. Activities arrive as botbuilder objects, whose fields are
untyped, so every read here is defensive: a malformed activity becomes an empty command or
an unknown action, which the dialogs answer politely, never an exception.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from typing import Any

from bot.domain import Action, Command, Person, plausible

PLATFORM = "teams"
THREAD = ";messageid="
ACTION_KEY = "kb"
"""The key under which a card action carries our action name and data (see cards.py)."""


@dataclass(frozen=True)
class Account:
    id: str
    name: str = ""
    given_name: str = ""


@dataclass(frozen=True)
class Origin:
    """Where an activity came from, as far as answering and remembering need to know."""

    activity_id: str
    person: Person
    bot: Account
    service_url: str
    conversation: str
    kind: str
    tenant: str | None = None
    team_key: str | None = None
    team_id: str | None = None
    team_name: str | None = None
    channel_type: str | None = None
    reply_to: str | None = None

    @property
    def event_id(self) -> str:
        """A dedupe key: Teams message ids are unique only within their conversation."""
        digest = hashlib.sha256(self.conversation.encode()).hexdigest()[:16]
        return f"{digest}:{self.activity_id}"

    @property
    def clicked(self) -> dict[str, Any] | None:
        """The message a card action was pressed on, in the sender's reference format."""
        if not self.reply_to:
            return None
        return {"conversation": self.conversation, "activity": self.reply_to}

    @property
    def personal(self) -> bool:
        """A personal chat holds only this person and the bot."""
        return self.kind == "personal"


def team_key(conversation_id: str) -> str:
    """A channel's key: its conversation id without a thread's `;messageid=…` suffix."""
    return conversation_id.split(THREAD, 1)[0]


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _language(locale: object) -> str | None:
    code = str(locale or "").lower()
    for language in ("da", "en"):
        if code.startswith(language):
            return language
    return None


def _account(account: Any) -> Account:
    return Account(str(getattr(account, "id", None) or ""), str(getattr(account, "name", "") or ""))


def _tenant(activity: Any, channel_data: dict[str, Any]) -> str | None:
    conversation = activity.conversation
    extra = _dict(getattr(conversation, "additional_properties", None))
    return (
        _text(_dict(channel_data.get("tenant")).get("id"))
        or _text(getattr(conversation, "tenant_id", None))
        or _text(extra.get("tenantId"))
    )


def _team_name(team: dict[str, Any], channel: dict[str, Any], key: str) -> str | None:
    name = _text(team.get("name"))
    channel_name = _text(channel.get("name"))
    if name and channel_name and key != team.get("id"):
        return f"{name} · {channel_name}"
    return name or channel_name


def origin(activity: Any) -> Origin:
    """The facts of an inbound activity that every handler needs."""
    channel_data = _dict(activity.channel_data)
    conversation_id = str(getattr(activity.conversation, "id", None) or "")
    kind = str(getattr(activity.conversation, "conversation_type", None) or "personal")
    sender = _account(activity.from_property)
    person = Person(PLATFORM, sender.id, sender.name, language=_language(activity.locale))
    team, channel = _dict(channel_data.get("team")), _dict(channel_data.get("channel"))
    key = team_key(conversation_id) if kind == "channel" else None
    return Origin(
        activity_id=str(activity.id or ""),
        person=person,
        bot=_account(activity.recipient),
        service_url=str(activity.service_url or ""),
        conversation=conversation_id,
        kind=kind,
        tenant=_tenant(activity, channel_data),
        team_key=key,
        team_id=_text(team.get("id")),
        team_name=_team_name(team, channel, key) if key else None,
        channel_type=_text(channel.get("type")),
        reply_to=_text(activity.reply_to_id),
    )


def channel_event(activity: Any) -> str | None:
    """Teams' `eventType` of a conversation update (teamDeleted, channelDeleted, …)."""
    return _text(_dict(activity.channel_data).get("eventType"))


def _includes_bot(accounts: Any, activity: Any) -> bool:
    bot_id = getattr(activity.recipient, "id", None)
    return any(getattr(account, "id", None) == bot_id for account in accounts or [])


def bot_joined(activity: Any) -> bool:
    return _includes_bot(activity.members_added, activity)


def bot_left(activity: Any) -> bool:
    return _includes_bot(activity.members_removed, activity)


def command_text(activity: Any) -> str:
    """The typed text with the bot's @mentions removed and Teams' HTML entities undone."""
    text = str(activity.text or "")
    bot_id = getattr(activity.recipient, "id", None)
    for entity in activity.entities or []:
        extra = _dict(getattr(entity, "additional_properties", None))
        mentioned = _dict(extra.get("mentioned"))
        if getattr(entity, "type", None) == "mention" and mentioned.get("id") == bot_id:
            text = text.replace(str(extra.get("text") or ""), " ")
    return " ".join(html.unescape(text).split())


def command(activity: Any, where: Origin) -> Command:
    return Command(where.person, command_text(activity), where.team_key, where.tenant)


def _card_action(payload: object) -> tuple[str, dict[str, Any]] | None:
    """The action a card button carried; the card's input values go under "fields"."""
    values = _dict(payload)
    marker = _dict(values.get(ACTION_KEY))
    name = marker.get("action")
    if not isinstance(name, str) or not plausible(marker.get("data")):
        return None
    data = dict(_dict(marker.get("data")))
    fields = {k: v for k, v in values.items() if k not in (ACTION_KEY, "msteams")}
    if fields:
        data["fields"] = fields
    return name, data


def execute(activity: Any, where: Origin) -> Action:
    """An `Action.Execute` invoke; anything unreadable becomes an unknown action."""
    action = _dict(_dict(activity.value).get("action"))
    name, data = _card_action(action.get("data")) or (str(action.get("verb") or ""), {})
    return Action(where.person, name, data, where.team_key, where.tenant)


def submit(activity: Any, where: Origin) -> Action | None:
    """An `Action.Submit` (the fallback): a message whose value carries our action."""
    found = _card_action(activity.value)
    if found is None:
        return None
    return Action(where.person, found[0], found[1], where.team_key, where.tenant)
