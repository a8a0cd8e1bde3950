"""The catalog's own guidance where people decide: `hjælp`, `metode`, setup and `catalog show`.

The quotes are catalog data (KL's text, and the project's translation of it); only the
framing around them is ours (texts/method.yaml). Nothing here keeps state or reads storage.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.dialogs.commands import command_lines
from bot.i18n import t
from bot.views import Message
from catalog.loader import load_catalog


def scale_lines(language: str) -> str:
    """The catalog's 0–5 scale, one level a line."""
    return "\n".join(f"*{s.level}* · {s.label(language)}" for s in load_catalog().scale)


def step_summaries(language: str, numbers: Iterable[int] = range(1, 6)) -> str:
    wanted = set(numbers)
    steps = load_catalog().method.steps
    return "\n".join(f"{s.number}. {s.summary(language)}" for s in steps if s.number in wanted)


def help_message(language: str) -> Message:
    """The commands, then the method in five lines: help is where people look first."""
    method = t("method.in_short", language, steps=step_summaries(language))
    return Message(t("help.text", language, commands=command_lines(language)) + "\n\n" + method)


def method_message(language: str) -> Message:
    """Section 4 in the catalog's words: what it is for, when, and the five steps in full."""
    catalog = load_catalog()
    method = catalog.method
    steps = []
    for step in method.steps:
        text = step.text(language)
        if step.number == 3:
            text += "\n" + scale_lines(language)
        if step.number == 4:
            text += "\n\n" + method.calibration(language)
        steps.append(f"*{step.number}.* {text}")
    return Message(
        t(
            "method.text",
            language,
            purpose=method.purpose(language),
            not_everyone=method.not_everyone(language),
            occasions=method.occasions(language),
            together=method.together(language),
            steps="\n\n".join(steps),
            source=catalog.source_note(language),
        )
    )


def setup_advice(language: str) -> str:
    """Steps 1–3 and the advice to take them together with the employees."""
    return t("method.setup", language, steps=step_summaries(language, (1, 2, 3)))


def wording_advice(language: str) -> str:
    step = load_catalog().method.steps[1]
    return t("method.wording", language, step=step.text(language))


def competence_text(competence_id: str, language: str) -> str:
    """One competence in full with what surrounds it in the source: the dimension, the area
    (its name in both languages, for checking against the source), the group, and the
    introductions people read before they choose."""
    catalog = load_catalog()
    competence = catalog.competence(competence_id)
    dimension = catalog.dimensions[competence.dimension]
    area = catalog.area(competence_id)
    other = "en" if language == "da" else "da"
    lines = [
        f"{competence.id} {competence.name(language)}",
        f"{t('catalog.dimension', language)}: {dimension.id} {dimension.name(language)}",
    ]
    if area.name != dimension.name:
        lines.append(
            f"{t('catalog.area', language)}: {area.name(language)} ({other}: {area.name(other)})"
        )
    if competence.group:
        lines.append(f"{t('catalog.group', language)}: {competence.group(language)}")
    if competence.name_supplied:
        lines.append(t("catalog.name_supplied", language))
    sections = [(t("catalog.description", language), competence.description(language))]
    if competence.examples:
        sections.append((t("catalog.examples", language), competence.examples(language)))
    if area.description:
        sections.append((t("catalog.about_area", language), area.description(language)))
    sections.append((t("catalog.about_dimension", language), dimension.description(language)))
    for title, body in sections:
        lines += ["", f"{title}:", body]
    lines += ["", catalog.source_note(language)]
    return "\n".join(lines)
