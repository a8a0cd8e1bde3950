"""The unit campaign every channel's end-to-end test runs: three teams, who answers what, the
unit file, the CLI functions that import it and report on it, and the hand-computed numbers
the owner's chat and `unit report --json` must both show."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli_units import cmd_unit_import, cmd_unit_report
from bot.config import Settings
from bot.runtime import Runtime
from bot.scheduling.jobs import execute
from bot.services.summary import format_number
from storage import schedule, units
from storage.models import Campaign

KEY = "teknik-miljoe"
TEAMS = {
    "roads": ("Vejteamet", ("r1", "r2", "r3")),
    "parks": ("Parkteamet", ("p1", "p2", "p3", "p4")),
    "waste": ("Affaldsteamet", ("w1", "w2", "w3")),
}
SCORES = {  # (M02, M05); w2 stops after M02, w3 never starts
    "r1": (1, 2), "r2": (2, 2), "r3": (3, 3),
    "p1": (4, 1), "p2": (4, 2), "p3": (5, 3), "p4": (2, 2),
    "w1": (0, 2), "w2": (1,),
}  # fmt: skip
TITLE = "Oversigt for Teknik og Miljø"


async def import_unit(
    settings: Settings, folder: Path, platform: str, owner: str, team_key: Callable[[str], str]
) -> None:
    """`kompetencebot unit import`, by the function the CLI runs, of the unit of TEAMS."""
    document = {
        "key": KEY,
        "name": "Teknik og Miljø",
        "language": "da",
        "owners": [{"platform": platform, "user": owner}],
        "profile": {"competences": [{"id": "M02", "target": 3}, {"id": "M05", "target": 2}]},
        "teams": [{"platform": platform, "team": team_key(team)} for team in TEAMS],
    }
    path = folder / "unit.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    await cmd_unit_import(argparse.Namespace(file=str(path)), settings)


async def close_at_deadlines(
    runtime: Runtime, drain: Callable[[], Any], teams: int = len(TEAMS)
) -> None:
    """Each round's deadline job, at its time; the messages delivered after each."""
    async with runtime.sessions() as session:
        jobs = [job for job in await schedule.pending(session) if job.kind == "close"]
    assert len(jobs) == teams, "one round, with its deadline, in each member team"
    for job in jobs:
        assert await execute(runtime, job.id, job.due_at)
        await drain()


async def campaign(runtime: Runtime) -> Campaign:
    async with runtime.sessions() as session:
        unit = await units.find(session, KEY)
        assert unit is not None
        found = await units.latest_campaign(session, unit.id)
    assert found is not None and found.chart_token and found.closed_at
    return found


async def unit_report(settings: Settings, capsys: pytest.CaptureFixture[str]) -> Any:
    """`kompetencebot unit report teknik-miljoe --json`, by the function the CLI runs."""
    capsys.readouterr()
    args = argparse.Namespace(key=KEY, campaign=None, json=True, csv=None, xlsx=None, png=None)
    await asyncio.to_thread(cmd_unit_report, args, settings)
    return json.loads(capsys.readouterr().out)


def check(report: dict[str, Any], chat: str) -> None:
    """The report holds the hand-computed numbers, and the owner's chat says the same."""
    # M02: 1 2 3 | 4 4 5 2 | 0 1 -> n 9, mean 22/9, median 2; the waste team's 2 answers
    # hide the roads team's 3 too. M05: 2 2 3 | 1 2 3 2 | 2 -> n 8, mean 17/8.
    m02, m05 = report["competences"]
    assert (m02["n"], m02["mean"], m02["median"]) == (9, 22 / 9, 2.0)
    assert (m05["n"], m05["mean"]) == (8, 17 / 8)
    assert [(c["n"], c["suppressed"]) for c in m02["by_team"]] == [
        (4, False), (3, True), (2, True),  # parks, roads, waste (by key)
    ]  # fmt: skip
    assert report["participation"] == {"invited": 10, "completed": 8, "rate": 0.8}
    assert report["largest_gaps"] == ["M02"]
    part = report["participation"]
    assert f"{part['completed']} af {part['invited']} har svaret på alt, i 3 hold." in chat
    for item in report["competences"]:
        mean = format_number(item["mean"], "da")
        name, target, n = f"{item['id']} {item['name']}", item["target"], item["n"]
        assert f"{name}: mål {target}, gennemsnit {mean} (n={n})" in chat
    assert "gennemsnit 2,4 (n=9)" in chat and "gennemsnit 2,1 (n=8)" in chat
    assert "3,8" not in chat, "a team's own mean (parks: 3.75) is not in the chat"
