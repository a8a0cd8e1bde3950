"""The bot arriving in a team's channel, and the channel being renamed.

The team is created (named after the channel), and the person who installed the bot becomes
its first leader, so they can set it up at once; the channel is greeted with how to begin.
Channels that learn about installs (Teams) call these inside their own transaction.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.domain import Person
from bot.i18n import t
from bot.views import Message
from storage import teams


async def arrived(
    session: AsyncSession,
    settings: Settings,
    platform: str,
    team_key: str,
    *,
    team_name: str | None,
    workspace: str | None,
    installer: Person | None,
    bot_name: str,
) -> Message:
    """The greeting for the channel; `installer` is None when no person installed it."""
    team = await teams.get_or_create(
        session, platform, team_key, language=settings.language, timezone=settings.timezone
    )
    team.workspace = team.workspace or workspace
    team.name = team_name or team.name
    lines = [t("teams.greeting", team.language, bot=bot_name)]
    if not team.leaders and installer is not None:
        teams.add_leaders(team, [installer.user_id])
        lines.append(t("teams.installer_leader", team.language, name=installer.name or "?"))
    return Message("\n\n".join(lines))


async def renamed(session: AsyncSession, platform: str, team_key: str, name: str) -> None:
    """Summaries and prompts show the team's name; keep it as the platform says it is."""
    team = await teams.find(session, platform, team_key)
    if team is not None and team.name != name:
        team.name = name
