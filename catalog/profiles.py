"""Target-profile files (DESIGN.md format): parse, resolve templates, validate against the catalog.

Validation collects every problem before failing, so a leader fixes a file in one go.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml

from catalog.loader import load_catalog
from catalog.models import LANGUAGES, Catalog
from catalog.safe_yaml import YamlFileError, load_file

CATALOG_ID = re.compile(r"^[ML]\d\d$")
LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
TEMPLATES = ("materialegaard", "medarbejder", "leder")
WORDING = ("name", "description", "examples")


class ProfileError(ValueError):
    """A profile that cannot be used; `problems` names each bad entry."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Wording:
    """A competence's local wording in one language (step 2); None: the catalog's text."""

    name: str | None = None
    description: str | None = None
    examples: str | None = None


@dataclass(frozen=True)
class ProfileEntry:
    """`wording` by language: a round reads only its own language's, so an English round
    never shows the Danish local text (it falls back to the catalog's English)."""

    id: str
    target: int | None = None
    wording: Mapping[str, Wording] = field(default_factory=dict)
    dimension: str | None = None

    def local(self, language: str) -> Wording:
        return self.wording.get(language) or Wording()

    def reworded(self, wording: Mapping[str, Wording]) -> ProfileEntry:
        """The entry with the fields `wording` gives (in any language) replaced in every
        language: another language's old text no longer translates the new wording."""
        given = {k for w in wording.values() for k in WORDING if getattr(w, k)}
        merged: dict[str, Wording] = {}
        for lang in LANGUAGES:
            old, new = self.local(lang), wording.get(lang) or Wording()
            text = Wording(**{k: getattr(new if k in given else old, k) for k in WORDING})
            if text != Wording():
                merged[lang] = text
        return replace(self, wording=merged)


@dataclass(frozen=True)
class ProfileSpec:
    """A validated profile: every entry has a target 1–5 (0 has dropped out)."""

    name: str
    language: str
    competences: tuple[ProfileEntry, ...]


@cache
def _template_data(name: str) -> dict[str, Any]:
    raw = resources.files("catalog").joinpath("templates", f"{name}.yaml").read_text("utf-8")
    return cast(dict[str, Any], yaml.safe_load(raw))


def read_source(file_or_template: str) -> Any:
    """A profile document from a YAML file, or a built-in template's name."""
    if file_or_template in TEMPLATES and not Path(file_or_template).exists():
        return {"template": file_or_template}
    try:
        return load_file(Path(file_or_template))
    except FileNotFoundError:
        names = ", ".join(TEMPLATES)
        raise ProfileError([f"{file_or_template}: no such file or template ({names})"]) from None
    except OSError as exc:
        raise ProfileError([f"{file_or_template}: cannot be read ({exc})"]) from None
    except YamlFileError as exc:
        raise ProfileError([f"{file_or_template}: {exc}"]) from None


def _by_language(value: Any, language: str) -> dict[str, str] | None:
    """A wording field: a plain text (in the profile's language) or `{da: …, en: …}`;
    None when it is neither."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        texts = {language: value}
    elif isinstance(value, Mapping) and set(value) <= set(LANGUAGES):
        texts = dict(value)
    else:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in texts.values()):
        return None
    return {lang: str(text).strip() for lang, text in texts.items() if str(text).strip()}


def _entry_wording(
    item: Mapping[str, Any], language: str, problems: list[str]
) -> dict[str, Wording] | None:
    cid = item["id"]
    fields: dict[str, dict[str, str]] = {}
    for key in WORDING:
        if item.get(key) is None:
            continue
        texts = _by_language(item[key], language)
        if texts is None:
            problems.append(f"{cid}: {key} must be text, or texts by language ({{da: …, en: …}})")
            return None
        fields[key] = texts
    wording = {
        lang: Wording(**{key: texts.get(lang) for key, texts in fields.items()})
        for lang in LANGUAGES
    }
    return {lang: w for lang, w in wording.items() if w != Wording()}


def template_entries(name: str, language: str) -> tuple[str, list[ProfileEntry]]:
    """A template's title in `language` and its entries (no targets) in every language."""
    data = _template_data(name)
    entries = [
        ProfileEntry(str(item["id"]), wording=_entry_wording(item, "da", []) or {})
        for item in data["competences"]
    ]
    title = data.get("name_en") if language == "en" and data.get("name_en") else data["name"]
    return str(title), entries


