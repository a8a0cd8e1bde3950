"""Unit files (DESIGN.md, "Organisation units"): key, name, owners, a shared profile, teams.

Every problem is collected and named before anything is written, as with profiles. Whether
a team already belongs to another unit is the database's to tell (the import checks it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog.models import LANGUAGES
from catalog.profiles import ProfileError, ProfileSpec, parse_profile

KEY = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
PLATFORMS = ("slack", "teams", "web")


@dataclass(frozen=True)
class UnitSpec:
    key: str
    name: str
    language: str
    owners: tuple[tuple[str, str], ...]
    """(platform, user id)"""
    profile: ProfileSpec
    teams: tuple[tuple[str, str], ...]
    """(platform, team key)"""


def _pairs(
    document: Mapping[str, Any], field: str, second: str, problems: list[str]
) -> tuple[tuple[str, str], ...]:
    items = document.get(field)
    if not isinstance(items, list) or not items:
        problems.append(f"{field}: needs at least one entry {{platform: …, {second}: …}}")
        return ()
    found: list[tuple[str, str]] = []
    for index, item in enumerate(items):
        where = f"{field}[{index}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: must be {{platform: …, {second}: …}}")
            continue
        platform, value = item.get("platform"), item.get(second)
        if platform not in PLATFORMS:
            problems.append(f"{where}: platform must be one of {', '.join(PLATFORMS)}")
            continue
        if not isinstance(value, str | int) or not str(value).strip():
            problems.append(f"{where}: needs a {second}")
            continue
        pair = (str(platform), str(value).strip())
        if pair in found:
            problems.append(f"{where}: {pair[0]} {second} {pair[1]} is listed twice")
        found.append(pair)
    return tuple(found)


def parse_unit(document: Any) -> UnitSpec:
    """A validated unit; ProfileError names every bad entry."""
    if not isinstance(document, Mapping):
        raise ProfileError(["the unit must be a YAML mapping (key, name, owners, profile, teams)"])
    problems: list[str] = []
    key = str(document.get("key") or "")
    if not KEY.match(key):
        problems.append(f"key: {key!r} must be lower-case letters, digits and dashes (a-z0-9-)")
    name = str(document.get("name") or key)
    language = str(document.get("language") or "da")
    if language not in LANGUAGES:
        problems.append(f"language: must be da or en (got {language!r})")
        language = "da"
    owners = _pairs(document, "owners", "user", problems)
    teams = _pairs(document, "teams", "team", problems)
    raw_profile = document.get("profile")
    profile: ProfileSpec | None = None
    if not isinstance(raw_profile, Mapping):
        problems.append("profile: needs the shared target profile (template, targets, …)")
        raw_profile = {}
    else:
        raw_profile = {"language": language, "name": name, **raw_profile}
        try:
            profile = parse_profile(raw_profile)
        except ProfileError as exc:
            problems.extend(f"profile: {problem}" for problem in exc.problems)
    if problems or profile is None:
        raise ProfileError(problems)
    return UnitSpec(key, name, language, owners, profile, teams)
