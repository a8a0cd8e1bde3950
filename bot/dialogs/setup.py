"""Setup (leader): choose a starting point, pick competences and targets, adapt wording.

The catalog's steps 1–3 as forms. Setting a target to 0 drops a competence (step 1);
levels 1–5 are the targets (step 3); the wording form is step 2. The form buttons carry the
team and starting point, so no half-finished setup needs to be kept anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.i18n import t
from bot.views import Button, Field, Form, Option
from catalog.loader import load_catalog
from catalog.profiles import TEMPLATES, ProfileEntry, ProfileSpec

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
        intro=t("setup.base_intro", language),
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


def targets_form(
    language: str, team_key: str, base: str, profile_language: str, candidates: Sequence[Candidate]
) -> Form:
    catalog = load_catalog()
    levels = tuple(
        Option(str(level), t("setup.level_zero", language) if level == 0 else str(level))
        for level in range(6)
    )
    fields = tuple(
        Field(
            c.id,
            f"{c.id} {c.name}",
            options=levels,
            value=str(c.target),
            group=f"{c.dimension} {catalog.dimensions[c.dimension].name(language)}"
            if c.dimension in catalog.dimensions
            else c.dimension,
        )
        for c in candidates
    )
    data = {"t": team_key, "base": base, "lang": profile_language}
    return Form(
        key="setup-targets",
        title=t("setup.title", language),
        intro=t("setup.targets_intro", language),
        fields=fields,
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
        intro=t("setup.wording_intro", language),
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


WORDING = ("name", "description", "examples")


def with_wording(
    spec: ProfileSpec, competence_id: str, fields: Mapping[str, object]
) -> ProfileSpec:
    """The profile with one competence's local wording changed (step 2); an empty field keeps
    what was there."""
    changes = {
        key: str(fields[key]).strip() for key in WORDING if str(fields.get(key) or "").strip()
    }
    entries = tuple(
        replace(
            entry,
            name=changes.get("name", entry.name),
            description=changes.get("description", entry.description),
            examples=changes.get("examples", entry.examples),
        )
        if entry.id == competence_id
        else entry
        for entry in spec.competences
    )
    return ProfileSpec(spec.name, spec.language, entries)
