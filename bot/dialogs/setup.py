"""Setup (leader): choose a starting point, pick competences and targets, adapt wording.

The catalog's steps 1–3 as forms. Setting a target to 0 drops a competence (step 1);
levels 1–5 are the targets (step 3); the wording form is step 2. Each form quotes the
catalog's advice for its step, and competences sit under the source's headings with the
area introductions a leader should read while choosing. The form buttons carry the team
and starting point, so no half-finished setup needs to be kept anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.dialogs.guidance import setup_advice, wording_advice
from bot.i18n import t
from bot.views import Button, Field, Form, Option
from catalog.loader import load_catalog
from catalog.models import Catalog, Dimension
from catalog.profiles import TEMPLATES, WORDING, ProfileEntry, ProfileSpec, Wording

CURRENT = "current"
BASES = (CURRENT, *TEMPLATES)
PREFILL = {"materialegaard": 3, "medarbejder": 0, "leder": 0}


@dataclass(frozen=True)
class Candidate:
    """A competence the leader may include, with its current or suggested target."""

    id: str
    name: str
    dimension: str
    target: int


def base_form(language: str, team_key: str, has_profile: bool) -> Form:
    bases = BASES if has_profile else TEMPLATES
    return Form(
        key="setup-base",
        title=t("setup.title", language),
        intro=t("setup.base_intro", language) + "\n\n" + setup_advice(language),
        fields=(
            Field(
                "base",
                t("setup.base_label", language),
                options=tuple(Option(b, t(f"setup.base.{b}", language)) for b in bases),
                value=bases[0],
            ),
            Field(
                "language",
                t("setup.language_label", language),
                options=(Option("da", "Dansk"), Option("en", "English")),
                value=language,
            ),
        ),
        submit=(Button(t("button.next", language), "setup-base", {"t": team_key}, "primary"),),
    )


def _place(
    catalog: Catalog, candidate: Candidate, language: str, borrowed: Mapping[str, Dimension]
) -> tuple[str, str, str | None]:
    """Where a competence sits in the source: its section (dimension, and area where it has
    one), the heading shown (the section and the group within it) and the section's
    introductions. A local competence sits under its dimension."""
    dimension = catalog.dimensions.get(candidate.dimension)
    if dimension is None:
        return candidate.dimension, candidate.dimension, None
    section = f"{dimension.id} {dimension.name(language)}"
    if candidate.id not in catalog.competences:
        return section, section, None
    area = catalog.area(candidate.id)
    intros = [area.description(language)] if area.description else []
    lender = borrowed.get(candidate.id)
    if lender is not None:
        section = f"{lender.id} {lender.name(language)}"
        intros.insert(0, lender.description(language))
    elif area.name != dimension.name:
        section += f" · {area.name(language)}"
    group = catalog.competence(candidate.id).group
    heading = f"{section} · {group(language)}" if group else section
    return section, heading, "\n\n".join(intros) or None


def targets_form(
    language: str, team_key: str, base: str, profile_language: str, candidates: Sequence[Candidate]
) -> Form:
    catalog = load_catalog()
    levels = tuple(
        Option(str(level), t("setup.level_zero", language) if level == 0 else str(level))
        for level in range(6)
    )
    editions = {
        catalog.competences[c.id].edition for c in candidates if c.id in catalog.competences
    }
    # In a list with leader competences, the user competences leaders share with employees
    # sit under the leaders' own heading (L5) and its advice, as in the leader edition.
    borrowed = {
        cid: dimension
        for dimension in catalog.dimensions.values()
        if dimension.edition in editions
        for cid in dimension.uses
    }
    fields = []
    previous = None
    for c in candidates:
        section, heading, intro = _place(catalog, c, language, borrowed)
        fields.append(
            Field(
                c.id,
                f"{c.id} {c.name}",
                options=levels,
                value=str(c.target),
                group=heading,
                group_intro=intro if section != previous else None,
            )
        )
        previous = section
    # What the catalog says about each edition in the list: which dimensions most people need.
    about = [
        f"*{catalog.editions[e](language)}:* {catalog.edition_descriptions[e](language)}"
        for e in catalog.editions
        if e in editions
    ]
    data = {"t": team_key, "base": base, "lang": profile_language}
    return Form(
        key="setup-targets",
        title=t("setup.title", language),
        intro="\n\n".join([t("setup.targets_intro", language), *about]),
        fields=tuple(fields),
        submit=(Button(t("button.save", language), "setup-save", data, "primary"),),
    )


def read_targets(fields: Mapping[str, object], allowed: Sequence[str]) -> dict[str, int] | str:
    """The submitted targets, or the i18n key of why they were refused."""
    targets: dict[str, int] = {}
    for cid in allowed:
        raw = fields.get(cid)
        try:
            value = int(str(raw))
        except ValueError:
            return "setup.error_target"
        if not 0 <= value <= 5:
            return "setup.error_target"
        targets[cid] = value
    if not any(targets.values()):
        return "setup.error_empty"
    return targets


def wording_form(language: str, team_key: str, choices: Sequence[tuple[str, str]]) -> Form:
    return Form(
        key="setup-wording",
        title=t("setup.wording_title", language),
        intro=t("setup.wording_intro", language) + "\n\n" + wording_advice(language),
        fields=(
            Field(
                "competence",
                t("setup.wording_competence", language),
                options=tuple(Option(cid, f"{cid} {name}") for cid, name in choices),
                value=choices[0][0] if choices else None,
            ),
            Field("name", t("setup.wording_name", language), type="text"),
            Field("description", t("setup.wording_description", language), type="textarea"),
            Field("examples", t("setup.wording_examples", language), type="textarea"),
        ),
        submit=(
            Button(t("button.save", language), "setup-wording-save", {"t": team_key}, "primary"),
        ),
    )


def with_targets(spec: ProfileSpec, targets: Mapping[str, int]) -> tuple[ProfileEntry, ...]:
    """The profile's competences with the chosen targets; a target of 0 drops one (step 1)."""
    return tuple(
        replace(entry, target=targets[entry.id])
        for entry in spec.competences
        if targets[entry.id] > 0
    )


def with_wording(
    spec: ProfileSpec, competence_id: str, fields: Mapping[str, object], language: str
) -> ProfileSpec:
    """The profile with one competence's local wording changed in `language` (step 2); an
    empty field keeps what was there."""
    changes = {
        key: str(fields[key]).strip() for key in WORDING if str(fields.get(key) or "").strip()
    }
    entries = tuple(
        entry.reworded({language: Wording(**changes)}) if entry.id == competence_id else entry
        for entry in spec.competences
    )
    return ProfileSpec(spec.name, spec.language, entries)
