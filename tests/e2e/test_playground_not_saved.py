"""When the server could not save (a full disk), the page says so in the bot's words, and
the next command that works takes the notice away."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect

from bot.i18n import t
from tests.support.processes import Server


def test_the_page_shows_that_nothing_was_saved(server: Server, browser: Any) -> None:
    page = browser.new_page()
    page.goto(server.url)
    page.locator("#person").select_option("anna")
    page.locator("body[data-me=anna]").wait_for(state="attached")
    said = t("error.not_saved", "da")
    answer = json.dumps({"ok": False, "error": said})

    def full(route: Any) -> None:
        route.fulfill(status=503, content_type="application/json", body=answer)

    problem = page.locator("#problem")
    expect(problem).to_be_hidden()
    page.route("**/api/command", full)
    page.locator("#channel-pane input").fill("status")
    page.locator("#channel-pane input").press("Enter")
    expect(problem).to_be_visible()
    expect(problem).to_have_text(said)

    page.unroute("**/api/command", full)
    page.locator("#channel-pane input").fill("hjælp")
    page.locator("#channel-pane input").press("Enter")
    expect(problem).to_be_hidden()
    page.close()
    assert "Traceback" not in server.log()
