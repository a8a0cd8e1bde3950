"""Slack's failures sorted into what the dispatcher can act on: wait, retry, or give up."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.delivery.senders import DeliveryError, Permanent, RateLimited, Transient

# Errors that are Slack's momentary trouble; every other `ok: false` will fail again.
TRANSIENT_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
FAILURES = (SlackApiError, SlackRequestError, ClientError, TimeoutError)


def retry_after(headers: Mapping[str, str] | None) -> float:
    """Seconds to wait, from a 429's Retry-After header (at least one)."""
    lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    try:
        return max(1.0, float(lowered.get("retry-after", "1")))
    except ValueError:
        return 1.0


def error_code(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or f"http_{exc.response.status_code}")


def delivery_error(exc: BaseException) -> DeliveryError:
    """429 -> RateLimited(Retry-After); 5xx, timeouts, dropped connections -> Transient;
    a user who is gone, a bot that cannot be messaged, a channel we are not in -> Permanent."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        code = error_code(exc)
        if response.status_code == 429 or code == "ratelimited":
            return RateLimited(retry_after(response.headers))
        if response.status_code >= 500 or code in TRANSIENT_ERRORS:
            return Transient(code)
        return Permanent(code)
    return Transient(f"{type(exc).__name__}: {exc}")
