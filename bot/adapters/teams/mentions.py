"""In a Teams channel the bot hears only messages that mention it, so every command a
message suggests there (`start 7d`) is shown as it must be typed: `@Kompetencebot start 7d`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.dialogs.commands import VERBS
from bot.views import Form, Message, SummaryCard, View

_COMMAND = re.compile(r"`([^`@\n]+)`")


def _mention(text: str, bot: str) -> str:
    def typed(match: re.Match[str]) -> str:
        words = match.group(1).split()
        if words and words[0].lower() in VERBS:
            return f"`@{bot} {match.group(1)}`"
        return match.group(0)

    return _COMMAND.sub(typed, text)


def for_channel(view: View, bot: str) -> View:
    """The view with its suggested commands as a channel needs them typed."""
    if isinstance(view, Message):
        return replace(view, text=_mention(view.text, bot))
    if isinstance(view, Form):
        return replace(view, intro=_mention(view.intro, bot))
    if isinstance(view, SummaryCard):
        return replace(view, intro=_mention(view.intro, bot))
    return view
