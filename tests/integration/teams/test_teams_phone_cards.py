"""Cards a municipal employee can read on a phone, as the fake Bot Connector receives them:
status as facts, exports as buttons, first names, word-boundary cuts, own answers as rows
with "Fortsæt" while the round is open, and the summary's chart right after the gaps."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from bot.adapters.teams import cards
from storage.models import Round
from tests.fakes.bot_connector import Posted
from tests.integration.teams.teams_harness import (
    GENERAL,
    LEADER,
    MEMBERS,
    PUBLIC_URL,
    TEAM_ID,
    TeamsClient,
    actions,
    button,
    links,
    row,
    texts,
    user,
)

BO, CECILIE, DAVID = MEMBERS[1], MEMBERS[2], MEMBERS[3]


def _elements(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every element of a card, depth first, in reading order."""
    found: list[dict[str, Any]] = []

    def walk(elements: list[dict[str, Any]]) -> None:
        for element in elements:
            found.append(element)
            walk(element.get("items") or [])

    walk(card.get("body") or [])
    return found


def _in_thread(teams: TeamsClient, needle: str) -> Posted:
    """The latest answer in a channel thread whose card says `needle`."""
    thread = [p for p in teams.connector.posted if p.conversation.startswith(f"{GENERAL};")]
    found = [p for p in thread if needle in texts(p.card or {})]
    assert found, [texts(p.card or {}) for p in thread]
    return found[-1]


async def _round(teams: TeamsClient) -> None:
    # Teams' roster gives a given name for most people; David's account has none.
    teams.connector.rosters[TEAM_ID] = [
        {**user(m), "givenName": m["name"].split()[0]} for m in (LEADER, BO, CECILIE)
    ] + [user(DAVID)]
    await teams.send(teams.install(LEADER))
    await teams.set_profile([])
    await teams.send(teams.mention(LEADER, "start 3d"))
    await teams.drain()


async def _answer(teams: TeamsClient, member: dict[str, str], scores: list[int]) -> None:
    [intro] = teams.connector.in_chat(member["id"])
    card = (await teams.send(teams.execute(member, intro, button(intro.card, "Kom i gang"))))[
        "value"
    ]
    for score in scores:
        card = (await teams.send(teams.execute(member, intro, button(card, str(score)))))["value"]


async def _close(teams: TeamsClient) -> None:
    await teams.send(teams.mention(LEADER, "luk"))
    await teams.drain()


def _sizes_fit(teams: TeamsClient) -> None:
    for posted in teams.connector.posted:
        for version in (posted.content, *posted.updates):
            assert cards.size(version) < cards.ACTIVITY_LIMIT


async def test_the_intro_greets_by_first_name_and_its_preview_ends_at_a_word(
    teams: TeamsClient,
) -> None:
    await _round(teams)
    for member, greeting in ((BO, "Hej Bo!"), (LEADER, "Hej Lea!"), (DAVID, "Hej David Larsen!")):
        [intro] = teams.connector.in_chat(member["id"])
        first = texts(intro.card or {}).split("\n")[0]
        assert first.startswith(greeting), first
        # The notification preview is cut where a word ends, and says so with "…".
        preview = intro.content["summary"]
        whole = first.replace("**", "")
        assert len(preview) <= cards.SUMMARY_LIMIT < len(whole)
        assert preview.endswith("…")
        kept = preview.removesuffix("…")
        assert whole.startswith(kept) and whole[len(kept)] == " ", (kept, whole)
    assert "Hej Bo Jensen" not in texts(teams.connector.in_chat(BO["id"])[0].card or {})
    _sizes_fit(teams)


async def test_status_is_a_factset_one_fact_per_count(teams: TeamsClient) -> None:
    await _round(teams)
    await _answer(teams, BO, [2, 3, 4])
    await _answer(teams, CECILIE, [1])
    await teams.send(teams.mention(LEADER, "status"))
    await teams.drain()
    card = _in_thread(teams, "Runden for").card or {}
    [factset] = [e for e in _elements(card) if e["type"] == "FactSet"]
    facts = {f["title"]: f["value"] for f in factset["facts"]}
    assert {k: v for k, v in facts.items() if k != "Frist"} == {
        "Inviteret": "4",
        "Færdige": "1",
        "I gang": "1",
        "Ikke startet": "2",
        "Kan ikke nås": "0",
    }
    assert re.fullmatch(r"\d+\. \w+ \d{4} kl\. \d\d:\d\d", facts["Frist"])
    # Nothing runs together on one line any more.
    assert not [line for line in texts(card).split("\n") if line.count("·") > 1]


