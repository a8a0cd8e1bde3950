"""Target profiles between their file form (catalog.profiles) and the database."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from catalog.loader import load_catalog
from catalog.profiles import ProfileEntry, ProfileSpec
from storage import teams
from storage.models import Profile, ProfileCompetence, Team


def _row(position: int, entry: ProfileEntry) -> ProfileCompetence:
    catalog = load_catalog()
    known = catalog.competences.get(entry.id)
    return ProfileCompetence(
        position=position,
        competence_id=entry.id,
        target=entry.target,
        dimension=known.dimension if known else entry.dimension,
        name=entry.name,
        description=entry.description,
        examples=entry.examples,
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
    rows = [_row(i, entry) for i, entry in enumerate(spec.competences)]
    return await teams.add_profile_version(
        session,
        team,
        name=spec.name,
        language=spec.language,
        created_by=created_by,
        competences=rows,
    )


def spec_from_profile(profile: Profile) -> ProfileSpec:
    catalog = load_catalog()
    entries: Sequence[ProfileEntry] = [
        ProfileEntry(
            id=row.competence_id,
            target=row.target,
            name=row.name,
            description=row.description,
            examples=row.examples,
            dimension=None if row.competence_id in catalog.competences else row.dimension,
        )
        for row in profile.competences
    ]
    return ProfileSpec(name=profile.name, language=profile.language, competences=tuple(entries))
