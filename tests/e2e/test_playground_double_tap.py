"""A double tap on a score button in a real browser, against a real server process.

The first tap answers and brings up the next prompt in the same place; the second, a
moment later, lands on the new prompt's button with the same score. It is
the same tap (DESIGN.md, "Double taps"): one answer is stored and the prompt moves one step.
That holds only while the next prompt's buttons sit where the previous one's were, however
long its text: the second test taps the same spot on the screen twice.
"""

from __future__ import annotations

from typing import Any

import pytest

from catalog.profiles import _template_data
from tests.e2e.conftest import invited_as, my_answers
from tests.support.processes import Server

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=30_000)  # as the other browser tests: a busy machine is slow

ORDER = [item["id"] for item in _template_data("materialegaard")["competences"]]
PHONE = {"width": 390, "height": 844}
"""Where double taps happen."""
GAP_MS = 150
"""Between the two taps of a double tap, as a person makes them."""
UNDER = """([x, y]) => {
  const button = document.elementFromPoint(x, y).closest("button");
  return button && [button.closest(".prompt").dataset.key, button.textContent];
}"""
"""The prompt and label of the button under a point of the screen."""


def _action_done(page: Any) -> Any:
    return page.expect_response(lambda r: "/api/action" in r.url and r.request.method == "POST")


def _first_prompt(server: Server, browser: Any) -> tuple[Any, Any]:
    """Anna starts a round on a phone; Bo begins it. His page, and its prompt at competence 1."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    invited_as(page, server, "bo")

    page.locator("#dm").get_by_role("button", name="Kom i gang").tap()
    prompt = page.locator("#dm .prompt")
    expect(prompt.locator(".progress")).to_have_text(f"1 af {len(ORDER)}")
    expect(prompt.locator(".subtitle")).to_contain_text(ORDER[0])
    return page, prompt


def _answered_once(page: Any, prompt: Any, server: Server) -> None:
    """What Bo sees after both taps: one answer (a 3 to the first competence), and the
    second prompt still waiting for his own."""
    answers = my_answers(page)
    # Asked after the second tap was answered, so this is what it left: one answer, and
    # the member one step on (a competence passed over would read "–", skipped).
    assert answers[ORDER[0]] == "3"
    assert [mark for cid, mark in answers.items() if cid != ORDER[0]] == ["…"] * (len(ORDER) - 1)
    expect(prompt.locator(".progress")).to_have_text(f"2 af {len(ORDER)}")
    expect(prompt.locator(".subtitle")).to_contain_text(ORDER[1])
    expect(prompt.locator(".note")).to_have_count(0)  # the second competence is unanswered
    assert "Traceback" not in server.log()


def test_a_double_tap_on_a_score_answers_once(server: Server, browser: Any) -> None:
    page, prompt = _first_prompt(server, browser)
    score = prompt.locator(".choices button").nth(3)

    with _action_done(page):
        score.tap()
    page.wait_for_timeout(GAP_MS)  # the person's own pace, not a wait for the server
    # The second tap lands on the next prompt's button with the same score: wait until that
    # prompt is there (on a slow machine it may take longer than the gap), then tap it.
    expect(prompt.locator(".subtitle")).to_contain_text(ORDER[1])
    with _action_done(page) as second:
        score.tap()
    assert second.value.ok
    _answered_once(page, prompt, server)
    page.context.close()


def test_a_double_tap_on_one_spot_hits_the_same_score_whatever_the_text(
    server: Server, browser: Any
) -> None:
    """The finger does not move: the second tap goes where the first did, on a prompt whose
    text is of another length, and finds the same score there."""
    page, prompt = _first_prompt(server, browser)
    first_height = prompt.bounding_box()["height"]
    box = prompt.locator(".choices button").nth(3).bounding_box()
    spot = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.touchscreen.tap(*spot)
    page.wait_for_timeout(GAP_MS)  # the person's own pace, not a wait for the server
    # As above: the second tap is meant for the next prompt, so it waits until it is there.
    expect(prompt.locator(".subtitle")).to_contain_text(ORDER[1])
    under = page.evaluate(UNDER, spot)
    with _action_done(page) as second:
        page.touchscreen.tap(*spot)
    assert second.value.ok
    assert prompt.bounding_box()["height"] != first_height, "the two prompts are alike"
    _answered_once(page, prompt, server)
    assert under == [prompt.get_attribute("data-key"), "3 · God"]
    page.context.close()
