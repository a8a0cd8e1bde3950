"""A round's competences, frozen at launch in the team's language and wording.

Later profile edits never change a running round. Parsed snapshots are kept per round id:
a snapshot never changes, and every click needs it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from bot.domain import RoundCompetence, RoundInfo
from catalog.loader import load_catalog
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
    catalog = load_catalog()
    items = []
    for row in profile.competences:
        known = catalog.competences.get(row.competence_id)
        dimension = known.dimension if known else (row.dimension or "")
        dim = catalog.dimensions.get(dimension)
        items.append(
            {
                "id": row.competence_id,
                "name": competence_name(row.competence_id, row.name, language),
                "description": row.description or (known.description(language) if known else ""),
                "examples": row.examples
                or (known.examples(language) if known and known.examples else None),
                "dimension": dimension,
                "dimension_name": dim.name(language) if dim else dimension,
                "target": row.target,
            }
        )
    return {"profile": profile.name, "version": profile.version, "competences": items}


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
