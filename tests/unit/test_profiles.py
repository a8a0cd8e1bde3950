"""Profile files: templates, targets, local competences, and errors that name the entry."""

from __future__ import annotations

import pytest

from catalog.profiles import ProfileError, parse_profile


def test_template_with_default_target_keeps_the_local_wording() -> None:
    spec = parse_profile({"template": "materialegaard"}, default_target=3)
    assert len(spec.competences) == 22
    assert {e.target for e in spec.competences} == {3}
    m18 = next(e for e in spec.competences if e.id == "M18")
    assert m18.name == "Brug data andre har skabt"
    assert spec.name.startswith("Materialegården")


def test_template_in_english_uses_the_translated_wording() -> None:
    spec = parse_profile({"template": "materialegaard", "language": "en"}, default_target=2)
    m18 = next(e for e in spec.competences if e.id == "M18")
    assert m18.name is not None and "data" in m18.name and "Brug" not in m18.name


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
