"""Views as Block Kit within Slack's limits (no server needed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.adapters.slack.blocks import (
    TooLarge,
    escape,
    fallback_text,
    message_blocks,
    message_modal,
    modal,
)
from bot.adapters.slack.translate import action_name, button_data, form_fields
from bot.dialogs import scoring, setup
from bot.domain import Progress, RoundCompetence, RoundInfo
from bot.views import Button, Field, Form, Message, Option, Section, SummaryCard


def round_info(count: int = 3) -> RoundInfo:
    items = tuple(
        RoundCompetence(
            f"M{i:02d}", f"Kompetence {i}", "M1", "Brugerkompetencer", 3, "Beskrivelse", "Ex"
        )
        for i in range(1, count + 1)
    )
    return RoundInfo(7, "open", datetime(2026, 12, 10, tzinfo=UTC), "da", "UTC", "Hold", items)


def all_buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_a_prompt_has_six_buttons_0_to_5_carrying_the_competence() -> None:
    view = scoring.prompt(round_info(), Progress("U1", 1, {"M01": 2}))
    blocks = message_blocks(view)
    buttons = all_buttons(blocks)
    assert [b["text"]["text"][0] for b in buttons[:6]] == list("012345")
    ids = [b["action_id"] for b in buttons]
    assert len(ids) == len(set(ids))
    assert [action_name(i) for i in ids[:6]] == ["score"] * 6
    assert button_data(buttons[3]["value"]) == {"r": 7, "c": "M02", "u": "U1", "s": 3}
    assert all(len(b["text"]["text"]) <= 75 for b in buttons)
    assert "M02" in json.dumps(blocks)
    assert fallback_text(view).startswith("Kompetence 2")


def test_examples_show_only_on_request() -> None:
    info, progress = round_info(), Progress("U1", 0, {})
    folded = json.dumps(message_blocks(scoring.prompt(info, progress)))
    opened = json.dumps(message_blocks(scoring.prompt(info, progress, expanded=True)))
    assert "Eksempler" not in folded and "examples:" in folded
    assert "Eksempler" in opened and "examples:" not in opened


def test_many_buttons_are_split_into_rows_of_25() -> None:
    buttons = tuple(Button(f"Knap {i}", "goto", {"p": i}) for i in range(60))
    blocks = message_blocks(Message("Vælg", buttons))
    rows = [b for b in blocks if b["type"] == "actions"]
    assert [len(r["elements"]) for r in rows] == [25, 25, 10]
    assert len({e["action_id"] for r in rows for e in r["elements"]}) == 60


def test_text_is_escaped_and_split_under_3000_characters() -> None:
    blocks = message_blocks(Message("<!channel> & <@U1>\n" + "x" * 7000))
    assert blocks[0]["text"]["text"].startswith("&lt;!channel&gt; &amp; &lt;@U1&gt;")
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)
    assert sum(len(b["text"]["text"]) for b in blocks) >= 7000
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_a_message_never_exceeds_50_blocks() -> None:
    card = SummaryCard(
        "Resultat", "Intro", tuple(Section(f"Del {i}", ("linje",)) for i in range(80))
    )
    blocks = message_blocks(card, chart_url="https://example.org/chart.png")
    assert len(blocks) == 50
    assert blocks[0]["type"] == "header"


def test_a_button_value_over_2000_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="characters"):
        message_blocks(Message("x", (Button("Stor", "goto", {"p": "x" * 2100}),)))


def test_sixty_targets_fit_in_a_modal_with_dimension_headers() -> None:
    candidates = [setup.Candidate(f"M{i:02d}", f"Navn {i}", "M1", 3) for i in range(1, 61)]
    form = setup.targets_form("da", "C1", "medarbejder", "da", candidates)
    view = modal(form, {})
    assert len(view["blocks"]) <= 100
    assert len(view["title"]["text"]) <= 24 and len(view["submit"]["text"]) <= 24
    assert [b for b in view["blocks"] if b["type"] == "header"]
    metadata = json.loads(view["private_metadata"])
    assert metadata == {"a": "setup-save", "d": {"t": "C1", "base": "medarbejder", "lang": "da"}}


def test_headers_go_before_a_form_is_too_large() -> None:
    groups = [f"G{i}" for i in range(10)]
    fields = tuple(
        Field(f"F{i}", "Felt", options=(Option("1", "1"),), group=groups[i % 10]) for i in range(95)
    )
    form = Form("big", "Stor", "Intro", fields, (Button("Gem", "setup-save"),))
    assert not [b for b in modal(form, {})["blocks"] if b["type"] == "header"]
    too_big = Form("huge", "Stor", "Intro", fields * 2, (Button("Gem", "setup-save"),))
    with pytest.raises(TooLarge):
        modal(too_big, {})


def test_submitted_fields_come_back_by_name() -> None:
    view = {
        "state": {
            "values": {
                "f:base": {"v": {"type": "static_select", "selected_option": {"value": "leder"}}},
                "f:name": {"v": {"type": "plain_text_input", "value": "Robotter"}},
                "f:empty": {"v": {"type": "static_select", "selected_option": None}},
                "other": {"x": {"type": "plain_text_input", "value": "ignored"}},
            }
        }
    }
    assert form_fields(view) == {"base": "leder", "name": "Robotter", "empty": None}


def test_a_message_in_a_modal_keeps_its_buttons() -> None:
    view = message_modal(
        Message("Gemt", (Button("Tilpas", "setup-wording", {"t": "C1"}),)), "Holdets målprofil"
    )
    assert view["title"]["text"] == "Holdets målprofil"
    assert all_buttons(view["blocks"])[0]["action_id"] == "setup-wording:0"