def _target(value: Any, where: str, problems: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
        problems.append(f"{where}: target must be a whole number 0–5 (got {value!r})")
        return None
    return value


def _entry(item: Any, index: int, language: str, problems: list[str]) -> ProfileEntry | None:
    if not isinstance(item, Mapping) or "id" not in item:
        problems.append(f"competences[{index}]: needs an id")
        return None
    cid = str(item["id"])
    if not (CATALOG_ID.match(cid) or LOCAL_ID.match(cid)):
        problems.append(f"{cid!r}: not a valid competence id")
        return None
    dimension = item.get("dimension")
    if dimension is not None and not isinstance(dimension, str):
        problems.append(f"{cid}: dimension must be text")
        return None
    wording = _entry_wording(item, language, problems)
    if wording is None:
        return None
    target = _target(item.get("target"), cid, problems)
    return ProfileEntry(cid, target, wording, dimension.strip() if dimension else None)


def _merge(base: ProfileEntry, override: ProfileEntry) -> ProfileEntry:
    changes = {k: getattr(override, k) for k in ("target", "dimension")}
    merged = base.reworded(override.wording)
    return replace(merged, **{k: v for k, v in changes.items() if v is not None})


def _check(entry: ProfileEntry, catalog: Catalog, problems: list[str]) -> None:
    if entry.id in catalog.competences:
        return
    if CATALOG_ID.match(entry.id):
        problems.append(f"{entry.id}: not in the catalog")
    elif not any(w.name for w in entry.wording.values()):
        problems.append(f"{entry.id}: a local competence needs a name")
    elif entry.dimension not in catalog.dimensions or not catalog.dimensions[entry.dimension]:
        problems.append(f"{entry.id}: a local competence needs a catalog dimension (M1–M5, L1–L4)")


def parse_profile(
    document: Any, *, default_target: int | None = None, catalog: Catalog | None = None
) -> ProfileSpec:
    """Resolve template, `targets:` and `competences:` into one validated profile."""
    catalog = catalog or load_catalog()
    if not isinstance(document, Mapping):
        raise ProfileError(["the profile must be a YAML mapping (name, language, competences)"])
    problems: list[str] = []
    language = str(document.get("language") or "da")
    if language not in LANGUAGES:
        problems.append(f"language: must be da or en (got {language!r})")
        language = "da"
    name = str(document.get("name") or "")
    entries: dict[str, ProfileEntry] = {}

    template = document.get("template")
    if template is not None:
        if template not in TEMPLATES:
            problems.append(f"template: unknown template {template!r} ({', '.join(TEMPLATES)})")
        else:
            title, listed = template_entries(str(template), language)
            name = name or title
            entries = {e.id: e for e in listed}

    targets = document.get("targets") or {}
    if not isinstance(targets, Mapping):
        problems.append("targets: must map competence ids to levels, e.g. {M02: 3}")
        targets = {}
    for cid, value in targets.items():
        target = _target(value, str(cid), problems)
        entries[str(cid)] = replace(entries.get(str(cid), ProfileEntry(id=str(cid))), target=target)

    listed_items = document.get("competences") or []
    if not isinstance(listed_items, list):
        problems.append("competences: must be a list of entries with an id")
        listed_items = []
    seen: set[str] = set()
    for index, item in enumerate(listed_items):
        entry = _entry(item, index, language, problems)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(f"{entry.id}: listed twice")
        seen.add(entry.id)
        entries[entry.id] = _merge(entries[entry.id], entry) if entry.id in entries else entry

    for entry in entries.values():
        _check(entry, catalog, problems)
    missing = [e.id for e in entries.values() if e.target is None]
    if missing and default_target is None:
        problems.append(f"no target for {', '.join(missing)} (or give --default-target N)")
    if problems:
        raise ProfileError(problems)

    resolved = tuple(
        e if e.target is not None else replace(e, target=default_target) for e in entries.values()
    )
    kept = tuple(e for e in resolved if e.target)
    if not kept:
        raise ProfileError(["every target is 0: the profile has no competences left"])
    return ProfileSpec(name=name, language=language, competences=kept)


def _document_entry(entry: ProfileEntry, language: str) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry.id, "target": entry.target}
    for key in WORDING:
        texts: dict[str, str] = {
            lang: text for lang in LANGUAGES if (text := getattr(entry.local(lang), key))
        }
        if set(texts) == {language}:
            item[key] = texts[language]
        elif texts:
            item[key] = texts
    if entry.dimension:
        item["dimension"] = entry.dimension
    return item


def profile_to_document(spec: ProfileSpec) -> dict[str, Any]:
    """The YAML document `profile export` writes; `profile import` reads it back unchanged.
    A wording field given only in the profile's language stays a plain text."""
    return {
        "name": spec.name,
        "language": spec.language,
        "competences": [_document_entry(e, spec.language) for e in spec.competences],
    }
