"""The catalog's own guidance reaches people where they decide, in their language."""

from __future__ import annotations

import pytest

from bot.dialogs import guidance, results, setup
from bot.dialogs.commands import parse_command
from bot.services.summary import CompetenceSummary, Participation, Summary
from bot.views import Form
from catalog.loader import load_catalog
from catalog.profiles import TEMPLATES, template_entries
from tests.support.catalog_texts import catalog_texts

CATALOG = load_catalog()
METHOD = CATALOG.method
LANGUAGES = ("da", "en")


def targets(base: str, language: str) -> Form:
    _, entries = template_entries(base, language)
    known = [CATALOG.competence(e.id) for e in entries]
    candidates = [setup.Candidate(c.id, c.name(language), c.dimension, 0) for c in known]
    return setup.targets_form(language, "C1", base, language, candidates)


def form_text(form: Form) -> str:
    parts = [form.title, form.intro]
    for field in form.fields:
        parts += [field.label, field.group or "", field.group_intro or ""]
    return "\n".join(parts)


def calibrating_summary() -> Summary:
    spread = CompetenceSummary(
        id="M02",
        name="Fagsystemer",
        dimension="M1",
        target=3,
        n=4,
        suppressed=False,
        mean=2.5,
        median=2.5,
        distribution=(0, 1, 1, 1, 1, 0),
        gap=0.5,
        below_target=0.5,
        calibrate=True,
        spread=(1, 4),
    )
    return Summary(Participation(4, 4, 1.0), (spread,), (), ("M02",), 3)


@pytest.mark.parametrize(("word", "verb"), [("metode", "method"), ("method", "method")])
def test_method_is_a_command_word(word: str, verb: str) -> None:
    assert parse_command(word).verb == verb


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_summarises_the_five_steps(language: str) -> None:
    text = guidance.help_message(language).text
    for step in METHOD.steps:
        assert f"{step.number}. {step.summary(language)}" in text
    assert ("`metode`" if language == "da" else "`method`") in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_method_gives_section_4_in_the_catalogs_words(language: str) -> None:
    text = guidance.method_message(language).text
    for quote in (METHOD.purpose, METHOD.not_everyone, METHOD.occasions, METHOD.together):
        assert quote(language) in text
    for step in METHOD.steps:
        assert step.text(language) in text
    assert METHOD.calibration(language) in text
    assert CATALOG.scale_label(5, language) in text
    assert CATALOG.source_note(language) in text
    positions = [text.index(step.text(language)) for step in METHOD.steps]
    assert positions == sorted(positions)


def test_method_names_the_occasions_and_the_dialogue() -> None:
    text = guidance.method_message("da").text
    for words in ("dialogredskab, ikke en facitliste", "medarbejderudviklingssamtaler",
                  "rekruttering", "temadag", "dialog mellem ledere og medarbejdere"):  # fmt: skip
        assert words in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_setup_starts_with_steps_1_to_3_and_doing_them_together(language: str) -> None:
    intro = setup.base_form(language, "C1", has_profile=False).intro
    for step in METHOD.steps[:3]:
        assert step.summary(language) in intro
    assert METHOD.steps[3].summary(language) not in intro
    assert ("sammen med holdet" if language == "da" else "together with the team") in intro
    assert METHOD.steps[1].text(language) in setup.wording_form(language, "C1", []).intro


@pytest.mark.parametrize("language", LANGUAGES)
def test_picking_competences_shows_the_area_introductions_once_each(language: str) -> None:
    form = targets("medarbejder", language)
    intros = [f.group_intro for f in form.fields if f.group_intro]
    expected = [
        area.description(language)
        for dimension in CATALOG.dimensions.values()
        if dimension.edition == "employee"
        for area in dimension.areas
        if area.description
    ]
    assert intros == expected
    users = CATALOG.area("M01").name(language)
    m01, m02 = (next(f for f in form.fields if f.name == cid) for cid in ("M01", "M02"))
    for field, cid in ((m01, "M01"), (m02, "M02")):
        group = CATALOG.competence(cid).group
        assert group is not None
        assert field.group == f"M1 {CATALOG.dimensions['M1'].name(language)} · {users} · " + group(
            language
        )
    assert m01.group_intro is not None and m02.group_intro is None  # once for the area
    m41 = next(f for f in form.fields if f.name == "M41")
    assert m41.group is not None and m41.group.endswith(CATALOG.area("M41").name(language))
    assert CATALOG.edition_descriptions["employee"](language) in form.intro
    assert CATALOG.edition_descriptions["leader"](language) not in form.intro


def test_a_leaders_list_quotes_both_editions_and_the_leaders_user_competences() -> None:
    form = targets("leder", "da")
    assert CATALOG.edition_descriptions["leader"]("da") in form.intro
    assert CATALOG.edition_descriptions["employee"]("da") in form.intro
    m01 = next(f for f in form.fields if f.name == "M01")
    assert m01.group_intro is not None
    assert m01.group_intro.startswith(CATALOG.dimensions["L5"].description("da"))
    assert "listen over brugerkompetencer tilpasses" in m01.group_intro
    groups = {f.group for f in form.fields if f.name.startswith("M")}
    assert len(groups) == 5 and all(g.startswith("L5 Brugerkompetencer · ") for g in groups)


def test_a_local_competence_sits_under_its_dimension_without_an_introduction() -> None:
    local = setup.Candidate("driftsweb", "Driftsweb", "M1", 3)
    [field] = setup.targets_form("da", "C1", "current", "da", [local]).fields
    assert field.group == "M1 Anvendelseskompetencer" and field.group_intro is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_summary_quotes_the_catalogs_calibration_paragraph(language: str) -> None:
    card = results.summary_card(calibrating_summary(), language, "Holdet")
    sections = (*card.sections, *card.details)
    [calibration] = [s for s in sections if any("M02" in line for line in s.lines[:1])][1:]
    assert METHOD.calibration(language) in calibration.lines[-1]


def test_every_text_the_catalog_loads_is_shown_to_someone() -> None:
    """Guidance that nobody reads is not kept: each text appears in help, `metode`, a setup
    form, the summary, or `catalog show`, in both languages."""
    seen = {language: "" for language in LANGUAGES}
    for language in LANGUAGES:
        views = [
            guidance.help_message(language).text,
            guidance.method_message(language).text,
            form_text(setup.base_form(language, "C1", has_profile=True)),
            form_text(setup.wording_form(language, "C1", [])),
            *(form_text(targets(base, language)) for base in TEMPLATES),
            *(guidance.competence_text(cid, language) for cid in CATALOG.competences),
        ]
        card = results.summary_card(calibrating_summary(), language, "Holdet")
        views += [line for s in (*card.sections, *card.details) for line in s.lines]
        seen[language] = "\n".join(views)
    unseen = [
        (where, language)
        for where, text in catalog_texts()
        for language in LANGUAGES
        if text(language) not in seen[language]
    ]
    assert unseen == []
