"""The application's intents, one module each, and the table that routes events to them.

A command word (Danish first, English aliases; `bot.dialogs.commands`) or a button's action
name selects a `Route`: the use case to run, who may run it, where, and how a retried event
is answered. A new command is one row here plus its module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.dialogs.commands import parse_command
from bot.dialogs.outcome import Outcome, Reply
from bot.dialogs.scoring import ACTIONS as SCORING_ACTIONS
from bot.domain import Command, Event
from bot.usecases import general, launch, leader, privacy, scoring, setup, units
from bot.usecases.request import GroupUseCase, Request, UseCase, note

Role = Literal["anyone", "leader", "founder"]
"""founder: a leader, or anyone while the team has no leader (the first to set it up)."""


def _nothing(_language: str) -> Reply | None:
    return None


def _already_open(language: str) -> Reply | None:
    return note("start.already_open", language, "warning")


@dataclass(frozen=True)
class Route:
    run: UseCase | None
    together: GroupUseCase | None = None
    """Runs instead of `run` for events that share one transaction (the group commit)."""
    role: Role = "anyone"
    channel_only: bool = True
    team_from: Literal["event", "button", "none"] = "event"
    needs_team: bool = False
    dedupe: bool = False
    repeated: Callable[[str], Reply | None] = _nothing
    check: Callable[[Request], Awaitable[Outcome | None]] | None = None
    """A read-only refusal before the platform is asked for the channel's members."""
    gathers_members: bool = False
    rosters: Callable[[Request], Awaitable[Sequence[tuple[str, str | None]]]] | None = None
    """Other channels (team key, workspace) whose members the route needs, looked up in a
    read-only session and asked of the platform outside any transaction (a unit campaign)."""


COMMANDS: dict[str, Route] = {
    "help": Route(general.help_text, channel_only=False),
    "method": Route(general.method_text, channel_only=False),
    "unknown": Route(general.unknown_command, channel_only=False),
    "setup": Route(setup.begin, role="founder"),
    "start": Route(
        launch.launch,
        role="leader",
        needs_team=True,
        dedupe=True,
        repeated=_already_open,
        check=launch.check,
        gathers_members=True,
    ),
    "status": Route(leader.status, needs_team=True),
    "remind": Route(
        leader.remind, role="leader", needs_team=True, dedupe=True, repeated=leader.remind_repeated
    ),
    "close": Route(
        leader.close, role="leader", needs_team=True, dedupe=True, repeated=leader.close_repeated
    ),
    "results": Route(leader.team_results, needs_team=True),
    "export": Route(leader.export, role="leader", needs_team=True),
    "me": Route(privacy.mine, channel_only=False),
    "forget": Route(privacy.ask_forget, channel_only=False),
    "my-data": Route(privacy.my_data, channel_only=False),
    "overview": Route(units.overview, channel_only=False, team_from="none"),
}

_CLICK = Route(None, scoring.clicks, channel_only=False, team_from="none", dedupe=True)
ACTIONS: dict[str, Route] = {
    **{name: _CLICK for name in SCORING_ACTIONS},
    # A score click is idempotent by itself (an upsert; a repeated answer leaves the position
    # alone), so only moves are checked against retries.
    "score": Route(None, scoring.clicks, channel_only=False, team_from="none"),
    "forget-confirm": Route(privacy.forget, channel_only=False, team_from="none"),
    "forget-cancel": Route(privacy.keep, channel_only=False, team_from="none"),
    "setup-base": Route(
        setup.targets, role="leader", channel_only=False, team_from="button", needs_team=True
    ),
    "setup-save": Route(
        setup.save, role="leader", channel_only=False, team_from="button", needs_team=True
    ),
    "setup-wording": Route(
        setup.wording_form, role="leader", channel_only=False, team_from="button", needs_team=True
    ),
    "setup-wording-save": Route(
        setup.wording_save, role="leader", channel_only=False, team_from="button", needs_team=True
    ),
    "unit-campaign": Route(units.ask_deadline, channel_only=False, team_from="none"),
    "unit-start": Route(
        units.start_campaign,
        channel_only=False,
        team_from="none",
        dedupe=True,
        rosters=units.member_channels,
    ),
}
UNKNOWN_ACTION = Route(general.unknown_action, channel_only=False, team_from="none")


def match(event: Event) -> tuple[Route, tuple[str, ...]]:
    """The route for `event`, and a command's arguments."""
    if isinstance(event, Command):
        parsed = parse_command(event.text)
        return COMMANDS[parsed.verb], parsed.args
    return ACTIONS.get(event.name, UNKNOWN_ACTION), ()
