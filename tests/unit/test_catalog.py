"""The catalog is what every prompt shows: complete, bilingual and faithful to KL's text."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from catalog.loader import load_catalog
from catalog.profiles import TEMPLATES, _template_data

CATALOG = load_catalog()


def test_ids_are_complete_unique_and_in_catalog_order() -> None:
    expected = [f"M{i:02d}" for i in range(1, 61)] + [f"L{i:02d}" for i in range(1, 23)]
    assert list(CATALOG.competences) == expected


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_competence_and_dimension_speaks_both_languages(language: str) -> None:
    for competence in CATALOG.competences.values():
        assert competence.name(language).strip(), competence.id
        assert competence.description(language).strip(), competence.id
        assert competence.area(language).strip(), competence.id
    for dimension in CATALOG.dimensions.values():
        assert dimension.name(language).strip(), dimension.id
        assert dimension.description(language).strip(), dimension.id
    assert len(CATALOG.scale) == 6
    assert all(level.label(language) for level in CATALOG.scale)


def test_english_is_a_translation_not_a_copy() -> None:
    same = [c.id for c in CATALOG.competences.values() if c.description.da == c.description.en]
    assert same == []


def test_dimensions_and_areas_follow_the_design() -> None:
    dims = {d.id: d.name.da for d in CATALOG.dimensions.values()}
    assert dims["M1"] == "Anvendelseskompetencer"
    assert dims["L4"] == "Databrug og -sikkerhed"
    assert CATALOG.competence("M14").area.da == "Kompetencer omkring data"
    assert CATALOG.competence("M19").area.da == "Data- og informationssikkerhed"
    assert CATALOG.competence("M24").area.da == "Teknologiforståelse"  # no sub-heading
    assert CATALOG.competence("L07").area.da == "Anskaffelse, implementering og drift"
    assert CATALOG.competence("L18").area.da == "Omverdensforståelse"
    assert CATALOG.competence("M51").area.da == "Underliggende kompetencer"  # no sub-heading
    assert CATALOG.dimensions["L5"].uses == tuple(f"M{i:02d}" for i in range(1, 14))
    assert {c.edition for c in CATALOG.of_edition("leader")} == {"leader"}
    assert len(CATALOG.of_edition("leader")) == 22


SOURCE_HEADINGS = {
    **dict.fromkeys(
        ("M35", "M36", "M37", "M38", "M39", "M40"),
        "Formidling af digitalisering til borgere, virksomheder og kolleger",
    ),
    "M41": "Deltage i anskaffelses- og implementeringsprocesser",
    **dict.fromkeys(
        ("M42", "M43", "M44", "M45", "M46", "M47"), "Deltage i udviklingsprocesser- og projekter"
    ),
    **dict.fromkeys(("M48", "M49", "M50"), "Bidrage til innovation"),
}


@pytest.mark.parametrize(("cid", "heading"), SOURCE_HEADINGS.items())
def test_areas_of_m35_to_m50_are_the_source_headings(cid: str, heading: str) -> None:
    competence = CATALOG.competence(cid)
    assert competence.area.da == heading
    assert CATALOG.area(cid).name == competence.area
    assert competence.area.en != heading


def test_groups_within_an_area_are_data() -> None:
    groups = {cid: c.group.da for cid, c in CATALOG.competences.items() if c.group is not None}
    assert list(groups) == [f"M{i:02d}" for i in (*range(1, 14), *range(51, 61))]
    assert len({groups[f"M{i:02d}"] for i in range(1, 14)}) == 5
    assert groups["M02"] == groups["M05"] == "Kunne anvende relevante programmer i hverdagen"
    assert groups["M12"] == "Kunne anvende andet digitalt styret teknisk udstyr"
    assert groups["M53"] == "Læse, skrive, sprog"
    assert groups["M54"] == groups["M60"] == "Personlige egenskaber"


def test_area_introductions_are_loaded() -> None:
    intros = [
        area.name.da
        for dimension in CATALOG.dimensions.values()
        for area in dimension.areas
        if area.description is not None
    ]
    assert intros == [
        "Brugerkompetencer",
        "Kompetencer omkring data",
        "Data- og informationssikkerhed",
        "Digital kommunikation en til mange",
        "Digital kommunikation en til en",
        "Formidling af digitalisering til borgere, virksomheder og kolleger",
    ]
    users = CATALOG.area("M01").description
    assert users is not None and "listen over brugerkompetencer tilpasses" in users.da
    data = CATALOG.area("M14").description
    assert data is not None and "information bearbejdet af og/eller lagret" in data.da


def test_only_l02_carries_a_name_the_project_supplies() -> None:
    supplied = [c.id for c in CATALOG.competences.values() if c.name_supplied]
    assert supplied == ["L02"]


def test_spot_checks_against_the_seed_text() -> None:
    m19 = CATALOG.competence("M19").description.da
    assert "persondatalov" in m19 and "forvaltningslov" in m19
    m13 = CATALOG.competence("M13").examples
    assert m13 is not None
    for word in ("robot", "køkken", "rengøring", "vej", "park"):
        assert word in m13.da.lower(), word
    assert CATALOG.competence("M02").name.da == (
        "Anvende fagsystemer & administrative systemer, tekstbehandling etc."
    )
    assert CATALOG.competence("L02").name.da.startswith("Kunne arbejde strategisk med udviklingen")
    assert (
        CATALOG.scale_label(5, "da") == "er ekspert på området og kan hjælpe andre med at lære det"
    )
    assert CATALOG.scale_label(0, "da") == "har ingen viden eller kompetencer på området"


def test_no_pdf_furniture_survived() -> None:
    for competence in CATALOG.competences.values():
        for text in (competence.name, competence.description, competence.examples):
            if text is None:
                continue
            assert "Fortsættes" not in text.da, competence.id
            assert "Kompetence Beskrivelse" not in text.da, competence.id
            assert "-\n" not in text.da, competence.id


@pytest.mark.parametrize("name", TEMPLATES)
def test_templates_reference_only_catalog_ids(name: str) -> None:
    ids = [item["id"] for item in _template_data(name)["competences"]]
    assert ids and all(cid in CATALOG.competences for cid in ids)
    assert len(ids) == len(set(ids))


def test_materialegaard_template_carries_the_local_wording() -> None:
    items = {item["id"]: item for item in _template_data("materialegaard")["competences"]}
    assert (
        list(items)
        == (
            "M02 M04 M05 M10 M11 M13 M14 M18 M23 M28 M32 M41 M44 M48 M49 M50 "
            "M51 M52 M54 M55 M59 M60"
        ).split()
    )
    assert "Opgavestyringssystemet" in items["M02"]["examples"]["da"]
    assert "Græsklipperrobotter" in items["M13"]["examples"]["da"]
    assert items["M18"]["name"]["da"] == "Brug data andre har skabt"
    assert all("target" not in item for item in items.values())


def test_catalog_list_json_in_english_prints_all_82(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "list", "--json", "--lang", "en"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 82
    assert {"id", "edition", "dimension", "area", "name", "description", "examples"} <= set(rows[0])
    m14 = next(r for r in rows if r["id"] == "M14")
    assert m14["area"] != "Kompetencer omkring data"  # translated


def test_catalog_list_leader_edition(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "list", "--edition", "leader", "--json"]) == 0
    ids = [row["id"] for row in json.loads(capsys.readouterr().out)]
    assert ids == [f"L{i:02d}" for i in range(1, 23)]


def test_catalog_show_unknown_id_is_a_polite_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "show", "M99"]) == 2
    assert "M99" in capsys.readouterr().err


@pytest.mark.parametrize("language", ["da", "en"])
def test_catalog_show_gives_the_sub_area_in_both_languages(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalog", "show", "M41", "--lang", language]) == 0
    out = capsys.readouterr().out
    assert "Deltage i anskaffelses- og implementeringsprocesser" in out
    assert "Take part in acquisition and implementation processes" in out
    dimension = CATALOG.dimensions["M4"]
    assert f"M4 {dimension.name(language)}" in out
    assert dimension.description(language) in out  # its introduction, in the language asked for


def test_catalog_show_gives_group_area_introduction_and_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["catalog", "show", "m03"]) == 0
    out = capsys.readouterr().out
    assert "Kunne anvende relevante programmer i hverdagen" in out
    assert "listen over brugerkompetencer tilpasses" in out
    assert "Automatisering er på vej" in out


def test_catalog_show_says_l02s_name_is_the_projects(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "show", "L02", "--lang", "en"]) == 0
    assert "the name is the Kompetencebot project's" in capsys.readouterr().out
    assert main(["catalog", "show", "L01", "--lang", "en"]) == 0
    assert "the name is" not in capsys.readouterr().out


def test_catalog_list_carries_groups_and_the_supplied_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["catalog", "list", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["M06"]["group"] == "Kende/kunne anvende borger- og virksomhedsrettede løsninger"
    assert rows["M14"]["group"] == ""
    assert [cid for cid, row in rows.items() if row["name_supplied"]] == ["L02"]
    assert main(["catalog", "list", "--edition", "employee"]) == 0
    text = capsys.readouterr().out
    headings = ["M1 Anvendelseskompetencer", "Brugerkompetencer", "Kunne anvende relevante pro"]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)
    assert text.index("Bidrage til innovation") < text.index("M48")
