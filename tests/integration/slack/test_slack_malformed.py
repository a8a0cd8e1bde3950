"""Malformed requests at `/slack/events`: the signature is checked on the raw body first
(401), a signed body that does not parse is a 400, and a signed payload of the wrong shape
gets HTTP 200 and a polite word; never a 5xx, never an ERROR in the log, nothing stored."""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest

from storage.models import Base, Score

FORM = "application/x-www-form-urlencoded"


async def stored(slack: Any) -> dict[str, int]:
    return {table.name: await slack.count(table) for table in Base.metadata.sorted_tables}


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records at ERROR or above, as the test goes (client input must never cause one)."""
    caplog.set_level(logging.DEBUG)
    return caplog.records


def no_errors(records: list[logging.LogRecord]) -> None:
    # asyncio's own logger reports garbage-collected futures of earlier tests' database
    # connections; what this test guards is the server's handling of the request.
    ours = [r for r in records if r.levelno >= logging.ERROR and r.name != "asyncio"]
    assert not [r.getMessage() for r in ours]


BAD_HEADERS = [
    {"X-Slack-Request-Timestamp": "1x", "X-Slack-Signature": "v0=" + "0" * 64},
    {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": "v0=" + "0" * 64},
    {"X-Slack-Request-Timestamp": "١٧٠٠٠٠٠٠٠٠", "X-Slack-Signature": "v0=" + "0" * 64},
    {"X-Slack-Request-Timestamp": "99999999999999999999999", "X-Slack-Signature": "v0=0"},
    {"X-Slack-Request-Timestamp": "NOW", "X-Slack-Signature": "nonsense"},
    {"X-Slack-Signature": "v0=" + "0" * 64},
    {"X-Slack-Request-Timestamp": "NOW"},
    {"X-Slack-Request-Timestamp": "NOW", "X-Slack-Signature": "v0=ééé"},
    {"X-Slack-Request-Timestamp": "NOW", "X-Slack-Signature": "v1=" + "0" * 64},
]
UNPARSABLE = [
    (b"payload=%7Bnot", FORM),
    (b"{not json", "application/json"),
    (b"[1]", "application/json"),
    (b"\xff\xfe\x00payload", FORM),
    (b'payload={"type":"block_actions","user":{"id":"UANNA"},"actions":[]}', FORM),
]


@pytest.mark.parametrize(
    ("headers", "body", "content_type"),
    [(headers, *UNPARSABLE[0]) for headers in BAD_HEADERS]
    + [(BAD_HEADERS[0], *unparsable) for unparsable in UNPARSABLE[1:]],
)
async def test_unsigned_or_badly_signed_requests_get_401_before_parsing(
    slack: Any,
    errors: list[logging.LogRecord],
    headers: dict[str, str],
    body: bytes,
    content_type: str,
) -> None:
    await slack.import_profile()
    before = await stored(slack)
    now = str(int(time.time()))
    sent = {key: value.replace("NOW", now) for key, value in headers.items()}
    response = await slack.post(body, content_type, headers=sent)
    assert response.status == 401
    no_errors(errors)
    assert await stored(slack) == before
    assert slack.fake.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=%7Bnot", FORM),
        (b"payload=%5B1%5D", FORM),
        (b"payload=1", FORM),
        (b"{not json", "application/json"),
        (b"[1]", "application/json"),
        (b"null", "application/json"),
        (b"\xff\xfe\x00payload", FORM),
        (b"payload=%FF%FE", FORM),
        (b"", FORM),
    ],
)
async def test_a_signed_body_that_does_not_parse_is_a_400(
    slack: Any, errors: list[logging.LogRecord], body: bytes, content_type: str
) -> None:
    await slack.import_profile()
    before = await stored(slack)
    response = await slack.post(body, content_type)
    assert response.status == 400
    no_errors(errors)
    assert await stored(slack) == before


def signed_click(slack: Any, **changes: Any) -> bytes:
    """A click as Slack would send it on Anna's prompt, with some parts changed."""
    value = json.dumps({"r": 1, "c": "M02", "u": "UANNA", "s": 3})
    body = slack.action_body("UANNA", "score:3", value, message=("DANNA", "1.0"))
    payload = json.loads(parse_qs(body.decode())["payload"][0])
    for key, value in changes.items():
        if value is DROP:
            payload.pop(key, None)
        else:
            payload[key] = value
    return urlencode({"payload": json.dumps(payload)}).encode()


