"""The chat command words: one table, the single source for parsing, help and the Teams menu.

Danish words first, English aliases accepted (DESIGN.md). Each word's menu description is
the i18n text `command.<intent>`; `usage` is the argument hint shown in help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.i18n import t

Menu = Literal["team", "personal", "both", "none"]


@dataclass(frozen=True)
class Word:
    intent: str
    danish: str
    english: str
    aliases: tuple[str, ...] = ()
    leader: bool = False
    usage: dict[str, str] | None = None
    menu: Menu = "team"

    def word(self, language: str) -> str:
        return self.english if language == "en" else self.danish


WORDS: tuple[Word, ...] = (
    Word("help", "hjælp", "help", menu="both"),
    Word("setup", "opsæt", "setup", leader=True),
    Word(
        "start",
        "start",
        "start",
        ("launch",),
        leader=True,
        usage={"da": "[dato|3d]", "en": "[date|3d]"},
    ),
    Word("status", "status", "status", leader=True),
    Word("remind", "påmind", "remind", leader=True),
    Word("close", "luk", "close", leader=True),
    Word("results", "resultat", "results", ("result",)),
    Word("export", "eksport", "export", leader=True),
    Word("me", "mine", "me", menu="both"),
    Word("forget", "slet-mine-data", "forget-me", menu="both"),
    Word("my-data", "mine-data", "my-data", menu="none"),
    Word("method", "metode", "method", menu="none"),
    Word("overview", "oversigt", "overview", menu="none"),
)

VERBS: dict[str, str] = {
    spoken: word.intent for word in WORDS for spoken in (word.danish, word.english, *word.aliases)
}


@dataclass(frozen=True)
class ParsedCommand:
    verb: str
    args: tuple[str, ...]
    word: str


def parse_command(text: str) -> ParsedCommand:
    """`verb` is the canonical English name; unknown words and empty text become `help`."""
    words = text.strip().split()
    if not words:
        return ParsedCommand("help", (), "")
    word = words[0].lower().lstrip("/")
    return ParsedCommand(VERBS.get(word, "unknown"), tuple(words[1:]), words[0])


def menu(scope: Literal["team", "personal"]) -> tuple[Word, ...]:
    """The words a platform's command menu lists in a team or a personal chat."""
    return tuple(word for word in WORDS if word.menu in (scope, "both"))


def command_lines(language: str) -> str:
    """Help's command list, leaders' words first."""

    def shown(word: Word) -> str:
        usage = f" {word.usage[language]}" if word.usage and language in word.usage else ""
        return f"`{word.word(language)}{usage}`"

    leading = " · ".join(shown(w) for w in WORDS if w.leader)
    everyone = " · ".join(shown(w) for w in WORDS if not w.leader)
    return "\n".join(
        (
            t("help.leaders", language, commands=leading),
            t("help.everyone", language, commands=everyone),
        )
    )
