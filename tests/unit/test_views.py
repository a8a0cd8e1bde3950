"""The neutral views: cuts at word boundaries, plain text, and the outbox's round trip."""

from __future__ import annotations

import pytest

from bot.views import (
    Button,
    Fact,
    Link,
    Message,
    Section,
    SummaryCard,
    Table,
    clip,
    message_text,
    view_from_dict,
    view_to_dict,
)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Hej Anna! Holdet kortlægger kompetencer", 20, "Hej Anna! Holdet…"),
        ("Kort nok", 20, "Kort nok"),
        ("Ord, der slutter med komma, og mere", 28, "Ord, der slutter med komma…"),
        ("Gennemsnitsberegningsmetoden er lang", 12, "Gennemsnits…"),  # one long word
    ],
)
def test_clip_cuts_at_a_word_boundary(text: str, limit: int, expected: str) -> None:
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit


def test_a_button_label_ends_at_a_word() -> None:
    label = Button("3 · har god viden og kompetencer, " * 4, "score").label
    assert label.endswith("…") and not label.removesuffix("…").endswith(("kompeten", " "))


MESSAGE = Message(
    "*Status*",
    (Button("Fortsæt", "continue", {"r": 1}),),
    facts=(Fact("Inviteret", "4"),),
    table=Table(("Kompetence", "Dit svar", "Mål"), (("M02 Fagsystemer", "3", "4"),), ("– x",)),
    links=(Link("CSV", "https://example.dk/summary.csv"),),
)


def test_message_text_reads_every_part() -> None:
    assert message_text(MESSAGE).split("\n") == [
        "*Status*",
        "Inviteret: 4",
        "M02 Fagsystemer: dit svar 3 · mål 4",
        "– x",
        "CSV: https://example.dk/summary.csv",
    ]


def test_views_survive_the_outbox() -> None:
    summary = SummaryCard(
        "Resultat",
        "3 af 4",
        (Section("Gab", ("M02",)),),
        chart="tok",
        details=(Section("Dimensioner", ("M1",)),),
        details_title="Flere detaljer",
        legend=(Fact("M02", "Fagsystemer"),),
        legend_title="Kompetencerne i grafen",
        open_chart="Åbn grafen",
    )
    for view in (MESSAGE, summary, Message("bare tekst")):
        assert view_from_dict(view_to_dict(view)) == view
    # A row written before facts, tables and links existed still reads.
    older = {"kind": "message", "text": "hej", "buttons": [], "tone": "info"}
    assert view_from_dict(older) == Message("hej")
