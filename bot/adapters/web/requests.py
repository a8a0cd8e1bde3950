"""What the playground's JSON API accepts, checked before anything is read or stored.

The playground has no login, so a web page elsewhere must not be able to drive it from a
visitor's browser: only JSON is taken (a cross-origin form or `text/plain` post is refused)
and a browser's `Origin`, when it sends one, must be this server's own. Wrong types answer
422 naming the field, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

Shape = dict[str, type]

COMMAND: Shape = {"as": str, "text": str, "where": str, "request_id": str}
ACTION: Shape = {
    "as": str,
    "action": str,
    "data": dict,
    "fields": dict,
    "message": int,
    "request_id": str,
}
LANGUAGE: Shape = {"language": str}
REQUIRED = {"as", "language", "message", "action"}


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser's cross-site request (curl, the tests)
    return origin == f"{request.scheme}://{request.host}"


async def read(request: web.Request, shape: Shape) -> dict[str, Any]:
    """The request's JSON object, checked against `shape` (field -> type)."""
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(text="expected application/json")
    if not _same_origin(request):
        raise web.HTTPForbidden(text="the playground answers its own page only")
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text="expected JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    for name, kind in shape.items():
        value = body.get(name)
        if value is None:
            if name in REQUIRED:
                raise web.HTTPUnprocessableEntity(text=f"{name} is required")
            continue
        if not isinstance(value, kind) or isinstance(value, bool):
            raise web.HTTPUnprocessableEntity(text=f"{name} must be a {kind.__name__}")
    return body