async def test_export_links_are_buttons_and_the_text_has_no_urls(teams: TeamsClient) -> None:
    await _round(teams)
    for member in (LEADER, BO, CECILIE):
        await _answer(teams, member, [3, 3, 3])
    await _close(teams)
    await teams.send(teams.mention(LEADER, "eksport"))
    await teams.drain()
    export = teams.connector.in_chat(LEADER["id"])[-1].card or {}
    opened = links(export)
    assert list(opened) == ["Graf", "CSV", "Excel", "Målprofil (YAML)"]
    async with teams.runtime.sessions() as session:
        token = (await session.scalars(select(Round.chart_token))).one()
    assert opened["Graf"] == f"{PUBLIC_URL}/files/{token}/chart.png"
    files = {name: url.rsplit("/", 1)[1] for name, url in opened.items()}
    assert files == {
        "Graf": "chart.png",
        "CSV": "summary.csv",
        "Excel": "summary.xlsx",
        "Målprofil (YAML)": "profile.yaml",
    }
    assert all(url.startswith(f"{PUBLIC_URL}/exports/") for url in list(opened.values())[1:])
    assert "http" not in texts(export) and "Eksport af" in texts(export)
    for url in opened.values():  # each button opens a file the leader can fetch
        assert (await teams.client.get(url.removeprefix(PUBLIC_URL))).status == 200
    _sizes_fit(teams)


async def test_mine_is_rows_with_fortsaet_only_while_the_round_is_open(
    teams: TeamsClient,
) -> None:
    await _round(teams)
    await _answer(teams, BO, [2])  # M02 answered, M05 and M13 not reached
    await teams.send(teams.personal(BO, "mine"))
    await teams.drain()
    mine = teams.connector.in_chat(BO["id"])[-1]
    card = mine.card or {}
    assert row(card, "Kompetence") == ["Kompetence", "Dit svar", "Mål"]
    assert row(card, "M02")[1:] == ["2", "4"]
    assert row(card, "M05")[1:] == ["…", "3"]
    assert "… ikke besvaret endnu" in texts(card)
    assert "sprunget over" not in texts(card)  # never reached is not skipped
    [fortsaet] = [a for a in actions(card) if a["title"] == "Fortsæt"]

    # "Fortsæt" brings back the question where Bo left off.
    answer = await teams.send(teams.execute(BO, mine, fortsaet))
    await teams.drain()
    shown = [answer["value"]] if answer.get("type") == cards.CARD_TYPE else []
    shown += [p.card or {} for p in teams.connector.in_chat(BO["id"])]
    assert any("2 af 3" in texts(c) and "M05" in texts(c) for c in shown)

    for member in (LEADER, CECILIE, DAVID):
        await _answer(teams, member, [3, 3, 3])
    await _close(teams)
    await teams.send(teams.personal(BO, "mine"))
    await teams.drain()
    closed = teams.connector.in_chat(BO["id"])[-1].card or {}
    assert row(closed, "Kompetence") == ["Kompetence", "Dit svar", "Mål", "Holdets gennemsnit"]
    assert row(closed, "M02")[1:] == ["2", "4", "2,8"]  # (3 + 2 + 3 + 3) / 4
    assert row(closed, "M05")[1] == "–" and "– sprunget over" in texts(closed)
    assert not [a for a in actions(closed) if a["title"] == "Fortsæt"]
    _sizes_fit(teams)


async def test_the_summary_shows_the_chart_after_the_gaps_with_expand_and_open(
    teams: TeamsClient,
) -> None:
    await _round(teams)
    for member, scores in ((LEADER, [0, 3, 1]), (BO, [5, 2, 2]), (CECILIE, [2, 3, 1])):
        await _answer(teams, member, scores)
    await _close(teams)
    [summary] = [p for p in teams.connector.in_conversation(GENERAL) if "Resultat" in str(p.card)]
    card = summary.card or {}
    body = card["body"]
    kinds = [e["type"] for e in body]
    image_at = kinds.index("Image")
    before = texts({"body": body[:image_at]})
    assert "Største gab til målet" in before and "M02" in before
    assert "Tal om skalaen" not in before and "Dimensioner" not in before

    image = body[image_at]
    async with teams.runtime.sessions() as session:
        token = (await session.scalars(select(Round.chart_token))).one()
    chart = f"{PUBLIC_URL}/files/{token}/chart.png"
    assert image["url"] == chart and image["msteams"] == {"allowExpand": True}
    [(title, url)] = links({"body": body[image_at + 1 : image_at + 2]}).items()
    assert (title, url) == ("Åbn grafen", chart)

    # The legend and the details each sit behind a toggle that targets a hidden container.
    toggles = [
        a
        for e in body
        if e["type"] == "ActionSet"
        for a in e["actions"]
        if a["type"] == "Action.ToggleVisibility"
    ]
    assert [t["title"] for t in toggles] == ["Kompetencerne i grafen", "Flere detaljer"]
    hidden = {e["id"]: e for e in body if e.get("isVisible") is False}
    legend, details = (hidden[t["targetElements"][0]] for t in toggles)
    assert "M02: Anvende fagsystemer" in texts({"body": legend["items"]})
    assert "Tal om skalaen" in texts({"body": details["items"]})
    assert "Dimensioner" in texts({"body": details["items"]})
    _sizes_fit(teams)
