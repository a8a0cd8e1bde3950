"""Slack's request signature, checked on the raw bytes before anything reads them.

Bolt parses a body before it verifies it, so a forged body that does not parse used to
fail inside bolt (500) and a forged click was logged in full. This check needs nothing but
the two headers and the bytes, and a malformed header is just an invalid signature.
"""

from __future__ import annotations

import hashlib
import hmac
import re

MAX_AGE = 5 * 60
"""Slack's replay window: a signed request older (or newer) than this is refused."""
TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def valid(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> bool:
    """True only for a well-formed, fresh signature made with `secret` over `body`."""
    if not secret or timestamp is None or signature is None:
        return False
    if not TIMESTAMP.fullmatch(timestamp) or not SIGNATURE.fullmatch(signature):
        return False  # ASCII digits only: int() would also take "١٢" or " 12 "
    if abs(now - int(timestamp)) > MAX_AGE:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
