"""The Teams cards as a member sees them on a phone: every card the adapter sent in a round
(tests/e2e/teams_cards.py), drawn by Microsoft's `adaptivecards` renderer with the Teams
host config in Chromium at 340 px. Teams drops what its renderer cannot parse and cuts
button titles that do not fit, so: no parse or validation complaints against version 1.5,
no score button cut short, the prompt's name, id and place in the list on screen, and no
activity over Teams' 28 KB."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import chromium
from tests.e2e.teams_cards import (
    COMPETENCE,
    PHONE,
    PROGRESS,
    Collected,
    Renderer,
    collect,
)

pytestmark = pytest.mark.browser
TEAMS_ACTIVITY_LIMIT = 28 * 1024


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Collected:
    return asyncio.run(collect(tmp_path_factory.mktemp("teams") / "teams.db"))


@pytest.fixture(scope="module")
def renderer(collected: Collected) -> Iterator[Renderer]:
    with chromium() as browser:
        yield Renderer(browser, collected.chart)


def _kinds(collected: Collected) -> set[str]:
    return {
        element
        for sent in collected.sent
        for element in ("Image", "Input.ChoiceSet", "Action.Execute", "Container")
        if f'"type": "{element}"' in json.dumps(sent.card)
    }


def test_the_round_sent_every_kind_of_card(collected: Collected) -> None:
    """The collection is worth rendering: prompts, forms, the chart, messages with buttons."""
    assert len([s for s in collected.sent if s.is_prompt]) >= 22
    assert _kinds(collected) == {"Image", "Input.ChoiceSet", "Action.Execute", "Container"}
    assert collected.chart.startswith(b"\x89PNG")


def test_every_card_parses_as_version_1_5_without_complaints(
    collected: Collected, renderer: Renderer
) -> None:
    assert {sent.card["version"] for sent in collected.sent} == {"1.5"}
    complaints = {}
    for index, sent in enumerate(collected.sent):
        shown = renderer.render(sent.card, PHONE)
        if shown.problems or not shown.rendered:
            complaints[index] = (shown.problems, shown.text[:80])
    assert complaints == {}


def test_no_score_button_is_cut_on_a_phone(collected: Collected, renderer: Renderer) -> None:
    prompts = [sent.card for sent in collected.sent if sent.is_prompt]
    first = renderer.render(prompts[0], PHONE)
    assert "M02" in first.text and "1 af 22" in first.text
    for card in prompts:
        shown = renderer.render(card, PHONE)
        cut = [b.text for b in shown.buttons if b.visible and b.cut]
        assert cut == [], shown.text[:80]
        card_text = json.dumps(card, ensure_ascii=False)
        title = card["body"][0]["text"].replace("**", "")
        competence = COMPETENCE.search(card_text)
        progress = PROGRESS.search(card_text)
        assert competence is not None and progress is not None
        for expected in (title, competence.group(), progress.group()):
            assert expected in shown.text


def test_every_activity_fits_in_28_kb(collected: Collected) -> None:
    sizes = [len(json.dumps(s.payload, ensure_ascii=True).encode()) for s in collected.sent]
    assert max(sizes) <= TEAMS_ACTIVITY_LIMIT
