"""`kompetencebot unit …`: import, list, start a campaign, and report a unit's overview."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli import NotReady, UsageError
from bot.config import Settings
from catalog.profiles import ProfileError


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


async def cmd_unit_import(args: argparse.Namespace, settings: Settings) -> None:
    from bot.runtime import open_runtime
    from bot.usecases.campaigns import import_unit
    from catalog.profiles import read_source
    from catalog.units import parse_unit

    try:
        spec = parse_unit(read_source(args.file))
        async with open_runtime(settings) as runtime, runtime.transaction() as session:
            await import_unit(session, spec, settings)
    except ProfileError as exc:
        raise UsageError("unit not imported: " + "; ".join(exc.problems)) from None
    print(
        f"imported unit {spec.key} ({spec.name}): {len(spec.teams)} teams, "
        f"{len(spec.owners)} owners, {len(spec.profile.competences)} competences"
    )


async def cmd_unit_list(args: argparse.Namespace, settings: Settings) -> None:
    from bot.runtime import open_runtime
    from bot.usecases.campaigns import fields
    from storage import units

    async with open_runtime(settings) as runtime, runtime.sessions() as session:
        found = await units.all_units(session)
        latest = await units.latest_campaigns(session, [u.id for u in found])
        rows: list[dict[str, Any]] = [
            {
                "key": unit.key,
                "name": unit.name,
                "teams": [
                    {"platform": t.platform, "team": t.key}
                    for t in await units.teams(session, unit.id)
                ],
                "owners": [{"platform": o.platform, "user": o.user_id} for o in unit.owners],
                "latest_campaign": (
                    fields(unit, latest[unit.id])[1] if unit.id in latest else None
                ),
            }
            for unit in found
        ]
    if args.json:
        _print_json(rows)
        return
    if not rows:
        print("no units")
    for row in rows:
        campaign = row["latest_campaign"]
        last = f"campaign {campaign['id']}" if campaign else "no campaign yet"
        print(f"{row['key']:<24} {row['name']:<32} {len(row['teams'])} teams  {last}")


async def cmd_unit_start(args: argparse.Namespace, settings: Settings) -> None:
    from bot.adapters.directories import directories
    from bot.dialogs.deadlines import DeadlineError, parse_deadline
    from bot.runtime import open_runtime
    from bot.usecases import campaigns
    from storage import units

    now = datetime.now(UTC)
    try:
        deadline = parse_deadline(args.deadline, now, ZoneInfo(settings.timezone))
    except DeadlineError as exc:
        from bot.i18n import t

        raise UsageError(t(exc.key, "en")) from None
    async with open_runtime(settings) as runtime:
        async with runtime.sessions() as session:
            unit = await units.find(session, args.key)
            if unit is None:
                raise UsageError(f"unit {args.key} does not exist (see `kompetencebot unit list`)")
            member_teams = await units.teams(session, unit.id)
            busy = await units.open_rounds(session, [t.id for t in member_teams])
        async with directories(runtime) as found:
            members = {
                team.id: await found[team.platform].members(team.key, team.workspace)
                for team in member_teams
                if team.id not in busy and team.platform in found
            }
        async with runtime.transaction() as session:
            unit = await units.find(session, args.key)
            assert unit is not None
            result = await campaigns.start(
                session,
                unit,
                members,
                deadline=deadline,
                opened_by="cli",
                now=now,
                min_respondents=settings.min_respondents,
            )
    for team, reason in result.skipped:
        print(f"skipped {team.platform} team {team.key}: {SKIPPED[reason]}")
    if result.campaign is None:
        raise NotReady(f"no campaign started in unit {args.key}: no team could start a round")
    print(
        f"campaign {result.campaign.id} of unit {args.key}: rounds opened in "
        f"{len(result.started)} teams, deadline {deadline.isoformat()}"
    )


SKIPPED = {
    "open": "it has an open round already",
    "members": "too few members in its channel",
    "platform": "its platform is not configured here",
}


async def _overview(args: argparse.Namespace, settings: Settings) -> tuple[Any, ...]:
    from bot.runtime import open_runtime
    from bot.usecases import campaigns
    from storage import units

    async with open_runtime(settings) as runtime, runtime.sessions() as session:
        unit = await units.find(session, args.key)
        if unit is None:
            raise UsageError(f"unit {args.key} does not exist (see `kompetencebot unit list`)")
        campaign = (
            await units.campaign(session, unit.id, args.campaign)
            if args.campaign is not None
            else await units.latest_campaign(session, unit.id)
        )
        if campaign is None:
            which = f"campaign {args.campaign}" if args.campaign is not None else "any campaign"
            raise NotReady(f"unit {args.key} has not had {which}")
        if campaign.closed_at is None:
            left = sum(r.status == "open" for r in await units.rounds(session, campaign.id))
            raise NotReady(
                f"campaign {campaign.id} of unit {args.key} is still running: {left} of its "
                "rounds are open; the overview exists once all have closed"
            )
        found = await campaigns.overview(session, campaign)
        return unit, campaign, found


def cmd_unit_report(args: argparse.Namespace, settings: Settings) -> None:
    import asyncio

    from bot.dialogs.results import card_text
    from bot.dialogs.units import chart_title, overview_card
    from bot.services import overview_chart, overview_export
    from bot.services.overview import overview_to_dict
    from bot.usecases.campaigns import fields

    unit, campaign, found = asyncio.run(_overview(args, settings))
    language = unit.language
    if args.csv:
        overview_export.write_csv(found, Path(args.csv), language)
    if args.xlsx:
        overview_export.write_xlsx(found, Path(args.xlsx), language)
    if args.png:
        title = chart_title(unit, campaign, language)
        Path(args.png).write_bytes(overview_chart.render(found, language, title))
    if args.json:
        _print_json(overview_to_dict(found, *fields(unit, campaign)))
    else:
        zone = ZoneInfo(settings.timezone)
        card = overview_card(unit, campaign, found, language, owner=False, zone=zone)
        print(card_text(card))


def add_parsers(sub: Any) -> None:
    """The `unit` command group, added to the main parser."""
    unit = sub.add_parser("unit", help="organisation units and their campaigns").add_subparsers(
        dest="unit", required=True
    )
    imp = unit.add_parser("import", help="create or replace a unit from a YAML file")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_unit_import)
    listing = unit.add_parser("list", help="list units")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_unit_list)
    start = unit.add_parser("start", help="a campaign: one round in every member team")
    start.add_argument("key")
    start.add_argument("--deadline", help="a date (2026-12-10) or a duration (3d, 12h)")
    start.set_defaults(func=cmd_unit_start)
    report = unit.add_parser("report", help="the unit overview of a closed campaign")
    report.add_argument("key")
    report.add_argument("--campaign", type=int, metavar="N")
    report.add_argument("--json", action="store_true")
    report.add_argument("--csv", metavar="FILE")
    report.add_argument("--xlsx", metavar="FILE")
    report.add_argument("--png", metavar="FILE")
    report.set_defaults(func=cmd_unit_report)
