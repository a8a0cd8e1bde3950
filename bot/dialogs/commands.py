"""The chat command words: Danish first, English aliases accepted (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass

VERBS: dict[str, str] = {
    "hjælp": "help",
    "help": "help",
    "opsæt": "setup",
    "setup": "setup",
    "start": "start",
    "launch": "start",
    "status": "status",
    "påmind": "remind",
    "remind": "remind",
    "luk": "close",
    "close": "close",
    "resultat": "results",
    "results": "results",
    "mine": "me",
    "me": "me",
    "eksport": "export",
    "export": "export",
    "slet-mine-data": "forget",
    "forget-me": "forget",
    "metode": "method",
    "method": "method",
    "oversigt": "overview",
    "overview": "overview",
}

LEADER_VERBS = frozenset({"setup", "start", "remind", "close", "export"})


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
