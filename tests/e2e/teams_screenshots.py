"""The README's Teams pictures: the score prompt and the round summary as Microsoft's renderer
draws them with the Teams host config (tests/e2e/teams_cards.py), on a phone (340 px) and in
a desktop chat bubble (540 px). Run `python -m tests.e2e.teams_screenshots` after a change
to the cards; it rewrites docs/teams-*.png."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from tests.e2e.conftest import chromium
from tests.e2e.teams_cards import DESKTOP, PHONE, Renderer, collect

DOCS = Path(__file__).resolve().parents[2] / "docs"


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        collected = asyncio.run(collect(Path(scratch) / "teams.db"))
    prompt = next(sent.card for sent in collected.sent if sent.is_prompt)
    summary = next(sent.card for sent in collected.sent if sent.is_summary)
    with chromium() as browser:
        renderer = Renderer(browser, collected.chart)
        for name, card in (("prompt", prompt), ("summary", summary)):
            for width in (PHONE, DESKTOP):
                renderer.screenshot(card, width, DOCS / f"teams-{name}-{width}.png")


if __name__ == "__main__":
    main()
