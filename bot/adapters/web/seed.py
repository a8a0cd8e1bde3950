"""The playground's demo: Materialegården (a leader and a few members, with KL's Materialegård
profile), a second team, and the unit both belong to, whose owner can be tried as a persona."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services.profiles import save_profile
from bot.usecases.campaigns import import_unit
from catalog.profiles import parse_profile
from catalog.units import parse_unit
from storage import teams, units

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
SECOND_KEY = "vejogpark"
SECOND = (("erik", "Erik Sørensen"), ("frida", "Frida Madsen"), ("gustav", "Gustav Berg"))
UNIT_KEY = "teknik-miljoe"
OWNER = ("hanne", "Hanne (HR, enhedens ejer)")


async def ensure_demo_team(session: AsyncSession, settings: Settings) -> None:
    """Create the demo once; a restarted playground keeps its rounds and messages."""
    if await teams.find(session, "web", TEAM_KEY) is None:
        await _demo_team(session, settings)
    await ensure_demo_unit(session, settings)


async def _demo_team(session: AsyncSession, settings: Settings) -> None:
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


async def ensure_demo_unit(session: AsyncSession, settings: Settings) -> None:
    """A second team and the unit of both, with an owner who sees its overview (`oversigt`)."""
    if await units.find(session, UNIT_KEY) is not None:
        return
    second = await teams.get_or_create(
        session, "web", SECOND_KEY, language=settings.language, timezone=settings.timezone
    )
    second.name = "Vej og Park"
    teams.add_leaders(second, [SECOND[0][0]])
    teams.add_members(session, second, SECOND)
    demo = await teams.find(session, "web", TEAM_KEY)
    assert demo is not None
    teams.add_observer(session, demo, *OWNER)
    document = {
        "key": UNIT_KEY,
        "name": "Teknik og Miljø",
        "language": settings.language,
        "owners": [{"platform": "web", "user": OWNER[0]}],
        "profile": {"template": "materialegaard", "targets": TARGETS},
        "teams": [{"platform": "web", "team": TEAM_KEY}, {"platform": "web", "team": SECOND_KEY}],
    }
    await import_unit(session, parse_unit(document), settings)
