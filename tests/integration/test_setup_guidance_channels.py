"""The area introductions of a setup form, as Slack, Teams and the playground show them."""

from __future__ import annotations

from bot.adapters.slack.blocks import MAX_MODAL_BLOCKS, modal
from bot.adapters.teams import cards
from bot.adapters.web.render import render
from bot.dialogs import setup
from bot.views import Form
from catalog.loader import load_catalog
from catalog.profiles import template_entries

CATALOG = load_catalog()
TEAMS_KEY = "19:" + "x" * 80 + "@thread.tacv2"
USERS_INTRO = CATALOG.area("M01").description
assert USERS_INTRO is not None
FIRST_LINE = USERS_INTRO("da").split("\n")[0]


def targets(base: str, key: str = "C1") -> Form:
    _, entries = template_entries(base, "da")
    known = [CATALOG.competence(e.id) for e in entries]
    candidates = [setup.Candidate(c.id, c.name("da"), c.dimension, 3) for c in known]
    return setup.targets_form("da", key, base, "da", candidates)


def test_slack_shows_each_introduction_under_its_heading() -> None:
    for base in ("materialegaard", "medarbejder", "leder"):
        blocks = modal(targets(base), {})["blocks"]
        assert len(blocks) <= MAX_MODAL_BLOCKS
        texts = [b.get("text", {}).get("text", "") for b in blocks]
        heading = next(i for i, text in enumerate(texts) if "Brugerkompetencer" in text)
        assert blocks[heading]["type"] == "header"
        under = texts[heading + 1 : heading + 3]  # the leaders' list puts L5's advice first
        assert any(FIRST_LINE in text for text in under), base
        assert texts.count(texts[heading]) == 1


def test_teams_shows_the_introductions_where_they_fit_and_always_fits() -> None:
    shown = {}
    for base in ("materialegaard", "medarbejder", "leder"):
        payload = cards.activity(targets(base, TEAMS_KEY), "https://bot.example")
        assert cards.size(payload) < cards.ACTIVITY_LIMIT
        body = payload["attachments"][0]["content"]["body"]
        shown[base] = any(FIRST_LINE in e.get("text", "") for e in body if e.get("isSubtle"))
        headings = [e["text"] for e in body if e.get("separator")]
        assert any("Brugerkompetencer" in heading for heading in headings)
    # The 60-competence list is too long for Teams with them; the shorter lists carry them.
    assert shown == {"materialegaard": True, "medarbejder": False, "leder": True}


def test_the_playground_shows_each_introduction_once() -> None:
    html = render(targets("materialegaard"))
    assert html.count('class="group-intro"') == len(
        [f for f in targets("materialegaard").fields if f.group_intro]
    )
    assert FIRST_LINE.split(".")[0] in html
