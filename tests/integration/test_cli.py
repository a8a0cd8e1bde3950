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
        "examples": "Opgavestyringssystemet, timeregistreringssystemet, arbejdstøjsbutikken, "
        "GPS-styring.",
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
