"""The English catalog speaks with one voice: one register, one term per Danish term."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import pytest
import yaml

from catalog.loader import load_catalog
from tests.support.catalog_texts import catalog_texts, template_texts

CATALOG = load_catalog()
GLOSSARY: list[dict[str, Any]] = yaml.safe_load(
    resources.files("catalog").joinpath("data", "glossary.yaml").read_text("utf-8")
)


ALL = [*catalog_texts(), *template_texts()]


def test_the_texts_checked_are_the_whole_catalog() -> None:
    assert len(ALL) > 350
    assert {where.split()[0] for where, _ in ALL} >= {"M01", "L22", "materialegaard"}


@pytest.mark.parametrize("term", GLOSSARY, ids=[t["da"] for t in GLOSSARY])
def test_one_english_term_per_danish_term(term: dict[str, Any]) -> None:
    danish = re.compile(term["da"], re.IGNORECASE)
    english = re.compile(term["en"], re.IGNORECASE)
    used = [where for where, text in ALL if danish.search(text.da)]
    assert used, f"{term['da']} occurs nowhere: drop it from the glossary"
    assert [where for where in used if not english.search(dict(ALL)[where].en)] == []
    for variant in term.get("not", []):
        wrong = re.compile(variant, re.IGNORECASE)
        assert [where for where, text in ALL if wrong.search(text.en)] == [], variant


ONE_AS_PRONOUN = re.compile(
    r"\b(one's|oneself)\b|\bone (is|are|has|must|can|may|should|needs?|uses?|serves?|helps?)\b",
    re.IGNORECASE,
)


def test_english_addresses_the_reader_as_you() -> None:
    assert [where for where, text in ALL if ONE_AS_PRONOUN.search(text.en)] == []


def test_names_and_descriptions_say_be_able_to() -> None:
    """Danish "Kunne …" is "Be able to …" everywhere, never "Able to …"."""
    loose = [where for where, text in ALL if re.search(r"(^|\n)Able to\b", text.en)]
    assert loose == []
    kunne = [c for c in CATALOG.competences.values() if c.name.da.startswith("Kunne ")]
    assert len(kunne) > 30
    assert [c.id for c in kunne if not c.name.en.startswith("Be able to ")] == []


def test_english_uses_straight_quotes_and_no_fragments() -> None:
    curly = [where for where, text in ALL if re.search("[“”‘’]", text.en)]
    assert curly == []
    fragments = [where for where, text in ALL if re.match(r"Including\b", text.en)]
    assert fragments == []
