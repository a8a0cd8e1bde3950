"""`kompetencebot unit …` on a real SQLite file, with playground teams (whose member lists the
database holds): import, refusals that write nothing, a campaign, the report before and after
its rounds close, and the owner's private overview in the playground's outbox."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.config import load_settings
from bot.dialogs.results import card_text
from bot.runtime import open_runtime
from bot.usecases.leader import close_and_publish
from bot.views import view_from_dict
from storage import rounds, teams

UNIT = {
    "key": "teknik-miljoe",
    "name": "Teknik og Miljø",
    "language": "da",
    "owners": [{"platform": "web", "user": "hanne"}],
    "profile": {"competences": [{"id": "M02", "target": 3}, {"id": "M18", "target": 2}]},
    "teams": [{"platform": "web", "team": "veje"}, {"platform": "web", "team": "parker"}],
}
PEOPLE = {"veje": ["v1", "v2", "v3"], "parker": ["p1", "p2", "p3"]}
SCORES = {"v1": (1, 2), "v2": (2, 2), "v3": (3, 1), "p1": (4, 3), "p2": (4, 2), "p3": (5, 3)}


def write(tmp_path: Path, document: dict[str, object], name: str = "unit.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return str(path)


def rows(url: str, table: str) -> int:
    with sqlite3.connect(url.split("///", 1)[1]) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


async def _seed_members() -> None:
    async with open_runtime(load_settings()) as runtime, runtime.transaction() as session:
        for key, people in PEOPLE.items():
            team = await teams.find(session, "web", key)
            assert team is not None
            teams.add_members(session, team, [(p, p.upper()) for p in people])


async def _answer_and_close() -> list[dict[str, object]]:
    now = datetime.now(UTC)
    async with open_runtime(load_settings()) as runtime:
        async with runtime.transaction() as session:
            for found in await rounds.all_rounds(session):
                for user, (m02, m18) in SCORES.items():
                    if user[0] == found.team.key[0]:
                        await rounds.save_scores(
                            session,
                            [
                                rounds.NewScore(found.id, user, "M02", m02, now),
                                rounds.NewScore(found.id, user, "M18", m18, now),
                            ],
                        )
        async with runtime.transaction() as session:
            for found in await rounds.all_rounds(session):
                await close_and_publish(session, found, now)
        async with runtime.sessions() as session:
            from sqlalchemy import select

            from storage.models import OutboxMessage

            sent = await session.scalars(
                select(OutboxMessage).where(OutboxMessage.idempotency_key.like("campaign:%"))
            )
            return [{"destination": m.destination, **m.payload} for m in sent.all()]


def test_refusals_name_the_entry_and_write_nothing(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["unit", "import", write(tmp_path, UNIT)]) == 0
    other = {**UNIT, "key": "kultur", "teams": [{"platform": "web", "team": "veje"}]}
    unknown = {**UNIT, "key": "ny", "profile": {"targets": {"M99": 2}}, "teams": []}
    bad_key = {**UNIT, "key": "Teknik Miljø"}
    capsys.readouterr()
    before = {t: rows(sqlite_url, t) for t in ("units", "unit_teams", "profiles", "teams")}
    for document, says in (
        (other, "teams[0]: web team veje already belongs to unit teknik-miljoe"),
        (unknown, "profile: M99: not in the catalog"),
        (bad_key, "key: 'Teknik Miljø' must be lower-case"),
    ):
        assert main(["unit", "import", write(tmp_path, document)]) == 2
        assert says in capsys.readouterr().err
    assert {t: rows(sqlite_url, t) for t in before} == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("key: a\nname: &n Teknik\nother: *n\n", "line 2: anchors and aliases"),
        ("key: teknik\nname: A\nkey: kultur\n", "line 3: duplicate key 'key'"),
        ("# " + "x" * 1_000_000 + "\nkey: teknik\n", "larger than 1 MB"),
    ],
)
def test_a_unit_file_is_plain_bounded_yaml(
    sqlite_url: str,
    tmp_path: Path,
    content: str,
    says: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "unit.yaml"
    path.write_text(content, "utf-8")
    assert main(["unit", "import", str(path)]) == 2
    assert says in capsys.readouterr().err
    assert main(["unit", "import", "/dev/zero"]) == 2
    assert "/dev/zero: larger than 1 MB" in capsys.readouterr().err
    assert not Path(sqlite_url.split("///", 1)[1]).exists()  # refused before any database


def test_a_campaign_from_the_command_line_to_the_report(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["unit", "import", write(tmp_path, UNIT)]) == 0
    asyncio.run(_seed_members())
    assert main(["unit", "report", "teknik-miljoe"]) == 1
    assert main(["unit", "start", "teknik-miljoe", "--deadline", "3d"]) == 0
    assert "rounds opened in 2 teams" in capsys.readouterr().out
    # A second campaign while the first runs: every team is skipped, and named.
    assert main(["unit", "start", "teknik-miljoe"]) == 1
    assert "skipped web team parker: it has an open round already" in capsys.readouterr().out
    assert main(["unit", "report", "teknik-miljoe"]) == 1
    assert "2 of its rounds are open" in capsys.readouterr().err

    sent = asyncio.run(_answer_and_close())
    assert len(sent) == 1 and sent[0]["destination"]["address"] == "hanne"  # type: ignore[index]
    owner_text = card_text(view_from_dict(sent[0]["view"]))  # type: ignore[arg-type,index]
    out = tmp_path / "unit"
    args = ["--csv", f"{out}.csv", "--xlsx", f"{out}.xlsx", "--png", f"{out}.png"]
    assert main(["unit", "report", "teknik-miljoe", "--json", *args]) == 0
    report = json.loads(capsys.readouterr().out)
    m02 = report["competences"][0]
    # 4 4 5 | 1 2 3: mean 19/6, median 3.5; both teams have three answers: both shown.
    assert (m02["n"], m02["mean"], m02["median"]) == (6, 19 / 6, 3.5)
    assert [(c["team"], c["mean"]) for c in m02["by_team"]] == [("parker", 13 / 3), ("veje", 2.0)]
    assert report["participation"]["invited"] == 6  # (scores stored directly: none "completed")
    assert "gennemsnit 3,2 (n=6)" in owner_text
    assert Path(f"{out}.png").read_bytes().startswith(b"\x89PNG")
    csv_lines = Path(f"{out}.csv").read_text("utf-8-sig").splitlines()
    assert csv_lines[1].startswith("M02;") and csv_lines[1].endswith(";4,3;2,0")
    assert main(["unit", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["latest_campaign"]["id"] == report["campaign"]["id"]
