"""What a signed Slack request must look like before bolt and our listeners read it.

A valid signature proves who sent a body, not that its fields have the types bolt and
`translate` expect (`container` a string, `actions` empty, `event` null all used to end in
a 500). Each known field is checked against the types Slack documents; fields nobody reads
are left alone, so new ones Slack adds pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NONE = type(None)


@dataclass(frozen=True)
class Each:
    """An object whose keys are free (block ids, action ids) and whose values match `rule`."""

    rule: tuple[Any, ...]


Rule = tuple[Any, ...]
"""Alternatives: a type, a nested mapping (an object with those fields), `[Rule]` (a list
whose items match the rule) or `Each`."""

ELEMENT: Mapping[str, Rule] = {
    "selected_option": (NONE, {"value": (str, NONE)}),
    "value": (str, NONE),
}
VIEW: Mapping[str, Rule] = {
    "id": (str,),
    "type": (str,),
    "hash": (str,),
    "private_metadata": (str,),
    "callback_id": (str,),
    "team_id": (str, NONE),
    "app_installed_team_id": (str, NONE),
    "title": ({"text": (str,)},),
    "state": ({"values": (Each((Each((ELEMENT,)),)),)},),
}
EVENT: Mapping[str, Rule] = {
    "type": (str,),
    "user": (str, dict),
    "tab": (str,),
    "channel": (str, dict),
    "team": (str, NONE),
    "user_team": (str, NONE),
}
BODY: Mapping[str, Rule] = {
    "type": (str,),
    "user": (str, {"id": (str,), "team_id": (str, NONE)}),
    "user_id": (str,),
    "team": (NONE, {"id": (str,), "enterprise_id": (str, NONE)}),
    "team_id": (str, NONE),
    "enterprise": (str, NONE, {"id": (str,)}),
    "enterprise_id": (str, NONE),
    "is_enterprise_install": (bool, str),
    "authorizations": (
        [({"team_id": (str, NONE), "enterprise_id": (str, NONE), "user_id": (str,)},)],
    ),
    "channel": (NONE, {"id": (str,)}),
    "channel_id": (str,),
    "container": (
        {
            "type": (str,),
            "channel_id": (str,),
            "message_ts": (str,),
            "view_id": (str,),
            "is_ephemeral": (bool,),
        },
    ),
    "view": (VIEW,),
    "actions": ([({"action_id": (str,), "value": (str,), "action_ts": (str,)},)],),
    "event": (EVENT,),
    "message": (dict,),
    "previous_message": (dict,),
    "item": (dict,),
    "assistant_thread": (dict,),
    "function_data": (dict,),
    "is_ext_shared_channel": (bool,),
    "thread_ts": (str, NONE),
    "response_url": (str,),
    "response_urls": ([({"response_url": (str,)},)],),
    "trigger_id": (str,),
    "text": (str,),
    "command": (str,),
}


def kind(body: Any) -> str | None:
    """`command`, `action`, `submission`, `event` or `check` (Slack's URL and SSL checks)
    for a body our listeners can take as it is; None for anything else."""
    if not isinstance(body, dict) or not _fits(body, BODY):
        return None
    user = body.get("user")
    person = isinstance(user, dict) and bool(user.get("id"))
    match body.get("type"):
        case "block_actions" if person and body.get("actions"):
            return "action"
        case "view_submission" if person and isinstance(body.get("view"), dict):
            return "submission"
        case "event_callback" if isinstance(body.get("event"), dict):
            return "event"
        case "url_verification":
            return "check"
    if "ssl_check" in body:
        return "check"
    if body.get("command") and body.get("user_id"):
        return "command"
    return None


def _fits(value: Any, rule: Mapping[str, Rule]) -> bool:
    return all(key not in value or _any(value[key], rule[key]) for key in rule)


def _any(value: Any, alternatives: Rule) -> bool:
    return any(_one(value, alternative) for alternative in alternatives)


def _one(value: Any, alternative: Any) -> bool:
    if isinstance(alternative, type):
        return isinstance(value, alternative)
    if isinstance(alternative, list):
        return isinstance(value, list) and all(_any(item, alternative[0]) for item in value)
    if isinstance(alternative, Each):
        return isinstance(value, dict) and all(_any(v, alternative.rule) for v in value.values())
    return isinstance(value, dict) and _fits(value, alternative)