DROP = object()
HUGE = 2**70


@pytest.mark.parametrize(
    "changes",
    [
        {"actions": []},
        {"actions": "score:3"},
        {"actions": [1]},
        {"actions": [None]},
        {"actions": [{"action_id": 5, "value": []}]},
        {"actions": [{"action_id": "score:3", "value": json.dumps({"r": HUGE, "s": 3})}]},
        {"actions": [{"action_id": "score:3", "value": json.dumps({"r": 1, "s": HUGE})}]},
        {"actions": [{"action_id": "score:3", "value": '{"r": 1e999, "s": 3}'}]},
        {"container": "message"},
        {"container": {"type": "message", "channel_id": ["D"], "message_ts": {}}},
        {"channel": "DANNA"},
        {"team": "T1"},
        {"view": "home"},
        {"view": {"type": "home", "id": 7}},
        {"user": "UANNA"},
        {"user": {"id": None}},
        {"type": None},
        {"type": "view_submission", "view": "x"},
        {"type": "view_submission", "view": {"state": {"values": {"f:x": "y"}}}},
        {"type": "view_submission", "view": {"state": {"values": []}}},
        {"type": "view_submission", "view": {"private_metadata": 5}},
    ],
)
async def test_a_signed_payload_of_the_wrong_shape_gets_200_and_a_polite_word(
    slack: Any, errors: list[logging.LogRecord], changes: dict[str, Any]
) -> None:
    await slack.import_profile()
    await slack.command(slack.LEADER, "start 3d")
    await slack.drain()
    before = await stored(slack)
    response = await slack.post(signed_click(slack, **changes), FORM)
    assert response.status == 200, await response.text()
    await slack.settle()
    no_errors(errors)
    assert await stored(slack) == before
    assert await slack.count(Score) == 0


@pytest.mark.parametrize(
    "event",
    [None, "message", [], {"type": None}, {"type": "app_home_opened", "user": ["U"], "tab": 1}],
)
async def test_a_signed_event_of_the_wrong_shape_gets_200(
    slack: Any, errors: list[logging.LogRecord], event: Any
) -> None:
    response = await slack.event(event)
    assert response.status == 200
    await slack.settle()
    no_errors(errors)


async def test_a_malformed_click_is_told_politely(slack: Any) -> None:
    await slack.import_profile()
    response = await slack.post(signed_click(slack, actions=[]), FORM)
    assert response.status == 200
    await slack.settle()
    [answer] = slack.fake.called("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert "Det forstod jeg ikke" in answer.args["text"]


@pytest.mark.parametrize(
    "fields",
    [
        {"command": "/kompetence", "text": "status"},  # no user
        {"command": "/kompetence", "user_id": "", "text": "status"},
    ],
)
async def test_a_signed_command_of_the_wrong_shape_gets_a_polite_answer(
    slack: Any, errors: list[logging.LogRecord], fields: dict[str, str]
) -> None:
    response = await slack.post(urlencode(fields).encode(), FORM)
    assert response.status == 200
    answer = json.loads(await response.text())
    assert answer["response_type"] == "ephemeral" and "Det forstod jeg ikke" in answer["text"]
    no_errors(errors)


async def test_a_click_that_fails_verification_is_not_logged_with_its_payload(
    slack: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = signed_click(slack)
    response = await slack.post(body, FORM, headers=slack.sign(body, int(time.time()), "wrong"))
    assert response.status == 401
    logged = caplog.text
    for secret in ("UANNA", "response_url", "hooks", '"s": 3', "%22s%22"):
        assert secret not in logged
