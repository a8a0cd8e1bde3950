"""What anyone may ask anywhere: help, the catalog's method, and a word the bot does not know."""

from __future__ import annotations

from bot.dialogs.guidance import help_message, method_message
from bot.dialogs.outcome import Outcome, Reply
from bot.i18n import t
from bot.usecases.request import Request, note
from bot.views import Message


async def help_text(req: Request) -> Outcome:
    return Outcome(Reply(help_message(req.language)))


async def method_text(req: Request) -> Outcome:
    return Outcome(Reply(method_message(req.language)))


async def unknown_command(req: Request) -> Outcome:
    command = req.command
    word = command.text.strip().split()[0] if command and command.text.strip() else ""
    return Outcome(Reply(Message(t("error.unknown_command", req.language, word=word))))


async def unknown_action(req: Request) -> Outcome:
    return Outcome(note("error.unknown_action", req.language, "error"))
