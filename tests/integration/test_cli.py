"""The operator's command line, on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import main


def _table_counts(url: str) -> dict[str, int]:
    path = url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_import_materialegaard_with_default_target_and_export_round_trip(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["profile", "import", "materialegaard", "--platform", "slack", "--team", "C1"]
    assert main([*args, "--default-target", "3", "--leader", "U1"]) == 0
    assert "22 competences" in capsys.readouterr().out
    out = tmp_path / "profile.yaml"
    assert (
        main(["profile", "export", "--platform", "slack", "--team", "C1", "--out", str(out)]) == 0
    )
    exported = yaml.safe_load(out.read_text("utf-8"))
    assert len(exported["competences"]) == 22
    assert exported["competences"][0] == {
        "id": "M02",
        "target": 3,
        "description": exported["competences"][0]["description"],
        "examples": {
            "da": "Opgavestyringssystemet, timeregistreringssystemet, arbejdstøjsbutikken, "
            "GPS-styring.",
            "en": "The task management system, the time registration system, the workwear "
            "shop, GPS control.",
        },
    }
    # Importing the export gives the same profile as a new version.
    assert main(["profile", "import", str(out), "--platform", "slack", "--team", "C1"]) == 0
    assert "version 2" in capsys.readouterr().out
    assert main(["profile", "export", "--platform", "slack", "--team", "C1"]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == exported


def test_template_without_targets_is_refused_naming_the_ids(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["profile", "import", "materialegaard", "--platform", "web", "--team", "t"]) == 2
    err = capsys.readouterr().err
    assert "M02" in err and "M60" in err and "--default-target" in err


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("competences:\n  - {id: M02, target: 3}\n  - {id: M99, target: 2}\n", "M99"),
        ("competences:\n  - {id: M02, target: 3}\n  - {id: M05, target: 9}\n", "M05"),
        ("competences: [ {id: M02, target: 3\n", "not valid YAML"),
        ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "anchors and aliases"),
        (
            "competences:\n  - {id: M02, target: 3}\ncompetences: []\n",
            "duplicate key 'competences'",
        ),
        ("# " + "x" * 1_000_000 + "\ncompetences: []\n", "larger than 1 MB"),
    ],
)
def test_a_broken_profile_writes_nothing(
    sqlite_url: str,
    tmp_path: Path,
    content: str,
    named: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = ["profile", "import", "medarbejder", "--platform", "web", "--team", "t"]
    assert main([*good, "--default-target", "2", "--leader", "anna"]) == 0
    before = _table_counts(sqlite_url)
    broken = tmp_path / "broken.yaml"
    broken.write_text(content, "utf-8")
    args = ["profile", "import", str(broken), "--platform", "web", "--team", "t", "--leader", "x"]
    assert main(args) == 2
    assert named in capsys.readouterr().err
    assert _table_counts(sqlite_url) == before


def test_an_endless_file_is_refused_without_reading_it_all(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["profile", "import", "/dev/zero", "--platform", "web", "--team", "t"]
    assert main(args) == 2
    assert "/dev/zero: larger than 1 MB" in capsys.readouterr().err


def test_rounds_list_and_report_without_rounds(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rounds", "list"]) == 0
    assert capsys.readouterr().out.strip() == "no rounds"
    assert main(["rounds", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["report", "1"]) == 2
    assert "round 1 does not exist" in capsys.readouterr().err


def test_console_script_runs_as_module(sqlite_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "current schema" in done.stdout


def test_report_prints_exactly_what_the_channel_summary_shows(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A closed round: `rounds list --json`, `report --json`, text, CSV, XLSX and PNG."""
    import asyncio

    from bot.config import load_settings
    from bot.runtime import open_runtime
    from tests.support.world import World, make_profile

    async def play() -> None:
        async with open_runtime(load_settings(database_url=sqlite_url)) as runtime:
            await make_profile(runtime, {"M02": 4, "M05": 3, "M13": 3})
            world = World(runtime)
            await world.say("lea", "start 3d")
            for who, scores in (("lea", [4, 3, 3]), ("ali", [2, 3, 0]), ("bea", [1, 2, None])):
                await world.answer_all(who, scores)
            await world.say("lea", "luk")

    asyncio.run(play())
    assert main(["rounds", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["status"] == "closed" and (listed["invited"], listed["completed"]) == (4, 2)
    assert listed["opened_at"].endswith("+00:00") and listed["closed_at"]
    assert main(["rounds", "list"]) == 0
    header, line = capsys.readouterr().out.splitlines()
    assert header.split() == ["ROUND", "CHANNEL", "TEAM", "STATUS", "DEADLINE", "COMPLETED"]
    assert "2026-12-03 16:00" in line and line.endswith("2/4")  # Copenhagen time, not UTC

    files = {ext: tmp_path / f"report.{ext}" for ext in ("csv", "xlsx", "png")}
    args = ["report", str(listed["id"]), "--json"]
    args += [item for ext, path in files.items() for item in (f"--{ext}", str(path))]
    assert main(args) == 0
    printed = capsys.readouterr()
    report = json.loads(printed.out)
    for path in files.values():  # each file named where it was written, off the JSON output
        assert f"wrote {path.resolve()}" in printed.err
    assert report["round"] == listed
    assert report["participation"] == {"invited": 4, "completed": 2, "rate": 0.5}
    m02, m05, m13 = report["competences"]
    assert (m02["n"], m02["mean"], m02["median"], m02["gap"]) == (3, 7 / 3, 2.0, 5 / 3)
    assert m02["distribution"] == [0, 1, 1, 0, 1, 0] and m02["below_target"] == 2 / 3
    assert m13["suppressed"] and m13["n"] == 2 and "mean" not in m13
    assert report["largest_gaps"] == ["M02", "M05"] and m05["gap"] == 1 / 3
    assert files["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert files["xlsx"].stat().st_size > 0
    m02_da = files["csv"].read_text("utf-8-sig").splitlines()[1]
    assert m02_da.startswith("M02;Anvende fagsystemer") and ";2,3;2,0;1,7;66,7%;ja;" in m02_da

    plain = tmp_path / "plain.csv"
    assert main(["report", str(listed["id"]), "--csv", str(plain), "--csv-dialect", "plain"]) == 0
    capsys.readouterr()
    m02_plain = plain.read_text("utf-8-sig").splitlines()[1]
    assert f",{7 / 3!r},2.0,{5 / 3!r},{2 / 3!r},true," in m02_plain

    assert main(["report", str(listed["id"])]) == 0
    text = capsys.readouterr().out
    assert "2 af 4 har svaret på alle kompetencer (50 %)." in text
    assert "mål 4, gennemsnit 2,3 (gab 1,7)" in text
