"""The playground on a phone (390×844), in a real browser against a real server process.

One conversation at a time; every new prompt's title, id and progress on screen; nothing
wider than the screen; the newest reply in view even below a chart; and a person switch
while a slow refresh is under way never shows the previous person's view.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest

from catalog.profiles import _template_data
from tests.e2e.conftest import invited
from tests.support.processes import Server

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=30_000)  # as the waits in both browser tests: a busy machine is slow

ORDER = [item["id"] for item in _template_data("materialegaard")["competences"]]
PHONE = {"width": 390, "height": 844}
# Every change to the page, as (whose view, private pane's text): what a person could have seen.
RECORD_VIEWS = """() => {
  window.views = [];
  new MutationObserver(() => window.views.push(
    [document.body.dataset.me || "", document.getElementById("dm").innerText]
  )).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""

NEWEST_IN_VIEW = """(pane) => {
  const list = document.getElementById(pane).getBoundingClientRect();
  const newest = document.getElementById(pane).lastElementChild.getBoundingClientRect();
  const bottom = Math.min(list.bottom, window.innerHeight);
  const whole = newest.bottom <= bottom + 1 || newest.height > list.height;
  return newest.top >= list.top - 1 && newest.top < bottom && whole;
}"""

NO_SIDEWAYS_SCROLL = """(pane) => {
  const list = document.getElementById(pane);
  return list.scrollWidth <= list.clientWidth;
}"""


def _become(page: Any, who: str) -> None:
    page.locator("#person").select_option(who)
    page.locator(f"body[data-me={who}]").wait_for(state="attached")


def _say(page: Any, pane: str, text: str) -> None:
    box = page.locator(f"#{pane}-pane input")
    box.fill(text)
    box.press("Enter")


def _fits_the_screen(page: Any) -> None:
    """Long text wraps: neither the page nor a pane scrolls sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for pane in ("channel", "dm"):
        assert page.evaluate(NO_SIDEWAYS_SCROLL, pane)


def _newest_in_view(page: Any, pane: str) -> None:
    """The pane's newest message is on screen: whole, or from its top if taller than the pane."""
    page.wait_for_function(NEWEST_IN_VIEW, arg=pane)


def _answer_a_round(page: Any) -> None:
    """Bo answers every competence; after each answer the next prompt's head is on screen,
    and the score buttons are where they were (a quick second tap hits the same score).

    Halfway he types a 5,000-character word, so the prompt is no longer the newest message.
    """
    page.locator("#dm").get_by_role("button", name="Kom i gang").tap()
    prompt = page.locator("#dm .prompt")
    for index, competence in enumerate(ORDER):
        expect(prompt.locator(".progress")).to_have_text(f"{index + 1} af {len(ORDER)}")
        expect(prompt.locator(".subtitle")).to_contain_text(competence)
        for part in ("h3", ".subtitle", ".progress"):
            expect(prompt.locator(part)).to_be_in_viewport(ratio=1)
        if index == len(ORDER) // 2:
            _say(page, "dm", "x" * 5000)
            typed = page.locator("#dm > article").filter(has_text="› xxxxxxxxxx")
            typed.locator("xpath=following-sibling::article[1]").wait_for()  # the bot's answer
            _newest_in_view(page, "dm")
            _fits_the_screen(page)
        prompt.locator(".choices button").nth(index % 6).tap()
    page.locator("#dm").get_by_text("Tak!").wait_for()


@contextmanager
def _held(page: Any, url: Any) -> Iterator[list[Any]]:
    """Requests to `url` wait until the block ends, then go through (if still wanted)."""
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    page.route(url, hold)
    yield held
    page.unroute(url, hold)
    for route in held:
        with suppress(sync_api.Error):  # the page may have given up on it already
            route.continue_()
    for route in held:
        with suppress(sync_api.Error):
            route.request.response()


def _switch_while_a_refresh_is_slow(page: Any) -> None:
    """Bo's refreshes, his own and those the server pushes, wait until Cecilie is shown."""
    with _held(page, lambda url: "/api/state" in url and "as=bo" in url) as held:
        with page.expect_request(lambda request: "/api/state?as=bo" in request.url):
            _say(page, "dm", "mine")
        page.evaluate(RECORD_VIEWS)
        _become(page, "cecilie")
        page.locator("#dm").get_by_role("button", name="Kom i gang").wait_for()
        assert held
    page.locator("#dm").get_by_role("button", name="Kom i gang").tap()
    expect(page.locator("#dm .progress")).to_have_text(f"1 af {len(ORDER)}")
    views = page.evaluate("window.views")
    assert views
    assert {who for who, _ in views} <= {"", "cecilie"}
    assert not [text for _, text in views if "› mine" in text]


def test_a_round_on_a_phone(server: Server, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server.url)
    _become(page, "anna")
    expect(page.locator("#channel-pane")).to_be_visible()
    expect(page.locator("#dm-pane")).to_be_hidden()
    _say(page, "channel", "start 3d")
    page.locator("#channel").get_by_text("Ny kompetencerunde").wait_for()
    invited(page, server, "anna")
    expect(page.locator("#tab-dm .unread")).to_be_visible()  # her own invitation, unseen

    invited(page, server, "bo")
    _become(page, "bo")  # a member with a prompt sees the private chat first
    expect(page.locator("#dm-pane")).to_be_visible()
    expect(page.locator("#channel-pane")).to_be_hidden()
    _answer_a_round(page)
    _switch_while_a_refresh_is_slow(page)

    _become(page, "anna")
    page.locator("#tab-channel").tap()
    expect(page.locator("#channel-pane")).to_be_visible()
    with _held(page, "**/chart.png"):  # the chart arrives after the replies below it
        _say(page, "channel", "luk")
        page.locator("#channel").get_by_text("Runden er lukket").wait_for()
        _newest_in_view(page, "channel")
    page.wait_for_function(
        "[...document.querySelectorAll('#channel img.chart')]"
        ".some((img) => img.complete && img.naturalWidth > 0)"
    )
    _newest_in_view(page, "channel")
    _fits_the_screen(page)

    chart = page.locator("#channel img.chart").last
    shown = chart.bounding_box()["width"]
    with context.expect_page() as opened:
        page.locator("#channel a.chart-link").last.tap()
    image = opened.value
    image.wait_for_load_state()
    assert image.url == chart.evaluate("(img) => img.src")
    assert image.evaluate("document.images[0].naturalWidth") > 2 * shown
    image.close()

    _say(page, "channel", "eksport")
    excel = page.locator("#channel > article").last.get_by_role("link", name="Excel")
    excel.wait_for()
    assert (excel.get_attribute("href") or "").endswith("/summary.xlsx")
    _newest_in_view(page, "channel")
    _fits_the_screen(page)

    _become(page, "bo")  # no prompt: the channel first, the summary read from its top
    expect(page.locator("#channel-pane")).to_be_visible()
    expect(page.locator("#channel > article").last.locator(".summary")).to_be_visible()
    _newest_in_view(page, "channel")
    context.close()
    assert "Traceback" not in server.log()
