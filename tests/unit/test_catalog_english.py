"""The English catalog speaks with one voice: one register, one term per Danish term."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
import yaml

from catalog.loader import load_catalog
from catalog.models import Text
from catalog.profiles import TEMPLATES, _template_data

CATALOG = load_catalog()
GLOSSARY: list[dict[str, Any]] = yaml.safe_load(
    resources.files("catalog").joinpath("data", "glossary.yaml").read_text("utf-8")
)


def catalog_texts() -> Iterator[tuple[str, Text]]:
    """Every bilingual text a person may read, named by where it sits."""
    for dim in CATALOG.dimensions.values():
        yield f"{dim.id} name", dim.name
        yield f"{dim.id} description", dim.description
        for area in dim.areas:
            yield f"{dim.id} area {area.name.da}", area.name
            if area.description:
                yield f"{dim.id} area intro {area.name.da}", area.description
    for c in CATALOG.competences.values():
        yield f"{c.id} name", c.name
        yield f"{c.id} description", c.description
        if c.examples:
            yield f"{c.id} examples", c.examples
        if c.group:
            yield f"{c.id} group", c.group
    for edition, name in CATALOG.editions.items():
        yield f"edition {edition}", name
        yield f"edition {edition} description", CATALOG.edition_descriptions[edition]
    method = CATALOG.method
    for key in ("purpose", "not_everyone", "occasions", "together", "calibration"):
        yield f"method {key}", getattr(method, key)
    for step in method.steps:
        yield f"step {step.number}", step.text
        yield f"step {step.number} summary", step.summary
    for level in CATALOG.scale:
        yield f"scale {level.level}", level.label
    yield "source note", CATALOG.source_note


def template_texts() -> Iterator[tuple[str, Text]]:
    for name in TEMPLATES:
        data = _template_data(name)
        yield f"{name} name", Text(data["name"], data["name_en"])
        for item in data["competences"]:
            english = item.get("en") or {}
            for key in ("name", "description", "examples"):
                if key in item:
                    yield f"{name} {item['id']} {key}", Text(item[key], english[key])


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
