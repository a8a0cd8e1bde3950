"""A signed Slack request's body, parsed once, as bolt parses it.

Slack posts interactions as a form whose `payload` field is JSON; a click carries the whole
clicked message, about 4 KB percent-encoded. The standard library decodes that in Python,
character by character, and took longer than the rest of bolt's dispatch; yarl (aiohttp's
URL library) decodes the same form in C.
"""

from __future__ import annotations

import json
from typing import Any

from yarl import URL


def parse(text: str, content_type: str | None) -> Any:
    """JSON bodies as JSON; a form's `payload` field as JSON; any other form as a dict of
    its fields (the last of a repeated field wins, blank fields kept). ValueError when JSON
    does not parse."""
    if content_type == "application/json":
        return json.loads(text)
    fields = dict(URL("?" + text, encoded=True).query.items())
    payload = fields.get("payload")
    return json.loads(payload) if payload is not None else fields
