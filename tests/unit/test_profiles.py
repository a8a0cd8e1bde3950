"""Profile files: templates, targets, local competences, and errors that name the entry."""

from __future__ import annotations

import pytest
import yaml

from catalog.profiles import ProfileError, Wording, parse_profile, profile_to_document


def test_template_with_default_target_keeps_the_local_wording() -> None:
    spec = parse_profile({"template": "materialegaard"}, default_target=3)
    assert len(spec.competences) == 22
    assert {e.target for e in spec.competences} == {3}
    m18 = next(e for e in spec.competences if e.id == "M18")
    assert m18.local("da").name == "Brug data andre har skabt"
    assert spec.name.startswith("Materialegården")


def test_template_carries_the_local_wording_in_both_languages() -> None:
    spec = parse_profile({"template": "materialegaard", "language": "en"}, default_target=2)
    m18 = next(e for e in spec.competences if e.id == "M18")
    assert m18.local("en").name == "Use data created by others"
    assert m18.local("da").name == "Brug data andre har skabt"
    assert spec.name.endswith("staff in the field")


def test_a_plain_text_is_in_the_profiles_language_a_map_gives_each() -> None:
    spec = parse_profile(
        {
            "language": "en",
            "competences": [
                {"id": "M02", "target": 3, "name": "Our systems"},
                {"id": "M05", "target": 2, "examples": {"da": "Teams-møder", "en": "Meetings"}},
            ],
        }
    )
    m02, m05 = spec.competences
    assert m02.wording == {"en": Wording(name="Our systems")}
    assert m05.local("da").examples == "Teams-møder" and m05.local("en").examples == "Meetings"


def test_an_override_replaces_a_field_in_every_language() -> None:
    """A new Danish description makes the template's English one stale: it goes, and an
    English round shows the catalog's English description instead."""
    spec = parse_profile(
        {"template": "materialegaard", "competences": [{"id": "M02", "description": "Ny"}]},
        default_target=3,
    )
    m02 = spec.competences[0]
    assert m02.local("da").description == "Ny" and m02.local("en").description is None
    assert m02.local("en").examples  # the fields not given stay in both languages


@pytest.mark.parametrize("template", ["materialegaard", "medarbejder"])
@pytest.mark.parametrize("language", ["da", "en"])
def test_export_reads_back_unchanged(template: str, language: str) -> None:
    spec = parse_profile({"template": template, "language": language}, default_target=3)
    document = profile_to_document(spec)
    assert parse_profile(yaml.safe_load(yaml.safe_dump(document, allow_unicode=True))) == spec


def test_targets_map_sets_levels_drops_zero_and_adds_catalog_ids() -> None:
    spec = parse_profile(
        {"template": "materialegaard", "targets": {"M02": 4, "M04": 0, "L01": 2}},
        default_target=3,
    )
    ids = [e.id for e in spec.competences]
    assert "M04" not in ids
    assert ids[-1] == "L01"
    assert next(e.target for e in spec.competences if e.id == "M02") == 4


def test_missing_targets_are_named() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile({"template": "materialegaard", "targets": {"M02": 3}})
    assert "M04" in str(caught.value) and "M02" not in str(caught.value)
    assert "--default-target" in str(caught.value)


def test_local_competence_needs_name_and_dimension() -> None:
    good = {"id": "local-driftsweb", "name": "Driftsweb", "dimension": "M1", "target": 4}
    spec = parse_profile({"competences": [good]})
    assert spec.competences[0].dimension == "M1"
    with pytest.raises(ProfileError, match="local-x: a local competence needs a name"):
        parse_profile({"competences": [{"id": "local-x", "target": 2}]})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"competences": [{"id": "M99", "target": 3}]}, "M99: not in the catalog"),
        ({"competences": [{"id": "M02", "target": 6}]}, "M02: target must be a whole number 0–5"),
        ({"competences": [{"id": "M02", "target": "high"}]}, "M02: target must be"),
        ({"competences": [{"id": "M02", "target": True}]}, "M02: target must be"),
        ({"competences": [{"target": 3}]}, r"competences\[0\]: needs an id"),
        ({"competences": "M02"}, "competences: must be a list"),
        ({"competences": [{"id": "M02", "target": 1, "name": {"de": "x"}}]}, "M02: name must be"),
        ({"competences": [{"id": "M02", "target": 1, "name": ["x"]}]}, "M02: name must be"),
        (["M02"], "must be a YAML mapping"),
        ({"template": "nope"}, "unknown template 'nope'"),
        ({"language": "de", "competences": [{"id": "M02", "target": 1}]}, "language: must be"),
        ({"competences": [{"id": "M02", "target": 0}]}, "every target is 0"),
        (
            {"competences": [{"id": "M02", "target": 1}, {"id": "M02", "target": 2}]},
            "M02: listed twice",
        ),
    ],
)
def test_bad_profiles_are_refused_with_the_entry_named(document: object, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        parse_profile(document)
