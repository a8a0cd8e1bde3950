"""A closed round's chart and exports at unguessable URLs (`/files/{token}/…`).

Teams cards show the chart by URL, and leaders download exports from links; only
aggregates live here, and only once the round has closed.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import yaml
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import RUNTIME, Runtime
from bot.services import charts, export
from bot.services.profiles import spec_from_profile
from bot.services.summary import Summary
from bot.usecases.summaries import round_summary
from catalog.profiles import profile_to_document
from storage import rounds, teams
from storage.models import Round

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    "chart.png": "image/png",
    "summary.csv": "text/csv",
    "summary.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "profile.yaml": "application/yaml",
}


async def _closed_round(session: AsyncSession, token: str, name: str) -> Round:
    """The closed round a link is for. The chart's token (every member has seen it) opens
    the chart only; the rest needs a leader's unexpired export token."""
    if name == "chart.png":
        round_ = await rounds.by_token(session, token)
    else:
        round_ = await rounds.by_export_token(session, token, datetime.now(UTC))
    if round_ is None or round_.status != "closed":
        raise web.HTTPNotFound()
    return round_


def _export_bytes(summary: Summary, language: str, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"summary{suffix}"
        writer = export.write_csv if suffix == ".csv" else export.write_xlsx
        writer(summary, path, language)
        return path.read_bytes()


async def chart_png(runtime: Runtime, round_id: int) -> bytes:
    """The round's chart, rendered once off the event loop and kept in the database.

    A chart that cannot be drawn becomes a notice image (not kept, so a fixed renderer
    draws it next time): the summary's text carries the numbers, and a missing image must
    neither fail the summary's delivery nor answer 500."""
    async with runtime.sessions() as session:
        cached = await rounds.chart(session, round_id)
        if cached is not None:
            return cached
        round_ = await rounds.get(session, round_id)
        assert round_ is not None
        summary = await round_summary(session, round_)
        language, title = round_.language, round_.team.name or round_.team.key
    try:
        png = await asyncio.to_thread(charts.render_chart, summary, language, title)
    except Exception as exc:
        log.warning("chart for round %s could not be drawn: %r", round_id, exc)
        return await asyncio.to_thread(charts.render_notice, language)
    async with runtime.transaction() as session:
        await rounds.keep_chart(session, round_id, png)
    return png


async def chart_for(runtime: Runtime, token: str) -> bytes | None:
    """The chart of the round with this token (None: no such round)."""
    async with runtime.sessions() as session:
        round_ = await rounds.by_token(session, token)
        round_id = round_.id if round_ is not None else None
    return await chart_png(runtime, round_id) if round_id is not None else None


async def _body(runtime: Runtime, token: str, name: str) -> bytes:
    async with runtime.sessions() as session:
        round_ = await _closed_round(session, token, name)
        if name == "profile.yaml":
            profile = await teams.profile(session, round_.profile_id) if round_.profile_id else None
            if profile is None:
                raise web.HTTPNotFound()
            document = profile_to_document(spec_from_profile(profile))
            return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
        if name != "chart.png":
            summary = await round_summary(session, round_)
            suffix = Path(name).suffix
            return await asyncio.to_thread(_export_bytes, summary, round_.language, suffix)
        round_id = round_.id
    return await chart_png(runtime, round_id)


async def serve(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    chart_link = request.match_info.get("kind") == "files"
    if name not in CONTENT_TYPES or chart_link != (name == "chart.png"):
        raise web.HTTPNotFound()
    body = await _body(request.app[RUNTIME], request.match_info["token"], name)
    return web.Response(
        body=body,
        content_type=CONTENT_TYPES[name],
        headers={
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": f'inline; filename="{name}"',
        },
    )


ROUTES = [web.get("/{kind:files|exports}/{token}/{name}", serve)]
