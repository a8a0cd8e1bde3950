"""Every user-facing text in Danish (the default) and English, with `{name}` placeholders.

The texts live in `texts/*.yaml` (one file per area, each key with `da` and `en`), where a
translator can read and change them without touching code.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import yaml

LANGUAGES = ("da", "en")
MONTHS = {
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "en": "January February March April May June July August September October November December",
}


@cache
def messages() -> dict[str, dict[str, str]]:
    """All texts by key; a key defined in two files is a mistake and stops the load."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("bot.i18n").joinpath("texts")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yaml"):
            continue
        loaded = yaml.safe_load(entry.read_text("utf-8")) or {}
        for key, texts in loaded.items():
            if key in merged:
                raise ValueError(f"message {key} is defined twice ({entry.name})")
            merged[key] = {str(lang): str(text) for lang, text in texts.items()}
    return merged


def t(key: str, language: str, **values: object) -> str:
    """The message `key` in `language` (Danish when the language is unknown)."""
    texts = messages()[key]
    text = texts.get(language) or texts["da"]
    return text.format(**values) if values else text


def format_datetime(moment: datetime, language: str, zone: ZoneInfo) -> str:
    """A deadline as people say it: "10. december 2026 kl. 23:59" / "10 December 2026, 23:59"."""
    local = moment.astimezone(zone)
    month = MONTHS.get(language, MONTHS["da"]).split()[local.month - 1]
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if language == "en":
        return f"{local.day} {month} {local.year}, {clock}"
    return f"{local.day}. {month} {local.year} kl. {clock}"
