"""Our parse of a signed Slack body reads what bolt's own parser reads, for every kind of
body Slack sends (bolt now takes our parse instead of making its own)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from slack_bolt.request.internals import parse_body

from bot.adapters.slack.body import parse

FORM = "application/x-www-form-urlencoded"
CLICK = {
    "type": "block_actions",
    "user": {"id": "U1"},
    "message": {"text": 'Kunne bruge fagsystemer – 3 · God? 50% & mere + æøå "citat"'},
    "actions": [{"action_id": "score:3", "value": json.dumps({"r": 1, "s": 3})}],
}
BODIES = [
    (urlencode({"payload": json.dumps(CLICK)}), FORM),
    (urlencode({"payload": json.dumps(CLICK, ensure_ascii=False)}), FORM),
    (urlencode({"command": "/kompetence", "text": "start 7d", "user_id": "U1"}), FORM),
    ("command=%2Fkompetence&text=&user_id=U1&text=ret+M02", FORM),
    ("text=100%25+sikker%3F+%C3%A6%C3%B8%C3%A5&channel_id=C1", FORM),
    ("ssl_check=1&token=x", FORM),
    (
        json.dumps({"type": "event_callback", "event": {"type": "app_home_opened"}}),
        "application/json",
    ),
]


@pytest.mark.parametrize(("text", "content_type"), BODIES)
def test_a_body_reads_as_bolt_reads_it(text: str, content_type: str) -> None:
    assert parse(text, content_type) == parse_body(text, content_type)


def test_a_payload_that_is_not_json_is_refused() -> None:
    with pytest.raises(ValueError):
        parse("payload=%7Bnot+json", FORM)
