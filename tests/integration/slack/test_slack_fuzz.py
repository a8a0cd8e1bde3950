"""Fuzzing /slack/events: random and mutated bodies, signed and unsigned, never get a 5xx,
and nothing unsigned is ever stored."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.models import OutboxMessage, ProcessedEvent, Round, Score, Team
from tests.integration.slack.slack_harness import signature

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = ("type", "user", "actions", "container", "view", "team", "response_url", "event")


def _mutated_action(junk: Any, key: str, drop: bool) -> dict[str, Any]:
    """A plausible block_actions payload with one field replaced by junk, or removed."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0KOMP", "domain": "kompetence"},
        "user": {"id": "UANNA", "team_id": "T0KOMP"},
        "api_app_id": "AKOMP",
        "actions": [
            {"action_id": "score:0", "value": json.dumps({"r": 1, "c": "M02", "s": 3}),
             "action_ts": f"{time.time():.6f}"}
        ],
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "DANNA"},
    }  # fmt: skip
    if drop:
        payload.pop(key, None)
    else:
        payload[key] = junk
    return payload


BODIES = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda j: urlencode({"payload": json.dumps(j)}).encode(), JSON),
    st.builds(
        lambda j, k, d: urlencode({"payload": json.dumps(_mutated_action(j, k, d))}).encode(),
        JSON,
        st.sampled_from(KEYS),
        st.booleans(),
    ),
    st.builds(lambda j: json.dumps({"type": "event_callback", "event": j}).encode(), JSON),
)


async def _stored(slack: Any) -> tuple[int, ...]:
    return tuple(
        [await slack.count(model) for model in (Team, Round, Score, OutboxMessage, ProcessedEvent)]
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=BODIES, signed=st.booleans(), form=st.booleans())
async def test_no_body_ever_gets_a_5xx(slack: Any, body: bytes, signed: bool, form: bool) -> None:
    before = await _stored(slack)
    headers = signature(body, int(time.time())) if signed else {}
    content_type = "application/x-www-form-urlencoded" if form else "application/json"
    response = await slack.client.post(
        "/slack/events", data=body, headers={"Content-Type": content_type, **headers}
    )
    assert response.status < 500, (response.status, body[:200])
    if not signed:
        assert response.status == 401
        assert await _stored(slack) == before
