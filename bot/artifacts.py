"""Charts and exports at unguessable URLs: a closed round's chart and a closed campaign's
overview chart at `/files/{token}/chart.png`, a round's exports under `/exports/{token}/…`.

Teams cards and the playground show a chart by URL, Slack gets it uploaded, and leaders
download exports from links; only aggregates live here, and only once closed.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import yaml
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogs import units as views
from bot.runtime import RUNTIME, Runtime
from bot.services import charts, export, overview_chart
from bot.services.profiles import spec_from_profile
from bot.services.summary import Summary
from bot.usecases import campaigns
from bot.usecases.summaries import round_summary
from catalog.profiles import profile_to_document
from storage import rounds, teams, units
from storage.models import Round

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    "chart.png": "image/png",
    "summary.csv": "text/csv",
    "summary.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "profile.yaml": "application/yaml",
}


async def _export_round(session: AsyncSession, token: str) -> Round:
    """The closed round an export link is for: it needs a leader's unexpired export token
    (the chart's token, which every member has seen, opens the chart only)."""
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


async def _drawn(draw: Callable[[], bytes], language: str, what: str) -> tuple[bytes, bool]:
    """A chart drawn off the event loop, and whether it was. A chart that cannot be drawn
    becomes a notice image: the text beside it carries the numbers, and a missing image
    must neither fail a delivery nor answer 500."""
    try:
        return await asyncio.to_thread(draw), True
    except Exception as exc:
        log.warning("chart for %s could not be drawn: %r", what, exc)
        return await asyncio.to_thread(charts.render_notice, language), False


async def chart_png(runtime: Runtime, round_id: int) -> bytes:
    """The round's chart, rendered once and kept in the database (a notice is not kept, so
    a fixed renderer draws it next time)."""
    async with runtime.sessions() as session:
        cached = await rounds.chart(session, round_id)
        if cached is not None:
            return cached
        round_ = await rounds.get(session, round_id)
        assert round_ is not None
        summary = await round_summary(session, round_)
        language, title = round_.language, round_.team.name or round_.team.key
    png, drawn = await _drawn(
        partial(charts.render_chart, summary, language, title), language, f"round {round_id}"
    )
    if drawn:
        async with runtime.transaction() as session:
            await rounds.keep_chart(session, round_id, png)
    return png


async def _overview_png(runtime: Runtime, token: str) -> bytes | None:
    """A closed campaign's overview chart, drawn from the same overview the owners read
    (None: no such closed campaign). Owners are few, so it is drawn when asked for."""
    async with runtime.sessions() as session:
        campaign = await units.campaign_by_token(session, token)
        if campaign is None or campaign.closed_at is None:
            return None
        unit = await units.by_id(session, campaign.unit_id)
        assert unit is not None
        found = await campaigns.overview(session, campaign)
        language, title = unit.language, views.chart_title(unit, campaign, unit.language)
    draw = partial(overview_chart.render, found, language, title)
    png, _ = await _drawn(draw, language, f"campaign {campaign.id}")
    return png


async def chart_for(runtime: Runtime, token: str) -> bytes | None:
    """The chart behind a chart token: a closed round's summary chart, or a closed
    campaign's overview chart (None: no such closed round or campaign)."""
    async with runtime.sessions() as session:
        round_ = await rounds.by_token(session, token)
        round_id = round_.id if round_ is not None and round_.status == "closed" else None
    if round_id is not None:
        return await chart_png(runtime, round_id)
    return await _overview_png(runtime, token) if round_ is None else None


async def _body(runtime: Runtime, token: str, name: str) -> bytes:
    if name == "chart.png":
        png = await chart_for(runtime, token)
        if png is None:
            raise web.HTTPNotFound()
        return png
    async with runtime.sessions() as session:
        round_ = await _export_round(session, token)
        if name == "profile.yaml":
            profile = await teams.profile(session, round_.profile_id) if round_.profile_id else None
            if profile is None:
                raise web.HTTPNotFound()
            document = profile_to_document(spec_from_profile(profile))
            return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
        summary = await round_summary(session, round_)
    return await asyncio.to_thread(_export_bytes, summary, round_.language, Path(name).suffix)


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
