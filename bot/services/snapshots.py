"""A round's competences, frozen at launch in the team's language and wording.

Later profile edits never change a running round. Parsed snapshots are kept per round id:
a snapshot never changes, and every click needs it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from bot.domain import RoundCompetence, RoundInfo
from bot.services.profiles import spec_from_profile
from catalog.loader import load_catalog
from catalog.models import LANGUAGES
from catalog.profiles import ProfileEntry, ProfileSpec, Wording
from storage.models import Profile, Round

_PARSED: OrderedDict[tuple[int, str | None], tuple[RoundCompetence, ...]] = OrderedDict()
"""By round id and its unguessable token, which no other round (in any database) shares."""
CACHED_ROUNDS = 256


def competence_name(competence_id: str, local_name: str | None, language: str) -> str:
    """The team's local name if it has one, else the catalog's, else the id."""
    if local_name:
        return local_name
    known = load_catalog().competences.get(competence_id)
    return known.name(language) if known else competence_id


def freeze(profile: Profile, language: str) -> dict[str, Any]:
    return freeze_spec(spec_from_profile(profile), profile.version, language)


def freeze_spec(spec: ProfileSpec, version: int, language: str) -> dict[str, Any]:
    """Each competence in `language` only: the local wording in that language, else the
    catalog's text in it (a local competence with no wording in it keeps what it has)."""
    catalog = load_catalog()
    items = []
    for entry in spec.competences:
        known = catalog.competences.get(entry.id)
        local = entry.local(language)
        fallback = _any_wording(entry) if known is None else local
        dimension = known.dimension if known else (entry.dimension or "")
        dim = catalog.dimensions.get(dimension)
        items.append(
            {
                "id": entry.id,
                "name": competence_name(entry.id, local.name or fallback.name, language),
                "description": local.description
                or (known.description(language) if known else fallback.description or ""),
                "examples": local.examples
                or (known.examples(language) if known and known.examples else fallback.examples),
                "dimension": dimension,
                "dimension_name": dim.name(language) if dim else dimension,
                "target": entry.target,
            }
        )
    return {"profile": spec.name, "version": version, "competences": items}


def _any_wording(entry: ProfileEntry) -> Wording:
    """A local competence's wording in whichever language it was given (Danish first)."""
    return next(iter(entry.wording[lang] for lang in LANGUAGES if lang in entry.wording), Wording())


def cached(round_: Round) -> tuple[RoundCompetence, ...] | None:
    return _PARSED.get((round_.id, round_.chart_token))


def parse(round_: Round, snapshot: dict[str, Any]) -> tuple[RoundCompetence, ...]:
    items = tuple(RoundCompetence.from_dict(item) for item in snapshot["competences"])
    _PARSED[(round_.id, round_.chart_token)] = items
    while len(_PARSED) > CACHED_ROUNDS:
        _PARSED.popitem(last=False)
    return items


def round_info(round_: Round, items: tuple[RoundCompetence, ...] | None = None) -> RoundInfo:
    return RoundInfo(
        id=round_.id,
        status=round_.status,
        deadline=round_.deadline,
        language=round_.language,
        timezone=round_.team.timezone,
        team_name=round_.team.name or round_.team.key,
        items=items if items is not None else cached(round_) or parse(round_, round_.snapshot),
        min_respondents=round_.min_respondents,
    )
