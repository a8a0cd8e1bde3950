"""The `kompetencebot` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import yaml

from bot.config import ConfigError, Settings, load_settings
from catalog.loader import load_catalog
from catalog.profiles import ProfileError, parse_profile, profile_to_document, read_source

if TYPE_CHECKING:
    from bot.services.summary import Summary

PLATFORMS = ("slack", "teams", "web")


class UsageError(Exception):
    """A mistake in the command's input: printed as one line, exit status 2."""


class NotReady(Exception):
    """What was asked for does not exist yet (a campaign still running): exit status 1."""


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# --- catalog ---------------------------------------------------------------------------------


def cmd_catalog_list(args: argparse.Namespace, _settings: Settings) -> None:
    catalog = load_catalog()
    lang = args.lang
    rows = [
        {
            "id": c.id,
            "edition": c.edition,
            "dimension": c.dimension,
            "dimension_name": catalog.dimensions[c.dimension].name(lang),
            "area": c.area(lang),
            "group": c.group(lang) if c.group else "",
            "name": c.name(lang),
            "name_supplied": c.name_supplied,
            "description": c.description(lang),
            "examples": c.examples(lang) if c.examples else "",
        }
        for c in catalog.of_edition(args.edition)
    ]
    if args.json:
        _print_json(rows)
        return
    heading: tuple[str, ...] = ()
    for c in catalog.of_edition(args.edition):
        # The source's headings, each printed where it changes: dimension, area, group.
        dimension = catalog.dimensions[c.dimension]
        path = (
            f"{dimension.id} {dimension.name(lang)}",
            c.area(lang) if c.area != dimension.name else "",
            c.group(lang) if c.group else "",
        )
        for depth, title in enumerate(path):
            if title and path[: depth + 1] != heading[: depth + 1]:
                print(("\n" if depth == 0 else "") + "  " * depth + title)
        heading = path
        print("  " * sum(1 for title in path if title) + f"{c.id}  {c.name(lang)}")


def cmd_catalog_show(args: argparse.Namespace, _settings: Settings) -> None:
    from bot.dialogs.guidance import competence_text

    competence_id = args.id.upper()
    if competence_id not in load_catalog().competences:
        raise UsageError(f"{args.id}: not in the catalog (see `kompetencebot catalog list`)")
    print(competence_text(competence_id, args.lang))


# --- profiles --------------------------------------------------------------------------------


async def cmd_profile_import(args: argparse.Namespace, settings: Settings) -> None:
    from bot.runtime import open_runtime
    from bot.services.profiles import save_profile
    from storage import teams

    try:
        spec = parse_profile(read_source(args.file), default_target=args.default_target)
    except ProfileError as exc:
        raise UsageError("profile not imported: " + "; ".join(exc.problems)) from None
    async with open_runtime(settings) as runtime, runtime.transaction() as session:
        team = await teams.get_or_create(
            session, args.platform, args.team, language=spec.language, timezone=settings.timezone
        )
        teams.add_leaders(team, args.leader or [])
        profile = await save_profile(session, team, spec, created_by="cli")
    print(
        f"imported {len(spec.competences)} competences as version {profile.version} "
        f"of {args.platform} team {args.team}"
    )


async def cmd_profile_export(args: argparse.Namespace, settings: Settings) -> None:
    from bot.runtime import open_runtime
    from bot.services.profiles import spec_from_profile
    from storage import teams

    async with open_runtime(settings) as runtime, runtime.sessions() as session:
        team = await teams.find(session, args.platform, args.team)
        profile = await teams.latest_profile(session, team.id) if team else None
        if profile is None:
            raise UsageError(f"{args.platform} team {args.team} has no profile yet")
        document = profile_to_document(spec_from_profile(profile))
    _write_text(args.out, yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100))


def _write_text(path: str | None, text: str) -> None:
    """Write to a file, or standard output when no file is named."""
    if path:
        Path(path).write_text(text, "utf-8")
    else:
        sys.stdout.write(text)


# --- rounds and reports ----------------------------------------------------------------------


async def cmd_rounds_list(args: argparse.Namespace, settings: Settings) -> None:
    from bot.runtime import open_runtime
    from bot.usecases.summaries import counts, round_fields
    from storage import rounds

    async with open_runtime(settings) as runtime, runtime.sessions() as session:
        found = await rounds.all_rounds(session)
        participation = await counts(session, [r.id for r in found])
        rows = [round_fields(r, participation[r.id]) for r in found]
    if args.json:
        _print_json(rows)
        return
    if not rows:
        print("no rounds")
        return
    print(f"{'ROUND':>5}  {'CHANNEL':<8} {'TEAM':<24} {'STATUS':<7} {'DEADLINE':<16} COMPLETED")
    for round_, row in zip(found, rows, strict=True):
        local = round_.deadline.astimezone(ZoneInfo(round_.team.timezone))
        print(
            f"{row['id']:>5}  {row['platform']:<8} {row['team']:<24} {row['status']:<7}"
            f" {local:%Y-%m-%d %H:%M} {row['completed']}/{row['invited']}"
        )


async def _load_report(
    round_id: int, settings: Settings
) -> tuple[Summary, dict[str, Any], str, str]:
    from bot.runtime import open_runtime
    from bot.usecases.summaries import counts, round_fields, round_summary
    from storage import rounds

    async with open_runtime(settings) as runtime, runtime.sessions() as session:
        round_ = await rounds.get(session, round_id)
        if round_ is None:
            raise UsageError(f"round {round_id} does not exist (see `kompetencebot rounds list`)")
        summary = await round_summary(session, round_)
        info = round_fields(round_, (await counts(session, [round_id]))[round_id])
        return summary, info, round_.language, round_.team.name or round_.team.key


