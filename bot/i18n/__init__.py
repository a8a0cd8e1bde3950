"""Every user-facing text in Danish (the default) and English, with `{name}` placeholders."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n.messages import MESSAGES

LANGUAGES = ("da", "en")
MONTHS = {
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "en": "January February March April May June July August September October November December",
}


def t(key: str, language: str, **values: object) -> str:
    """The message `key` in `language` (Danish when the language is unknown)."""
    texts = MESSAGES[key]
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
