"""The playground's demo team: a leader and a few members, with KL's Materialegård profile."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services.profiles import save_profile
from catalog.profiles import parse_profile
from storage import teams

TEAM_KEY = "materialegaarden"
TEAM_NAME = "Materialegården"
LEADER = "anna"
MEMBERS = (
    ("anna", "Anna Holm"),
    ("bo", "Bo Jensen"),
    ("cecilie", "Cecilie Nielsen"),
    ("david", "David Larsen"),
)
TARGETS = {
    "M02": 4, "M04": 3, "M05": 3, "M10": 3, "M11": 2, "M13": 3, "M14": 3, "M18": 3,
    "M23": 4, "M28": 2, "M32": 3, "M41": 2, "M44": 2, "M48": 2, "M49": 2, "M50": 3,
    "M51": 3, "M52": 3, "M54": 3, "M55": 3, "M59": 3, "M60": 2,
}  # fmt: skip


async def ensure_demo_team(session: AsyncSession, settings: Settings) -> None:
    """Create the demo team once; a restarted playground keeps its rounds and messages."""
    if await teams.find(session, "web", TEAM_KEY) is not None:
        return
    team = await teams.get_or_create(
        session, "web", TEAM_KEY, language=settings.language, timezone=settings.timezone
    )
    team.name = TEAM_NAME
    teams.add_leaders(team, [LEADER])
    teams.add_members(session, team, MEMBERS)
    spec = parse_profile(
        {"template": "materialegaard", "language": settings.language, "targets": TARGETS}
    )
    await save_profile(session, team, spec, created_by=LEADER)