def _wrote(path: str) -> None:
    """Where a file went, on standard error, so `--json` output stays JSON only."""
    print(f"wrote {Path(path).resolve()}", file=sys.stderr)


def cmd_report(args: argparse.Namespace, settings: Settings) -> None:
    from bot.dialogs.results import card_text, summary_card
    from bot.services import charts, export
    from bot.services.summary import summary_to_dict

    summary, info, language, title = asyncio.run(_load_report(args.round_id, settings))
    if args.csv:
        export.write_csv(summary, Path(args.csv), language, args.csv_dialect)
        _wrote(args.csv)
    if args.xlsx:
        export.write_xlsx(summary, Path(args.xlsx), language)
        _wrote(args.xlsx)
    if args.png:
        Path(args.png).write_bytes(charts.render_chart(summary, language, title))
        _wrote(args.png)
    if args.json:
        _print_json({"round": info, **summary_to_dict(summary)})
    else:
        print(card_text(summary_card(summary, language, title)))


# --- server and database ---------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    from aiohttp import web

    from bot.app import server_app

    if settings.public_url is None:
        settings = settings.model_copy(update={"public_url": f"http://{args.host}:{args.port}"})
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # APScheduler logs every run of the 10-second sync at INFO; keep its warnings only.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    web.run_app(server_app(settings), host=args.host, port=args.port, print=None)


async def cmd_db_upgrade(_args: argparse.Namespace, settings: Settings) -> None:
    from bot.runtime import open_runtime

    async with open_runtime(settings):
        pass
    print("database is at the current schema")


# --- Microsoft Teams -------------------------------------------------------------------------


def cmd_teams_package(args: argparse.Namespace, settings: Settings) -> None:
    from bot.adapters.teams.package import PackageError, write

    try:
        out = write(args.app_id, settings.public_url, Path(args.out))
    except PackageError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {out}; in Teams: Apps → Manage your apps → Upload an app")


# --- parser ----------------------------------------------------------------------------------

Command = Callable[[argparse.Namespace, Settings], Awaitable[None] | None]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kompetencebot",
        description="Kompetencebot: KL's digital-competence self-assessment in Slack, Teams "
        "and a web playground.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP server (migrates the database first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3978)
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="migrate the database to the current schema").set_defaults(
        func=cmd_db_upgrade
    )

    catalog = sub.add_parser("catalog", help="the KL catalog").add_subparsers(
        dest="catalog", required=True
    )
    listing = catalog.add_parser("list", help="list competences")
    listing.add_argument("--edition", choices=("employee", "leader"))
    listing.add_argument("--lang", choices=("da", "en"), default="da")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_catalog_list)
    show = catalog.add_parser("show", help="one competence in full")
    show.add_argument("id")
    show.add_argument("--lang", choices=("da", "en"), default="da")
    show.set_defaults(func=cmd_catalog_show)

    profile = sub.add_parser("profile", help="target profiles").add_subparsers(
        dest="profile", required=True
    )
    imp = profile.add_parser("import", help="import a target profile (YAML file or template)")
    imp.add_argument("file", help="a YAML file, or a template: materialegaard, medarbejder, leder")
    imp.add_argument("--platform", choices=PLATFORMS, required=True)
    imp.add_argument("--team", required=True, help="the platform's channel id")
    imp.add_argument("--leader", action="append", help="a leader's platform user id (repeatable)")
    imp.add_argument("--default-target", type=int, choices=range(6), metavar="N")
    imp.set_defaults(func=cmd_profile_import)
    exp = profile.add_parser("export", help="print a team's current target profile as YAML")
    exp.add_argument("--platform", choices=PLATFORMS, required=True)
    exp.add_argument("--team", required=True)
    exp.add_argument("--out", help="write to this file instead of standard output")
    exp.set_defaults(func=cmd_profile_export)

    rounds = sub.add_parser("rounds", help="assessment rounds").add_subparsers(
        dest="rounds", required=True
    )
    rlist = rounds.add_parser("list", help="list rounds")
    rlist.add_argument("--json", action="store_true")
    rlist.set_defaults(func=cmd_rounds_list)

    report = sub.add_parser("report", help="a round's aggregated summary")
    report.add_argument("round_id", type=int)
    report.add_argument("--json", action="store_true")
    report.add_argument("--csv", metavar="FILE")
    report.add_argument(
        "--csv-dialect",
        choices=("excel-da", "plain"),
        default="excel-da",
        help="excel-da: semicolons, decimal commas, one decimal; plain: commas, exact values",
    )
    report.add_argument("--xlsx", metavar="FILE")
    report.add_argument("--png", metavar="FILE")
    report.set_defaults(func=cmd_report)

    teams = sub.add_parser("teams", help="Microsoft Teams").add_subparsers(
        dest="teams", required=True
    )
    package = teams.add_parser("package", help="write the Teams app package to sideload")
    package.add_argument("--app-id", required=True, help="the bot's Microsoft App ID (a GUID)")
    package.add_argument("--out", metavar="FILE", default="kompetencebot-teams.zip")
    package.set_defaults(func=cmd_teams_package)

    from bot.cli_units import add_parsers as add_unit_parsers

    add_unit_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        result = args.func(args, settings)
        if asyncio.iscoroutine(result):
            asyncio.run(result)
    except ConfigError as exc:
        print(f"kompetencebot: configuration error: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"kompetencebot: {exc}", file=sys.stderr)
        return 2
    except NotReady as exc:
        print(f"kompetencebot: {exc}", file=sys.stderr)
        return 1
    except (OSError, ConnectionError) as exc:
        print(f"kompetencebot: {exc}", file=sys.stderr)
        return 1
    return 0
