"""Every user-facing message exists in Danish and English, with the same placeholders."""

from __future__ import annotations

import string
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import format_datetime, messages, t

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = messages()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_message_exists_in_both_languages_with_the_same_placeholders(key: str) -> None:
    texts = MESSAGES[key]
    assert set(texts) == {"da", "en"}, key
    assert texts["da"].strip() and texts["en"].strip(), key
    assert _fields(texts["da"]) == _fields(texts["en"]), key


def test_every_key_the_code_uses_exists() -> None:
    import re

    used: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z_]+\.[a-z_.]+)\"", path.read_text("utf-8")))
        used |= set(re.findall(r"DeadlineError\(\"([a-z_.]+)\"\)", path.read_text("utf-8")))
    assert used, "no message keys found: the scan is broken"
    assert sorted(used - set(MESSAGES)) == []


def test_danish_is_the_fallback_for_an_unknown_language() -> None:
    assert t("button.back", "de") == t("button.back", "da")


def test_deadlines_read_naturally_in_both_languages() -> None:
    moment = datetime(2026, 12, 10, 22, 59, tzinfo=UTC)
    zone = ZoneInfo("Europe/Copenhagen")
    assert format_datetime(moment, "da", zone) == "10. december 2026 kl. 23:59"
    assert format_datetime(moment, "en", zone) == "10 December 2026, 23:59"
