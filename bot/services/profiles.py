"""Target profiles between their file form (catalog.profiles) and the database."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.ext.asyncio import AsyncSession

from catalog.loader import load_catalog
from catalog.profiles import WORDING, ProfileEntry, ProfileSpec, Wording
from storage import teams
from storage.models import Profile, ProfileCompetence, Team


def _row(position: int, entry: ProfileEntry, language: str) -> ProfileCompetence:
    known = load_catalog().competences.get(entry.id)
    own = entry.local(language)
    others = {
        lang: {k: v for k, v in asdict(wording).items() if v}
        for lang, wording in entry.wording.items()
        if lang != language
    }
    return ProfileCompetence(
        position=position,
        competence_id=entry.id,
        target=entry.target,
        dimension=known.dimension if known else entry.dimension,
        name=own.name,
        description=own.description,
        examples=own.examples,
        translations=others or None,
    )


async def save_profile(
    session: AsyncSession,
    team: Team,
    spec: ProfileSpec,
    *,
    created_by: str | None = None,
) -> Profile:
    """Store `spec` as the team's newest profile version; the team speaks its language."""
    team.language = spec.language
    rows = [_row(i, entry, spec.language) for i, entry in enumerate(spec.competences)]
    return await teams.add_profile_version(
        session,
        team,
        name=spec.name,
        language=spec.language,
        created_by=created_by,
        competences=rows,
    )


def entry_from_row(row: ProfileCompetence, language: str) -> ProfileEntry:
    """A stored competence; `language` is its profile's, the language of the plain columns."""
    wording = {
        lang: Wording(**{k: v for k, v in texts.items() if k in WORDING})
        for lang, texts in (row.translations or {}).items()
    }
    own = Wording(row.name, row.description, row.examples)
    if own != Wording():
        wording[language] = own
    known = row.competence_id in load_catalog().competences
    return ProfileEntry(
        id=row.competence_id,
        target=row.target,
        wording=wording,
        dimension=None if known else row.dimension,
    )


def spec_from_profile(profile: Profile) -> ProfileSpec:
    entries = tuple(entry_from_row(row, profile.language) for row in profile.competences)
    return ProfileSpec(name=profile.name, language=profile.language, competences=entries)
