"""The setup dialog's decisions as tables: which submitted targets are accepted, what a
profile becomes with them, and what a local wording changes. No chat, no database."""

from __future__ import annotations

from typing import Any

import pytest

from bot.dialogs.setup import read_targets, with_targets, with_wording
from catalog.profiles import ProfileEntry, ProfileSpec, Wording

ALLOWED = ("M02", "M05", "M18")
SPEC = ProfileSpec(
    "Materialegården",
    "da",
    (
        ProfileEntry(
            "M02",
            3,
            {
                "da": Wording("Fagsystemer", "Bruge fagsystemer", "Opgavestyring"),
                "en": Wording("Systems", "Use systems", "Task management"),
            },
        ),
        ProfileEntry("M05", 2, {"da": Wording("Samarbejde", "Bruge Teams", None)}),
        ProfileEntry("M18", 4, {"da": Wording("Data", "Modtage data", "Regneark")}),
    ),
)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"M02": "3", "M05": "0", "M18": "5"}, {"M02": 3, "M05": 0, "M18": 5}),
        ({"M02": 1, "M05": 2, "M18": 3}, {"M02": 1, "M05": 2, "M18": 3}),
        # a field the form did not offer is ignored
        ({"M02": "1", "M05": "1", "M18": "1", "M99": "4"}, {"M02": 1, "M05": 1, "M18": 1}),
        ({"M02": "6", "M05": "1", "M18": "1"}, "setup.error_target"),
        ({"M02": "-1", "M05": "1", "M18": "1"}, "setup.error_target"),
        ({"M02": "3.0", "M05": "1", "M18": "1"}, "setup.error_target"),
        ({"M02": "tre", "M05": "1", "M18": "1"}, "setup.error_target"),
        ({"M02": None, "M05": "1", "M18": "1"}, "setup.error_target"),
        ({"M02": True, "M05": "1", "M18": "1"}, "setup.error_target"),
        ({"M05": "1", "M18": "1"}, "setup.error_target"),  # a competence left out
        # every target 0 would leave an empty profile
        ({"M02": "0", "M05": "0", "M18": "0"}, "setup.error_empty"),
    ],
)
def test_read_targets(fields: dict[str, Any], expected: dict[str, int] | str) -> None:
    assert read_targets(fields, ALLOWED) == expected


@pytest.mark.parametrize(
    ("targets", "kept"),
    [
        ({"M02": 3, "M05": 2, "M18": 4}, [("M02", 3), ("M05", 2), ("M18", 4)]),
        ({"M02": 5, "M05": 1, "M18": 1}, [("M02", 5), ("M05", 1), ("M18", 1)]),
        ({"M02": 0, "M05": 4, "M18": 0}, [("M05", 4)]),  # 0 drops a competence (step 1)
        ({"M02": 0, "M05": 0, "M18": 2}, [("M18", 2)]),
    ],
)
def test_with_targets(targets: dict[str, int], kept: list[tuple[str, int]]) -> None:
    entries = with_targets(SPEC, targets)
    assert [(e.id, e.target) for e in entries] == kept
    # The wording travels with the competence; only the target changes.
    for entry in entries:
        original = next(e for e in SPEC.competences if e.id == entry.id)
        assert entry.wording == original.wording


@pytest.mark.parametrize(
    ("competence", "fields", "expected"),
    [
        (
            "M02",
            {"name": "Vores fagsystem", "description": "KMD og Outlook", "examples": "Vagtplan"},
            ("Vores fagsystem", "KMD og Outlook", "Vagtplan"),
        ),
        # an empty or blank field keeps what was there; text is trimmed
        ("M02", {"name": "  Sagssystemet  ", "description": "", "examples": "   "},
         ("Sagssystemet", "Bruge fagsystemer", "Opgavestyring")),
        ("M02", {"name": None}, ("Fagsystemer", "Bruge fagsystemer", "Opgavestyring")),
        ("M02", {}, ("Fagsystemer", "Bruge fagsystemer", "Opgavestyring")),
        ("M02", {"examples": "Ruteplan\nDagseddel"},
         ("Fagsystemer", "Bruge fagsystemer", "Ruteplan\nDagseddel")),
        # a competence without examples gets its first
        ("M05", {"examples": "Teams-møder"}, ("Samarbejde", "Bruge Teams", "Teams-møder")),
    ],
)  # fmt: skip
def test_with_wording(
    competence: str, fields: dict[str, Any], expected: tuple[str, str, str | None]
) -> None:
    changed = with_wording(SPEC, competence, fields, "da")
    assert (changed.name, changed.language) == (SPEC.name, SPEC.language)
    [entry] = [e for e in changed.competences if e.id == competence]
    danish = entry.local("da")
    assert (danish.name, danish.description, danish.examples) == expected
    assert entry.target == next(e.target for e in SPEC.competences if e.id == competence)
    others = [e for e in changed.competences if e.id != competence]
    assert others == [e for e in SPEC.competences if e.id != competence]


def test_with_wording_for_a_competence_not_in_the_profile_changes_nothing() -> None:
    assert with_wording(SPEC, "M99", {"name": "Ukendt"}, "da") == SPEC


def test_with_wording_in_one_language_drops_the_other_languages_stale_text() -> None:
    """The English name no longer translates a new Danish name: an English round falls back
    to the catalog's English name; the English fields not changed stay."""
    changed = with_wording(SPEC, "M02", {"name": "Sagssystemet"}, "da")
    m02 = changed.competences[0]
    assert m02.local("da") == Wording("Sagssystemet", "Bruge fagsystemer", "Opgavestyring")
    assert m02.local("en") == Wording(None, "Use systems", "Task management")


def test_with_wording_in_english_adds_english_wording() -> None:
    changed = with_wording(SPEC, "M05", {"name": "Collaboration"}, "en")
    m05 = changed.competences[1]
    assert m05.local("en") == Wording("Collaboration")
    assert m05.local("da") == Wording(None, "Bruge Teams")
