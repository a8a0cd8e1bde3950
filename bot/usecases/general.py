"""What anyone may ask anywhere: help, and what to do with a word the bot does not know."""

from __future__ import annotations

from bot.dialogs.outcome import Outcome, Reply
from bot.i18n import t
from bot.usecases.request import Request, note
from bot.views import Message


async def help_text(req: Request) -> Outcome:
    return Outcome(Reply(Message(t("help.text", req.language))))


async def unknown_command(req: Request) -> Outcome:
    command = req.command
    word = command.text.strip().split()[0] if command and command.text.strip() else ""
    return Outcome(Reply(Message(t("error.unknown_command", req.language, word=word))))


async def unknown_action(req: Request) -> Outcome:
    return Outcome(note("error.unknown_action", req.language, "error"))
