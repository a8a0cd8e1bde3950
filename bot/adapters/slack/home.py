"""The App Home tab, rendered from the person's overview (bot.usecases.home)."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack.blocks import MAX_MODAL_BLOCKS, button, context, plain, sections
from bot.adapters.slack.translate import PLATFORM
from bot.i18n import t
from bot.runtime import Runtime
from bot.usecases import home


async def home_view(runtime: Runtime, user_id: str, note: str | None = None) -> dict[str, Any]:
    """The tab for `user_id`; `note` is a line at the top (e.g. where the next question is)."""
    language = runtime.settings.language
    overview = await home.overview(runtime, PLATFORM, user_id)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain(t("slack.home.title", language), 150)},
        *sections(t("slack.home.intro", language)),
    ]
    if note:
        blocks += sections(note)
    blocks.append({"type": "header", "text": plain(t("slack.home.waiting_title", language), 150)})
    for index, waiting in enumerate(overview.waiting):
        block = sections(waiting.line)[0]
        block["accessory"] = button(waiting.resume, index)
        blocks.append(block)
    if not overview.waiting:
        blocks.append(context(t("slack.home.nothing_waiting", language)))
    if overview.leading:
        blocks.append(
            {"type": "header", "text": plain(t("slack.home.leading_title", language), 150)}
        )
        for line in overview.leading:
            blocks += sections(line)
    return {"type": "home", "blocks": blocks[:MAX_MODAL_BLOCKS]}
